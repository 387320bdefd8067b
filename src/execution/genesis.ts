/**
 * The genesis block: number 0, view 0, no parent, the configured initial base fee, and the
 * initial balances (the devnet's pre-funded accounts). Its header's roots are computed like any
 * other block's, so the Rollup contract can be deployed with its hash. This is the one function
 * that makes the genesis header: src/deployment/contracts.ts deploys the Rollup with it and a
 * node rebuilds it from the deployments file (same inputs, same hash), so L1, consensus and
 * execution start from the same block.
 */
import { zeroHash, zeroAddress, type Address, type Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import { EMPTY_INBOX_HASH } from "../protocol/inbox.ts";
import { encodeBlockData, hashBlockData } from "./blockData.ts";
import type { ExecutionConfig } from "./config.ts";
import { computeReceiptsRoot, computeTransactionsRoot } from "./roots.ts";
import { MemoryState } from "./state.ts";

export interface GenesisInput {
  /** Only the initial base fee is read: the rest of the chain config does not shape genesis. */
  readonly config: Pick<ExecutionConfig, "initialBaseFee">;
  readonly timestamp: bigint;
  readonly l1Origin: bigint;
  /** L1's hash of block l1Origin (zero for a standalone L2 with no L1). */
  readonly l1OriginHash?: Hex;
  readonly balances: Iterable<readonly [Address, bigint]>;
}

export function createGenesis(input: GenesisInput): { header: Header; state: MemoryState } {
  const state = MemoryState.fromAccounts([...input.balances].map(([address, balance]) => [address, { nonce: 0n, balance }] as const));
  const header: Header = {
    number: 0n,
    view: 0n,
    parentHash: zeroHash,
    timestamp: input.timestamp,
    proposer: zeroAddress,
    l1Origin: input.l1Origin,
    l1OriginHash: input.l1OriginHash ?? zeroHash,
    inboxCursor: 0n,
    inboxHash: EMPTY_INBOX_HASH,
    dataHash: hashBlockData(encodeBlockData([])),
    stateRoot: state.stateRoot(),
    transactionsRoot: computeTransactionsRoot([]),
    receiptsRoot: computeReceiptsRoot([]),
    withdrawalsRoot: zeroHash,
    baseFee: input.config.initialBaseFee,
    gasUsed: 0n,
  };
  return { header, state };
}
