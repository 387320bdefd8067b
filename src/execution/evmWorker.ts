/**
 * The EVM's thread (see evmBridge.ts): runs one transaction at a time with runEvmTransaction,
 * reading the state and block hashes from the main thread synchronously. Reads of one transaction
 * are remembered for that transaction (nothing under it changes while it runs), and code by its
 * hash for good (code never changes under a hash).
 */
import { receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";
import type { Address, Hex } from "viem";
import { runEvmTransaction, type BlockHashes, type EvmBlock, type EvmRunOptions, type EvmTransaction } from "./evm.ts";
import type { Account, StateReader } from "./state.ts";
import { MAIN, WORKER, type BridgeRequest } from "./evmBridgeProtocol.ts";

const { port, shared } = workerData as { port: MessagePort; shared: SharedArrayBuffer };
const flags = new Int32Array(shared);
const codeByHash = new Map<Hex, Uint8Array>();
const CODE_CACHE_MAX = 4_096;

function ask<T>(request: BridgeRequest): T {
  port.postMessage(request);
  Atomics.store(flags, MAIN, 1);
  Atomics.notify(flags, MAIN);
  Atomics.wait(flags, WORKER, 0);
  Atomics.store(flags, WORKER, 0);
  const reply = receiveMessageOnPort(port);
  if (reply === undefined) throw new Error("the main thread woke the EVM thread without an answer");
  return reply.message as T;
}

function remoteReader(): StateReader {
  const accounts = new Map<Address, Account>();
  const slots = new Map<string, bigint>();
  const reader: StateReader = {
    getAccount(address) {
      let account = accounts.get(address);
      if (account === undefined) accounts.set(address, (account = ask<Account>({ read: "account", address })));
      return account;
    },
    getCode(address) {
      const hash = reader.getAccount(address).codeHash;
      if (hash === undefined) return new Uint8Array(0);
      let code = codeByHash.get(hash);
      if (code === undefined) {
        code = ask<Uint8Array>({ read: "code", address });
        if (codeByHash.size >= CODE_CACHE_MAX) codeByHash.clear();
        codeByHash.set(hash, code);
      }
      return code;
    },
    getStorage(address, slot) {
      const id = `${address}:${slot}`;
      let value = slots.get(id);
      if (value === undefined) slots.set(id, (value = ask<bigint>({ read: "storage", address, slot })));
      return value;
    },
  };
  return reader;
}

function remoteHashes(): BlockHashes {
  const hashes = new Map<bigint, Hex | undefined>();
  return (number) => {
    if (!hashes.has(number)) hashes.set(number, ask<Hex | undefined>({ read: "blockHash", number }));
    return hashes.get(number);
  };
}

port.on("message", async (job: { tx: EvmTransaction; env: EvmBlock; options: EvmRunOptions }) => {
  let reply: BridgeRequest;
  try {
    reply = { done: await runEvmTransaction(remoteReader(), remoteHashes(), job.tx, job.env, job.options) };
  } catch (error) {
    reply = { failed: (error as Error).stack ?? String(error) };
  }
  port.postMessage(reply);
  Atomics.store(flags, MAIN, 1);
  Atomics.notify(flags, MAIN);
});
