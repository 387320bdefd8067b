/** The messages between the main thread and the EVM thread (evmBridge.ts, evmWorker.ts). */
import type { Address, Hex } from "viem";
import type { EvmOutcome } from "./evm.ts";

/** Indices into the shared flags: who has a message waiting. */
export const MAIN = 0;
export const WORKER = 1;

export type BridgeRequest =
  | { readonly read: "account"; readonly address: Address }
  | { readonly read: "code"; readonly address: Address }
  | { readonly read: "storage"; readonly address: Address; readonly slot: Hex }
  | { readonly read: "blockHash"; readonly number: bigint }
  | { readonly done: EvmOutcome }
  | { readonly failed: string };
