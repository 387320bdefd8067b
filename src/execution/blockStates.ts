/**
 * The state after every block consensus holds but has not committed yet, keyed by block hash.
 *
 * Two-chain HotStuff proposes on top of certified, uncommitted blocks, so a member must execute a
 * proposal on the state after its (uncommitted) parent. That state is the committed state plus
 * the change sets of the uncommitted ancestors, layered with `extend` and never written. When
 * consensus commits a block, its uncommitted ancestors and it are applied to the committed state
 * in chain order, and every block that does not descend from it (a dead fork) is forgotten.
 *
 * Layers are rebuilt from the committed state on each `stateAfter`, never kept across a commit: a
 * layered state reads through to the committed one, so it is only correct while the committed
 * state holds nothing but its own ancestors, which this class guarantees. Rebuilding is cheap:
 * the tries of change sets already seen are cached (state.ts), so no node is hashed twice.
 */
import type { Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import type { BlockResult } from "./pendingBlock.ts";
import type { MemoryState, SnapshotState, State } from "./state.ts";

interface Pending {
  readonly parentHash: Hex;
  readonly result: BlockResult;
}

/**
 * How many recent committed blocks' states are kept for reads (the RPC's block tags and numbers):
 * tools read at the block number they just asked for (Hardhat Ignition, ethers' nonce checks),
 * and blocks commit every ~100 ms. Snapshots share the persistent tries, so each costs a copy of
 * the storage-trie index, not of the state. Only commits seen since start are kept (a restart
 * starts over from its head).
 */
export const STATE_HISTORY_BLOCKS = 128;

export class BlockStates {
  readonly #committed: MemoryState;
  /** The committed state after each of the last STATE_HISTORY_BLOCKS heights. */
  readonly #history = new Map<bigint, SnapshotState>();
  #head: { hash: Hex; header: Header };
  /** Whether the committed head carried work (see uncommittedWork). */
  #headWork = false;
  readonly #pending = new Map<Hex, Pending>();

  /** `head` is the last committed block (the genesis block on a fresh chain) and `committed` its state. */
  constructor(committed: MemoryState, head: { hash: Hex; header: Header }) {
    this.#committed = committed;
    this.#head = { hash: lower(head.hash), header: head.header };
    this.#remember(head.header.number);
  }

  /** The committed state after block `number`, if it is one of the last heights kept (STATE_HISTORY_BLOCKS). */
  stateAt(number: bigint): SnapshotState | undefined {
    return this.#history.get(number);
  }

  /** The lowest height whose state stateAt still has. */
  get oldestState(): bigint {
    // Heights are remembered in order and dropped from the low end: the first key is the oldest.
    return this.#history.keys().next().value ?? this.#head.header.number;
  }

  #remember(number: bigint): void {
    this.#history.set(number, this.#committed.snapshot());
    this.#history.delete(number - BigInt(STATE_HISTORY_BLOCKS));
  }

  get committedHead(): { readonly hash: Hex; readonly header: Header } {
    return this.#head;
  }

  has(hash: Hex): boolean {
    const h = lower(hash);
    return h === this.#head.hash || this.#pending.has(h);
  }

  header(hash: Hex): Header | undefined {
    const h = lower(hash);
    return h === this.#head.hash ? this.#head.header : this.#pending.get(h)?.result.header;
  }

  /**
   * The hash of block `number` on the branch that ends at block `tip` (tip included): its
   * uncommitted ancestors, then the committed chain, whose hashes `committedHash` gives.
   */
  hashOnBranch(tip: Hex, number: bigint, committedHash: (number: bigint) => Hex | undefined): Hex | undefined {
    let at = lower(tip);
    for (let p = this.#pending.get(at); p !== undefined; p = this.#pending.get(at)) {
      if (p.result.header.number === number) return at;
      if (p.result.header.number < number) return undefined;
      at = p.parentHash;
    }
    if (at !== this.#head.hash) return undefined;
    const head = this.#head.header.number;
    return number === head ? this.#head.hash : number < head ? committedHash(number) : undefined;
  }

  result(hash: Hex): BlockResult | undefined {
    return this.#pending.get(lower(hash))?.result;
  }

  /** The state after block `hash`: what a child of it executes on. */
  stateAfter(hash: Hex): State {
    const h = lower(hash);
    if (h === this.#head.hash) return this.#committed;
    const pending = this.#pending.get(h);
    if (pending === undefined) throw new RangeError(`block ${hash} is neither committed head nor pending`);
    return this.stateAfter(pending.parentHash).extend(pending.result.changes);
  }

  /** Whether uncommitted block `hash` carries transactions or Inbox entries. */
  carriesWork(hash: Hex): boolean {
    const result = this.#pending.get(lower(hash))?.result;
    return result !== undefined && (result.transactions.length > 0 || result.inbox.length > 0);
  }

  /**
   * Whether block `hash` or one of its uncommitted ancestors carries work, or the committed head
   * does: something in the chain waits for more certified views to commit (the pacer proposes
   * those at once). The head counts because a leader commits a block on the QC its proposal
   * carries, before the others: they commit it when that proposal reaches them.
   */
  uncommittedWork(hash: Hex): boolean {
    let at: Hex | undefined = lower(hash);
    for (; at !== undefined && at !== this.#head.hash; at = this.#pending.get(at)?.parentHash) {
      if (this.carriesWork(at)) return true;
    }
    return at === this.#head.hash && this.#headWork;
  }

  /** Records a built or validated block; its parent must be known (committed head or pending). */
  add(hash: Hex, result: BlockResult): void {
    const parentHash = lower(result.header.parentHash);
    if (!this.has(parentHash)) throw new RangeError(`parent ${parentHash} of block ${hash} is not known`);
    this.#pending.set(lower(hash), { parentHash, result });
  }

  /**
   * Commits block `hash` and its uncommitted ancestors to the committed state, oldest first, and
   * returns their results in that order for the store to persist. Forks are dropped.
   */
  commit(hash: Hex): BlockResult[] {
    const h = lower(hash);
    if (h === this.#head.hash) return [];
    const chain: { hash: Hex; pending: Pending }[] = [];
    for (let at = h; at !== this.#head.hash; ) {
      const pending = this.#pending.get(at);
      if (pending === undefined) throw new RangeError(`block ${hash} does not descend from the committed head ${this.#head.hash}`);
      chain.push({ hash: at, pending });
      at = pending.parentHash;
    }
    chain.reverse();
    for (const { pending } of chain) {
      this.#committed.commit(pending.result.changes);
      this.#remember(pending.result.header.number);
    }
    const last = chain[chain.length - 1]!;
    this.#head = { hash: last.hash, header: last.pending.result.header };
    this.#headWork = last.pending.result.transactions.length > 0 || last.pending.result.inbox.length > 0;
    this.#dropForks();
    return chain.map(({ pending }) => pending.result);
  }

  /** Keeps only the pending blocks that descend from the new committed head. */
  #dropForks(): void {
    const keep = new Set<Hex>([this.#head.hash]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [hash, pending] of this.#pending) {
        if (!keep.has(hash) && keep.has(pending.parentHash)) {
          keep.add(hash);
          grew = true;
        }
      }
    }
    for (const hash of [...this.#pending.keys()]) if (!keep.has(hash) || hash === this.#head.hash) this.#pending.delete(hash);
  }
}

function lower(hash: Hex): Hex {
  return hash.toLowerCase() as Hex;
}
