/**
 * Building a block (the leader of a view): consume the due Inbox entries, then fill the block from
 * the mempool, each sender's transactions in nonce order, senders interleaved by the tip they pay
 * at this block's base fee (highest first), within the gas and transaction limits. Transactions
 * that became invalid since they entered the mempool are skipped and reported, so the caller can
 * drop them; nothing here changes the given state.
 */
import type { Address, Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import type { InboxEntry } from "../protocol/inbox.ts";
import { priorityFeePerGas } from "./admission.ts";
import { computeBaseFee } from "./baseFee.ts";
import { TRANSFER_GAS, type ExecutionConfig } from "./config.ts";
import { ExecutionError, type ExecutionErrorCode } from "./errors.ts";
import type { BlockHashes } from "./evm.ts";
import { selectInboxEntries } from "./inboxRange.ts";
import { PendingBlock, type BlockResult } from "./pendingBlock.ts";
import type { State } from "./state.ts";
import type { Transfer } from "./transaction.ts";

export interface BuildBlockInput {
  readonly config: ExecutionConfig;
  readonly parent: Header;
  /** The parent's block hash (it depends on the deployment, so consensus computes it). */
  readonly parentHash: Hex;
  /** Hashes of the parent and its ancestors by number (BLOCKHASH). */
  readonly blockHashes: BlockHashes;
  /** The state after the parent block (committed, or `extend`ed with uncommitted ancestors). */
  readonly state: State;
  readonly view: bigint;
  readonly timestamp: bigint;
  /** The leader's fee recipient. */
  readonly proposer: Address;
  readonly l1Origin: bigint;
  /** L1's hash of block l1Origin, as the leader's L1 view read it (the parent's when the origin is the parent's). */
  readonly l1OriginHash: Hex;
  /** Inbox entries known at `l1Origin` (extra ones, already consumed or newer, are ignored). */
  readonly inbox: readonly InboxEntry[];
  /** Candidate transactions, in any order (typically the whole mempool). */
  readonly mempool: readonly Transfer[];
}

export interface SkippedTransaction {
  readonly hash: Hex;
  readonly code: ExecutionErrorCode;
  readonly reason: string;
}

export interface BuiltBlock extends BlockResult {
  /**
   * Mempool transactions not included because they failed against this block's state, with the
   * reason. NONCE_TOO_LOW ones are stale for good (drop them); the others (a nonce gap, funds, a
   * fee cap under the base fee) may become valid in a later block.
   */
  readonly skipped: readonly SkippedTransaction[];
}

export function buildBlock(input: BuildBlockInput): BuiltBlock {
  const { config, parent } = input;
  if (input.timestamp < parent.timestamp) {
    throw new ExecutionError("TIMESTAMP_BEFORE_PARENT", "timestamp before parent's", `parent ${parent.timestamp}, block ${input.timestamp}`);
  }
  if (input.l1Origin < parent.l1Origin) {
    throw new ExecutionError("L1_ORIGIN_BEFORE_PARENT", "l1Origin before parent's", `parent ${parent.l1Origin}, block ${input.l1Origin}`);
  }
  checkOriginHash(parent, input.l1Origin, input.l1OriginHash);
  const baseFee = computeBaseFee(parent.baseFee, parent.gasUsed, config.blockGasLimit);
  const block = new PendingBlock(
    input.state,
    { number: parent.number + 1n, timestamp: input.timestamp, baseFee, proposer: input.proposer.toLowerCase() as Address, gasLimit: config.blockGasLimit, blockHashes: input.blockHashes },
    { chainId: config.chainId, blockGasLimit: config.blockGasLimit },
  );
  // Inbox first: forced transactions take gas before the mempool does (one that finds the block
  // full is consumed and skipped, as L1 requires every due entry to be consumed).
  const inbox = selectInboxEntries(parent, input.inbox, input.l1Origin, config);
  for (const entry of inbox.entries) block.applyInboxEntry(entry);

  const skipped: SkippedTransaction[] = [];
  const queue = new SenderQueue(input.mempool, baseFee);
  for (let tx = queue.peek(); tx !== undefined; tx = queue.peek()) {
    if (block.transactionCount >= config.maxTransactionsPerBlock) break;
    if (block.gasUsed + TRANSFER_GAS > config.blockGasLimit) break;
    try {
      block.applyTransaction(tx);
      queue.advance();
    } catch (error) {
      if (!(error instanceof ExecutionError)) throw error;
      skipped.push({ hash: tx.hash, code: error.code, reason: error.message });
      // A stale nonce only disqualifies this transaction; any other failure (a gap, no funds, fee
      // cap under the base fee) disqualifies the sender's later nonces in this block too.
      if (error.code === "NONCE_TOO_LOW") queue.advance();
      else queue.dropSender();
    }
  }
  const result = block.seal({
    view: input.view,
    parentHash: input.parentHash,
    timestamp: input.timestamp,
    l1Origin: input.l1Origin,
    l1OriginHash: input.l1OriginHash,
    inboxCursor: inbox.cursor,
    inboxHash: inbox.hash,
  });
  return { ...result, skipped };
}

/**
 * One L1 block has one hash: a block that keeps its parent's l1Origin keeps its l1OriginHash. (Which
 * hash a new origin has is for the member's L1 view to judge, src/node/chain.ts.)
 */
export function checkOriginHash(parent: Header, l1Origin: bigint, l1OriginHash: Hex): void {
  if (l1Origin === parent.l1Origin && l1OriginHash.toLowerCase() !== parent.l1OriginHash.toLowerCase()) {
    throw new ExecutionError("L1_ORIGIN_HASH_CHANGED", "same l1Origin as the parent's with another l1OriginHash", `l1Origin ${l1Origin}: parent ${parent.l1OriginHash}, block ${l1OriginHash}`);
  }
}

/**
 * Senders' transactions by nonce, senders ordered by the tip of their next transaction (a binary
 * max-heap on (tip, then hash for a deterministic tie-break)).
 */
class SenderQueue {
  readonly #baseFee: bigint;
  readonly #heap: Transfer[][] = [];

  constructor(transactions: readonly Transfer[], baseFee: bigint) {
    this.#baseFee = baseFee;
    const bySender = new Map<Address, Transfer[]>();
    for (const tx of transactions) {
      const list = bySender.get(tx.from);
      if (list === undefined) bySender.set(tx.from, [tx]);
      else list.push(tx);
    }
    for (const list of bySender.values()) {
      list.sort((a, b) => (a.nonce < b.nonce ? -1 : a.nonce > b.nonce ? 1 : a.hash < b.hash ? -1 : 1));
      this.#push(list.reverse());
    }
  }

  peek(): Transfer | undefined {
    const top = this.#heap[0];
    return top === undefined ? undefined : top[top.length - 1];
  }

  /** The head transaction was used (or is stale): the sender's next nonce competes next. */
  advance(): void {
    const top = this.#pop();
    if (top === undefined) return;
    top.pop();
    if (top.length > 0) this.#push(top);
  }

  dropSender(): void {
    this.#pop();
  }

  #before(a: Transfer[], b: Transfer[]): boolean {
    const x = a[a.length - 1]!;
    const y = b[b.length - 1]!;
    const tipX = priorityFeePerGas(x, this.#baseFee);
    const tipY = priorityFeePerGas(y, this.#baseFee);
    return tipX !== tipY ? tipX > tipY : x.hash < y.hash;
  }

  #push(list: Transfer[]): void {
    const heap = this.#heap;
    heap.push(list);
    let i = heap.length - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.#before(heap[i]!, heap[up]!)) break;
      [heap[i], heap[up]] = [heap[up]!, heap[i]!];
      i = up;
    }
  }

  #pop(): Transfer[] | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < heap.length && this.#before(heap[l]!, heap[best]!)) best = l;
      if (r < heap.length && this.#before(heap[r]!, heap[best]!)) best = r;
      if (best === i) break;
      [heap[i], heap[best]] = [heap[best]!, heap[i]!];
      i = best;
    }
    return top;
  }
}
