/**
 * Running the EVM synchronously. Block building and re-execution are synchronous (consensus calls
 * them inside its step, which never awaits), while @ethereumjs/evm is async throughout. So the EVM
 * runs on a worker thread and this thread blocks until it is done, answering the worker's state
 * reads in between: the worker posts a read and wakes us (Atomics.notify), we answer from the
 * block's pending state and wake it. Blocking is the point: the transaction's result is needed
 * before the block can go on, and nothing else may touch the pending state meanwhile.
 *
 * The worker is started on first use and does not keep the process alive (unref). A worker that
 * does not answer within EVM_TIMEOUT_MS is an internal fault, reported as an Error.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { EvmBlock, EvmOutcome, EvmTransaction } from "./evm.ts";
import { MAIN, WORKER, type BridgeRequest } from "./evmBridgeProtocol.ts";
import type { StateReader } from "./state.ts";

const EVM_TIMEOUT_MS = 60_000;

interface Bridge {
  readonly port: MessagePort;
  readonly flags: Int32Array;
  readonly worker: Worker;
}

let bridge: Bridge | undefined;

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

export function runEvmTransactionSync(reader: StateReader, tx: EvmTransaction, env: EvmBlock): EvmOutcome {
  bridge ??= start();
  const { port, flags } = bridge;
  port.postMessage({ tx, env });
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
      port.postMessage(message.read === "account" ? reader.getAccount(message.address) : message.read === "code" ? reader.getCode(message.address) : reader.getStorage(message.address, message.slot));
      Atomics.store(flags, WORKER, 1);
      Atomics.notify(flags, WORKER);
    }
  }
}
