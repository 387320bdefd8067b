/**
 * The L1 follower: polls L1 for what the node must know, and answers the node synchronously.
 *
 *  - Inbox entries (Bridge `InboxEntryAppended`: deposits and forced transactions), as the
 *    InboxEntry objects of src/protocol/inbox.ts, in Inbox order. Each event's accumulated hash
 *    is recomputed, and after every poll the running hash must equal the contract's own
 *    `accumulatedHash(inboxCount())` at the scanned block: a missed, reordered or forged entry
 *    is caught (INBOX_MISMATCH) before the node builds or votes on a block that uses it.
 *  - Finality (Rollup `BlockFinalized` / `BatchSettled`): the finalized L2 head with the L1
 *    transaction and block that finalized it, persisted in the store (fact `l1:finalized`) so
 *    the RPC's `finalized` tag survives a restart, and per-block for rollup_getFinality.
 *  - Slashing (Committee `MemberSlashed`): members ejected, with the reporter and amounts.
 *  - Epochs (Committee `EpochStarted`): the member order a new epoch signs with, with each
 *    member's record (`epochRecords`: key, fee recipient, p2p endpoint) read in the same round,
 *    so a node learns a member governance admitted from L1 alone. After a membership change the
 *    Rollup starts the next epoch at the next settlement, and the nodes must sign in it from
 *    then on (DEVELOPERS, Contracts).
 *
 * L1 is read only at a depth (`confirmations`: a number of blocks below the tip, or the `safe` /
 * `finalized` tag of an L1 that has them; 0 on a devnet, where L1 does not reorganise): what a
 * member builds and votes on must not change under it. The highest block read is `l1Head()`,
 * the L1 origin a leader may give a new block, and the hash of every block read within the last
 * HASH_WINDOW is kept (`hashAt`): blocks name their origin's hash, members check it against
 * theirs, and the Rollup against L1's `blockhash`. Each block read must be the child of the one
 * read before it: a reorg below the depth (the depth was too shallow for this L1) stops the
 * follower with L1_REORG, and nothing from the new branch is taken; an operator must look, as
 * for INBOX_MISMATCH. A restart re-reads from the deployment block: the log queries are cheap,
 * and the Inbox hash chain must be recomputed from its start anyway to be checked.
 */
import type { Hex, PublicClient } from "viem";
import { EMPTY_INBOX_HASH, type InboxEntry } from "../protocol/inbox.ts";
import type { Store } from "../store/index.ts";
import { SettlementError } from "./errors.ts";
import type { L1Connection, L1Contracts } from "./l1.ts";
import { readEpochCommittee } from "./committee-records.ts";
import { readL1Range, type EpochStart, type Finality, type SettledRange, type SlashedMember } from "./l1-range.ts";

export type { EpochStart, Finality, SlashedMember };

export const FINALIZED_FACT = "l1:finalized";

/** How deep an L1 block must be before it is read: blocks below the tip, or an L1 tag. */
export type L1Depth = bigint | "safe" | "finalized";

/**
 * Blocks below the head whose hashes are kept. Far more than a block's origin ever lags the head
 * (the depth plus a leader's origin delay), and than the Rollup's 256-block blockhash window.
 */
export const HASH_WINDOW = 1024n;

/** Block headers fetched at once when a poll reads many blocks (a restart, a long outage). */
const HEADER_CONCURRENCY = 16;

/** What one poll brought: new entries, the new finalized head (if it moved), new slashings and epochs. */
export interface FollowerUpdate {
  readonly l1Head: bigint;
  readonly inbox: readonly InboxEntry[];
  readonly finalized: Finality | undefined;
  readonly slashed: readonly SlashedMember[];
  readonly epochs: readonly EpochStart[];
}

export interface L1FollowerOptions {
  readonly l1: Pick<L1Connection, "publicClient">;
  readonly contracts: L1Contracts;
  /** The deployment's first L1 block (Deployment.deployBlock): where reading starts. */
  readonly fromBlock: bigint;
  /** How deep a block must be before it is read: blocks behind the tip (default 0), or "safe" / "finalized". */
  readonly confirmations?: L1Depth;
  readonly pollIntervalMs?: number;
  /** Most L1 blocks per log query (default 2000, within common RPC limits). */
  readonly maxBlockRange?: bigint;
  /** Where the finalized head is persisted (fact `l1:finalized`), if given. */
  readonly store?: Store;
  /** Called after each poll that brought something new. */
  readonly onUpdate?: (update: FollowerUpdate) => void;
  /** Called when a poll fails (L1 down: retried at the next interval; INBOX_MISMATCH: an operator must look). */
  readonly onError?: (error: unknown) => void;
}


