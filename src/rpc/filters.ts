/**
 * Installed filters (eth_newFilter, eth_newBlockFilter, eth_newPendingTransactionFilter), polled
 * with eth_getFilterChanges: how ethers and web3 watch a chain over HTTP.
 *
 * Bounded in every direction, because any client may install them: at most `maxFilters` at a
 * time; one nobody polled for `filterTimeoutMs` is removed (geth: 5 minutes), checked on every
 * filter call. Block and log filters hold only a cursor (the next block to report): their changes
 * are read from committed blocks when polled, never buffered. Pending-transaction filters share
 * one ring of the most recent `maxPendingHashes` hashes and hold a position in it: a filter polled
 * less often than the ring turns over misses the oldest (it was told of a sample, as geth's is).
 */
import type { Hex } from "viem";
import type { RpcContext } from "./context.ts";
import { InvalidInputError } from "./errors.ts";
import { LimitExceededError, RPC_LIMITS } from "./limits.ts";
import { invalidParams, quantity } from "./params.ts";
import { collectLogs } from "./methods/block-logs.ts";
import { resolveBlockNumber } from "./methods/block-tag.ts";
import { filterLogs } from "./methods/eth_getLogs.ts";
import { newSubscriptionId } from "./subscriptions.ts";
import type { LogFilter } from "./methods/log-filter.ts";

type Installed =
  | { readonly kind: "blocks"; next: bigint; polled: number }
  | { readonly kind: "logs"; readonly filter: LogFilter; next: bigint; polled: number }
  | { readonly kind: "pending"; seen: number; polled: number };

export interface FilterOptions {
  readonly now?: () => number;
  readonly maxFilters?: number;
  readonly timeoutMs?: number;
  readonly maxPendingHashes?: number;
}

export class FilterTable {
  readonly #filters = new Map<string, Installed>();
  readonly #now: () => number;
  readonly #max: number;
  readonly #timeoutMs: number;
  readonly #ringSize: number;
  /** The most recent pending hashes; `#pendingCount` counts every hash ever added (the ring's write position). */
  readonly #ring: Hex[] = [];
  #pendingCount = 0;
  #stopPending: (() => void) | undefined;

  constructor(o: FilterOptions = {}) {
    this.#now = o.now ?? Date.now;
    this.#max = o.maxFilters ?? RPC_LIMITS.maxFilters;
    this.#timeoutMs = o.timeoutMs ?? RPC_LIMITS.filterTimeoutMs;
    this.#ringSize = o.maxPendingHashes ?? RPC_LIMITS.maxPendingHashes;
  }

  installBlocks(ctx: RpcContext): Hex {
    return this.#install({ kind: "blocks", next: ctx.committedHeight() + 1n, polled: this.#now() });
  }

  installLogs(filter: LogFilter, ctx: RpcContext): Hex {
    return this.#install({ kind: "logs", filter, next: ctx.committedHeight() + 1n, polled: this.#now() });
  }

  installPending(ctx: RpcContext): Hex {
    if (ctx.events === undefined) throw new InvalidInputError("pending transaction filters are not available on this node");
    const id = this.#install({ kind: "pending", seen: this.#pendingCount, polled: this.#now() });
    this.#stopPending ??= ctx.events.onPendingTransaction((hash) => this.#notePending(hash));
    return id;
  }

  /** What happened since the last poll: block hashes, pending transaction hashes, or logs. */
  changes(id: Hex, ctx: RpcContext): unknown[] {
    const f = this.#get(id);
    if (f.kind === "pending") {
      const oldest = this.#pendingCount - this.#ring.length;
      const from = Math.max(f.seen, oldest);
      f.seen = this.#pendingCount;
      return this.#ring.slice(from - oldest);
    }
    const head = ctx.committedHeight();
    if (f.kind === "blocks") {
      // At most one range's worth per poll: a client far behind catches up over several polls.
      const to = bigMin(head, f.next + BigInt(RPC_LIMITS.maxLogBlockRange) - 1n);
      const hashes: Hex[] = [];
      for (; f.next <= to; f.next++) {
        const b = ctx.blockByNumber(f.next);
        if (b === undefined) break;
        hashes.push(b.hash);
      }
      return hashes;
    }
    if (f.filter.blockHash !== undefined) return []; // one past block: nothing new ever comes
    const from = bigMax(f.next, resolveBlockNumber(f.filter.fromBlock, ctx));
    const to = bigMin(bigMin(head, resolveBlockNumber(f.filter.toBlock, ctx)), from + BigInt(RPC_LIMITS.maxLogBlockRange) - 1n);
    if (from > to) {
      f.next = bigMax(f.next, head + 1n);
      return [];
    }
    const found = collectLogs(ctx, f.filter.matcher, from, to);
    if (!found.complete && found.logs.length === 0) throw new LimitExceededError(`block ${quantity(found.next)} alone holds more than ${RPC_LIMITS.maxLogs} matching logs: narrow the filter`);
    f.next = found.next;
    return found.logs;
  }

  /** Every log a log filter matches (eth_getFilterLogs): its whole range, as eth_getLogs would answer. */
  logs(id: Hex, ctx: RpcContext): unknown[] {
    const f = this.#get(id);
    if (f.kind !== "logs") throw invalidParams(`filter ${id} is a ${f.kind === "blocks" ? "block" : "pending transaction"} filter: eth_getFilterLogs reads log filters`);
    return filterLogs(f.filter, ctx);
  }

  uninstall(id: Hex): boolean {
    this.#sweep();
    const removed = this.#filters.delete(id);
    this.#stopPendingIfUnused();
    return removed;
  }

  #install(f: Installed): Hex {
    this.#sweep();
    if (this.#filters.size >= this.#max) {
      this.#stopPendingIfUnused();
      throw new LimitExceededError(`too many filters installed at this node (${this.#max}): uninstall unused ones (eth_uninstallFilter) or let them expire`);
    }
    let id: Hex;
    do id = newSubscriptionId();
    while (this.#filters.has(id));
    this.#filters.set(id, f);
    return id;
  }

  /** A filter by id, its timeout restarted (a poll keeps it alive); geth's message for an unknown one, which viem and ethers recognise. */
  #get(id: Hex): Installed {
    this.#sweep();
    const f = this.#filters.get(id);
    if (f === undefined) throw new InvalidInputError("filter not found");
    f.polled = this.#now();
    return f;
  }

  #sweep(): void {
    const deadline = this.#now() - this.#timeoutMs;
    for (const [id, f] of this.#filters) if (f.polled <= deadline) this.#filters.delete(id);
    this.#stopPendingIfUnused();
  }

  #stopPendingIfUnused(): void {
    if (this.#stopPending === undefined) return;
    for (const f of this.#filters.values()) if (f.kind === "pending") return;
    this.#stopPending();
    this.#stopPending = undefined;
    this.#ring.length = 0;
  }

  #notePending(hash: Hex): void {
    this.#ring.push(hash);
    this.#pendingCount++;
    if (this.#ring.length > this.#ringSize) this.#ring.shift();
  }
}

/** A filter id: the 0x quantity eth_new*Filter returned. */
export function filterIdParam(v: unknown): Hex {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(v)) throw invalidParams("filter id must be the 0x quantity eth_newFilter returned", v);
  return quantity(BigInt(v));
}

const bigMin = (a: bigint, b: bigint) => (a < b ? a : b);
const bigMax = (a: bigint, b: bigint) => (a > b ? a : b);
