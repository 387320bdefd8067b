/**
 * Running the EVM synchronously. Block building and re-execution are synchronous (consensus calls
 * them inside its step, which never awaits), while @ethereumjs/evm is async throughout. So the EVM
 * runs on a worker thread and this thread blocks until it is done, answering the worker's state
 * reads in between: the worker posts a read and wakes us (Atomics.notify), we answer from the
 * block's pending state and wake it. Blocking is the point: the transaction's result is needed
 * before the block can go on, and nothing else may touch the pending state meanwhile.
 *
 * The worker is started on first use and does not keep the process alive (unref). A worker that
 * does not answer within EVM_TIMEOUT_MS is an internal fault, reported as an Error: execution is
 * bounded by gas, and the bound is far above what a 30M-gas block of the slowest opcodes takes.
 *
 * Calls (eth_call, eth_estimateGas) run on a second worker, asynchronously: this thread answers
 * their reads from its event loop and goes on with consensus meanwhile, so a call that runs for
 * seconds never stalls the member, and never delays a block behind it. Blocks commit under a
 * running call, so a call reads a snapshot (MemoryState.snapshot), never the live state.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { BlockHashes, EvmBlock, EvmOutcome, EvmRunOptions, EvmTransaction } from "./evm.ts";
import { MAIN, WORKER, type BridgeRequest } from "./evmBridgeProtocol.ts";
import type { StateReader } from "./state.ts";

const EVM_TIMEOUT_MS = 300_000;

interface Bridge {
  readonly port: MessagePort;
  readonly flags: Int32Array;
  readonly worker: Worker;
}

let bridge: Bridge | undefined;
let callBridge: Bridge | undefined;
/** Calls take the call worker one at a time. */
let callTurn: Promise<unknown> = Promise.resolve();

function start(): Bridge {
  const shared = new SharedArrayBuffer(8);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL("./evmWorker.ts", import.meta.url), { workerData: { port: port2, shared }, transferList: [port2] });
  worker.unref();
  worker.on("error", () => {
    // The next call finds no answer and throws; a new worker is started after that.
    bridge = undefined;
  });
  return { port: port1, flags: new Int32Array(shared), worker };
}

export function runEvmTransactionSync(reader: StateReader, hashes: BlockHashes, tx: EvmTransaction, env: EvmBlock): EvmOutcome {
  bridge ??= start();
  const { port, flags } = bridge;
  port.postMessage({ tx, env, options: {} });
  for (;;) {
    if (Atomics.wait(flags, MAIN, 0, EVM_TIMEOUT_MS) === "timed-out") {
      void bridge.worker.terminate();
      bridge = undefined;
      throw new Error(`the EVM thread did not answer within ${EVM_TIMEOUT_MS} ms`);
    }
    Atomics.store(flags, MAIN, 0);
    for (let received = receiveMessageOnPort(port); received !== undefined; received = receiveMessageOnPort(port)) {
      const message = received.message as BridgeRequest;
      if ("done" in message) return message.done;
      if ("failed" in message) throw new Error(`the EVM failed: ${message.failed}`);
      port.postMessage(answer(reader, hashes, message));
      Atomics.store(flags, WORKER, 1);
      Atomics.notify(flags, WORKER);
    }
  }
}

function answer(reader: StateReader, hashes: BlockHashes, message: Extract<BridgeRequest, { read: string }>): unknown {
  switch (message.read) {
    case "account":
      return reader.getAccount(message.address);
    case "code":
      return reader.getCode(message.address);
    case "storage":
      return reader.getStorage(message.address, message.slot);
    case "blockHash":
      return hashes(message.number);
  }
}

/** Runs a call on the call worker over `reader`, which must not change while it runs (a snapshot). */
export function simulateEvmTransaction(reader: StateReader, hashes: BlockHashes, tx: EvmTransaction, env: EvmBlock, options: EvmRunOptions): Promise<EvmOutcome> {
  const run = callTurn.then(() => simulateAlone(reader, hashes, tx, env, options));
  callTurn = run.catch(() => undefined);
  return run;
}

function simulateAlone(reader: StateReader, hashes: BlockHashes, tx: EvmTransaction, env: EvmBlock, options: EvmRunOptions): Promise<EvmOutcome> {
  callBridge ??= start();
  const { port, flags, worker } = callBridge;
  return new Promise<EvmOutcome>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish();
      void worker.terminate();
      callBridge = undefined;
      reject(new Error(`the EVM call thread did not answer within ${EVM_TIMEOUT_MS} ms`));
    }, EVM_TIMEOUT_MS);
    const onMessage = (message: BridgeRequest) => {
      if ("done" in message) {
        finish();
        resolve(message.done);
      } else if ("failed" in message) {
        finish();
        reject(new Error(`the EVM failed: ${message.failed}`));
      } else {
        port.postMessage(answer(reader, hashes, message));
        Atomics.store(flags, WORKER, 1);
        Atomics.notify(flags, WORKER);
      }
    };
    const finish = () => {
      clearTimeout(timer);
      port.off("message", onMessage);
      // Not listening any more: the port must not keep the process alive.
      port.unref();
    };
    port.on("message", onMessage);
    port.postMessage({ tx, env, options });
  });
}
