/**
 * What RPC methods may ask of the node. A narrow seam: methods never touch the store, the core or
 * Redis directly, so a method is one small file and a test can exercise it against any node.
 */
import type { Address, Hex } from "viem";
import type { Block, QC } from "../consensus/index.ts";
import type { AccountProof, EvmOutcome, EvmTransaction, Receipt, StateOverride } from "../execution/index.ts";
import type { Withdrawal } from "../protocol/withdrawals.ts";

export interface RpcBlock {
  readonly hash: Hex;
  readonly block: Block;
  readonly transactionHashes: readonly Hex[];
  /**
   * The block's raw transactions, in the order of `transactionHashes` and of the receipts'
   * transactionIndex: forced (L1 Inbox) transactions first, then the block data's.
   */
  readonly rawTransactions: readonly Hex[];
}

/** The L2 head final on L1 and the L1 transaction / block that finalized it (the follower's fact). */
export interface RpcFinality {
  readonly number: bigint;
  readonly hash: Hex;
  readonly l1TxHash: Hex;
  readonly l1Block: bigint;
}

export interface RpcCommittee {
  readonly epoch: bigint;
  readonly quorum: number;
  /** `index`: the signer bit; `memberId`: the member's L1 id (Committee's, the identity nodes and links use). */
  readonly members: readonly { readonly index: number; readonly memberId: number; readonly publicKey: Hex; readonly feeRecipient: Address }[];
}

/**
 * What happens at a member, for subscriptions and filters. Listeners run inside the member's
 * commit and admission paths: they must be cheap and never throw (the node wraps them anyway).
 */
export interface RpcEvents {
  /** Blocks up to `height` were committed (heights only: readers fetch the blocks they missed). Returns the unsubscribe. */
  onCommitted(listener: (height: bigint) => void): () => void;
  /** A transaction entered this member's mempool (from a wallet, the intake queue or gossip). Returns the unsubscribe. */
  onPendingTransaction(listener: (hash: Hex) => void): () => void;
}

export interface RpcContext {
  readonly chainId: bigint;
  /** Absent on a context that cannot notify (tests' fakes): subscriptions and pending filters are refused there. */
  readonly events?: RpcEvents;
  committedHeight(): bigint;
  /** L1's finalized L2 head, from the store fact the L1 follower writes; undefined before any. */
  finality(): RpcFinality | undefined;
  /**
   * The L1 transaction and block of the batch that finalized L2 block `number` (the L1
   * follower's record of `BatchSettled`), with the hash L1 finalized at that height when the
   * follower saw its `BlockFinalized`; undefined when it is not final on L1, was never settled
   * by a batch (the genesis), or this member does not follow L1.
   */
  settlement(number: bigint): { readonly hash?: Hex; readonly l1TxHash: Hex; readonly l1Block: bigint } | undefined;
  /**
   * The lowest block whose state this node still answers for: account reads and calls may name
   * any block from it to the committed head (block-tag.ts); older ones are refused.
   */
  oldestState(): bigint;
  /**
   * An account at block `at` (default: the committed head, "latest"), or with this member's
   * pending transactions ("pending" nonce). `at` must be within oldestState()..head.
   */
  account(address: Address, pending: boolean, at?: bigint): { nonce: bigint; balance: bigint };
  /** eth_getProof's account proof, with proofs of storage `slots` (32-byte hex), against the state root of block `at` (default the committed head). */
  proveAccount(address: Address, slots?: readonly Hex[], at?: bigint): AccountProof;
  /** The code at `address` at block `at` (default the committed head; "0x" for none). */
  code(address: Address, at?: bigint): Hex;
  /** Storage slot `slot` (32-byte hex, lower-case) of `address` at block `at` (default the committed head). */
  storage(address: Address, slot: Hex, at?: bigint): bigint;
  /**
   * Runs `tx` on the state after block `at` (default the committed head) in that block's
   * context, with `overrides` on top, committing nothing (eth_call, eth_estimateGas): the
   * sender's nonce and balance are not checked.
   */
  simulate(tx: EvmTransaction, at?: bigint, overrides?: StateOverride): Promise<EvmOutcome>;
  /** The block gas limit: the most gas a call may use. */
  readonly blockGasLimit: bigint;
  /** Checks, queues durably, returns the hash; throws ExecutionError / QueueError. */
  sendRawTransaction(raw: Hex): Promise<Hex>;
  receipt(hash: Hex): { receipt: Receipt; blockHash: Hex } | undefined;
  /** A transaction by hash: committed (with its block) or pending in this member's mempool. */
  transaction(hash: Hex): { raw: Hex; block?: { hash: Hex; number: bigint; index: number } } | undefined;
  /** A committed (canonical) block by height. */
  blockByNumber(number: bigint): RpcBlock | undefined;
  /** A committed (canonical) block by hash; a known but uncommitted block is undefined. */
  blockByHash(hash: Hex): RpcBlock | undefined;
  /** The withdrawals committed block `number` recorded, in leaf order (empty for none or an unknown height). */
  withdrawals(number: bigint): readonly Withdrawal[];
  /** The QC certifying the committed block at this height, when this member holds it. */
  quorumCertificate(number: bigint): QC | undefined;
  committee(): RpcCommittee;
  status(): Promise<Record<string, unknown>>;
}