export class L1Follower {
  readonly #client: PublicClient;
  readonly #contracts: L1Contracts;
  readonly #depth: L1Depth;
  readonly #pollIntervalMs: number;
  readonly #maxRange: bigint;
  readonly #store: Store | undefined;
  readonly #onUpdate: ((u: FollowerUpdate) => void) | undefined;
  readonly #onError: (e: unknown) => void;
  readonly #entries: InboxEntry[] = [];
  readonly #ranges: SettledRange[] = [];
  readonly #slashed: SlashedMember[] = [];
  readonly #epochs: EpochStart[] = [];
  /** The hash L1 finalized at each height (BlockFinalized), so a member behind L1 can still check its own blocks. */
  readonly #finalizedHashes = new Map<bigint, Hex>();
  /** L1 block hashes of the blocks read within HASH_WINDOW of the head. */
  readonly #blockHashes = new Map<bigint, Hex>();
  #accumulated: Hex = EMPTY_INBOX_HASH;
  #scanned: bigint;
  #finalized: Finality | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<FollowerUpdate | undefined> | undefined;
  #stopped = true;

  constructor(options: L1FollowerOptions) {
    this.#client = options.l1.publicClient;
    this.#contracts = options.contracts;
    this.#depth = options.confirmations ?? 0n;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.#maxRange = options.maxBlockRange ?? 2_000n;
    this.#store = options.store;
    this.#onUpdate = options.onUpdate;
    this.#onError = options.onError ?? ((e) => console.error(`L1 follower: ${e instanceof Error ? e.message : String(e)}`));
    this.#scanned = options.fromBlock - 1n;
    const persisted = this.#store?.getFact(FINALIZED_FACT);
    if (persisted !== undefined) this.#finalized = parseFinality(persisted);
  }

  /** Every Inbox entry read so far, in order (entry i has index i). */
  inboxEntries(): readonly InboxEntry[] {
    return this.#entries;
  }

  /** The highest L1 block fully read: a safe l1Origin for a new L2 block (fromBlock - 1 before the first poll). */
  l1Head(): bigint {
    return this.#scanned;
  }

  /** L1's hash of block `number` as read (undefined above l1Head() or more than HASH_WINDOW below it). */
  hashAt(number: bigint): Hex | undefined {
    return this.#blockHashes.get(number);
  }

  /** `l1Head()`, under the name the execution wiring sketch in DEVELOPERS uses (`l1.safeHead()`). */
  safeHead(): bigint {
    return this.#scanned;
  }

  /** L1's finalized L2 head (persisted across restarts; refreshed by polls). */
  finalized(): Finality | undefined {
    return this.#finalized;
  }

  /**
   * Whether L2 block `number` is final on L1: the hash L1 finalized there and the L1 transaction
   * that made it so (undefined: not yet, or not seen).
   */
  finality(number: bigint): { readonly hash?: Hex; readonly l1TxHash: Hex; readonly l1Block: bigint } | undefined {
    if (this.#finalized === undefined || number > this.#finalized.number) return undefined;
    let lo = 0;
    let hi = this.#ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.#ranges[mid]!;
      if (number < r.from) hi = mid - 1;
      else if (number > r.to) lo = mid + 1;
      else {
        const hash = this.#finalizedHashes.get(number);
        return hash === undefined ? { l1TxHash: r.l1TxHash, l1Block: r.l1Block } : { hash, l1TxHash: r.l1TxHash, l1Block: r.l1Block };
      }
    }
    return undefined;
  }

  slashed(): readonly SlashedMember[] {
    return this.#slashed;
  }

  /** Every epoch started since the deployment, oldest first (the last is the current one). */
  epochs(): readonly EpochStart[] {
    return this.#epochs;
  }

  /** Polls every `pollIntervalMs` until stop(). Errors go to onError and the next poll retries. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const loop = async () => {
      try {
        await this.poll();
      } catch (error) {
        this.#onError(error);
      }
      if (!this.#stopped) this.#timer = setTimeout(loop, this.#pollIntervalMs);
    };
    void loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#polling?.catch(() => undefined);
  }

  /** One round: reads L1 down to the configured depth. Concurrent calls share the round. */
  poll(): Promise<FollowerUpdate | undefined> {
    this.#polling ??= this.#poll().finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  async #poll(): Promise<FollowerUpdate | undefined> {
    const tip = await this.#target();
    if (tip <= this.#scanned) return undefined;
    const inbox: InboxEntry[] = [];
    const slashed: SlashedMember[] = [];
    const epochs: EpochStart[] = [];
    const finalizedBefore = this.#finalized;
    while (this.#scanned < tip) {
      const fromBlock = this.#scanned + 1n;
      const toBlock = fromBlock + this.#maxRange - 1n < tip ? fromBlock + this.#maxRange - 1n : tip;
      // Together, so that a batching transport (connectL1) sends them as one request.
      const [hashes, range] = await Promise.all([
        this.#readHashes(fromBlock, toBlock, tip),
        readL1Range(this.#client, this.#contracts, { fromBlock, toBlock, entries: this.#entries.length, accumulated: this.#accumulated }),
      ]);
      // Each new epoch comes with its members' records, read in the same round: a node that sees
      // an epoch start also knows whom it names (keys, endpoints), or the round fails and retries.
      // Read at the round's head, not the range's end: keys never change, endpoints are then the
      // current ones, and an L1 node that keeps no old state can still answer a restart's re-read.
      const started: EpochStart[] = [];
      for (const e of range.epochs) started.push({ ...e, ...(await readEpochCommittee(this.#client, this.#contracts.committee, e.epoch, tip)) });
      // Commit the range only once all of it was read and checked: a failure leaves no half-read state.
      for (const [n, h] of hashes) this.#blockHashes.set(n, h);
      for (const n of this.#blockHashes.keys()) if (n + HASH_WINDOW <= toBlock) this.#blockHashes.delete(n);
      this.#entries.push(...range.entries);
      this.#accumulated = range.accumulated;
      this.#ranges.push(...range.settled);
      this.#slashed.push(...range.slashed);
      this.#epochs.push(...started);
      for (const [n, h] of range.finalizedHashes) this.#finalizedHashes.set(n, h);
      if (range.finalized !== undefined) this.#finalized = range.finalized;
      this.#scanned = toBlock;
      inbox.push(...range.entries);
      slashed.push(...range.slashed);
      epochs.push(...started);
    }
    const finalized = this.#finalized !== finalizedBefore ? this.#finalized : undefined;
    if (finalized !== undefined) this.#store?.setFact(FINALIZED_FACT, formatFinality(finalized));
    const update: FollowerUpdate = { l1Head: this.#scanned, inbox, finalized, slashed, epochs };
    if (inbox.length > 0 || finalized !== undefined || slashed.length > 0 || epochs.length > 0) this.#onUpdate?.(update);
    return update;
  }

  /** The highest block deep enough to read. */
  async #target(): Promise<bigint> {
    if (typeof this.#depth === "bigint") return (await this.#client.getBlockNumber({ cacheTime: 0 })) - this.#depth;
    const block = await this.#client.getBlock({ blockTag: this.#depth });
    if (block.number === null) throw new SettlementError("L1_UNAVAILABLE", `L1 has no "${this.#depth}" block`);
    return block.number;
  }

  /**
   * The hashes of blocks from..to that fall within HASH_WINDOW of `tip`, each checked to be the
   * child of the block read before it (the previous range's last block included).
   */
  async #readHashes(from: bigint, to: bigint, tip: bigint): Promise<Map<bigint, Hex>> {
    const first = tip - HASH_WINDOW + 1n > from ? tip - HASH_WINDOW + 1n : from;
    const hashes = new Map<bigint, Hex>();
    for (let start = first; start <= to; start += BigInt(HEADER_CONCURRENCY)) {
      const numbers: bigint[] = [];
      for (let n = start; n <= to && n < start + BigInt(HEADER_CONCURRENCY); n++) numbers.push(n);
      const blocks = await Promise.all(numbers.map((blockNumber) => this.#client.getBlock({ blockNumber })));
      for (const block of blocks) {
        const n = block.number!;
        const parent = hashes.get(n - 1n) ?? this.#blockHashes.get(n - 1n);
        if (parent !== undefined && parent.toLowerCase() !== block.parentHash.toLowerCase()) {
          throw new SettlementError(
            "L1_REORG",
            `L1 block ${n}'s parent is not the block ${n - 1n} this follower read (${parent}, now ${block.parentHash}): L1 reorganised below the configured depth; what was read from there on may have changed, so this member stops following (raise l1.confirmations, or use "finalized")`,
          );
        }
        hashes.set(n, block.hash!);
      }
    }
    return hashes;
  }
}

function formatFinality(f: Finality): string {
  return JSON.stringify({ number: f.number.toString(), hash: f.hash, l1TxHash: f.l1TxHash, l1Block: f.l1Block.toString() });
}

/** Reads the persisted `l1:finalized` fact (what the RPC's `finalized` tag answers from). */
export function parseFinality(text: string): Finality {
  const o = JSON.parse(text) as { number: string; hash: Hex; l1TxHash: Hex; l1Block: string };
  return { number: BigInt(o.number), hash: o.hash, l1TxHash: o.l1TxHash, l1Block: BigInt(o.l1Block) };
}
