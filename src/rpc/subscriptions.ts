/**
 * eth_subscribe's sources, shared by every WebSocket connection of a node: `newHeads` (committed
 * blocks' headers), `logs` (their logs that match an address/topics filter) and
 * `newPendingTransactions` (hashes this member accepted). Each committed block is read and
 * formatted once, however many subscribers there are.
 *
 * The member's commit and admission paths call in here (RpcEvents), so nothing is done on them:
 * a commit only records the new height, an accepted transaction only queues its hash, and the
 * notifications go out on the next turn of the event loop (commits that come faster coalesce).
 */
import { randomBytes } from "node:crypto";
import type { Hex } from "viem";
import type { RpcContext } from "./context.ts";
import { InvalidInputError } from "./errors.ts";
import { invalidParams, objectParam, quantity } from "./params.ts";
import { blockLogs } from "./methods/block-logs.ts";
import { formatHeader } from "./methods/format-block.ts";
import { formatLog } from "./methods/format-log.ts";
import { logMatcherParam, matchesLog, type LogMatcher } from "./methods/log-filter.ts";

/** Blocks read for one commit event at most: a member that jumps further (after a sync) notifies the newest only. */
const MAX_BLOCKS_PER_EVENT = 256;
/** Pending hashes held for the next turn of the event loop at most. */
const MAX_PENDING_QUEUED = 10_000;

type Subscriber =
  | { readonly kind: "newHeads"; readonly notify: (result: unknown) => void }
  | { readonly kind: "logs"; readonly matcher: LogMatcher; readonly notify: (result: unknown) => void }
  | { readonly kind: "newPendingTransactions"; readonly notify: (result: unknown) => void };

export type SubscriptionKind = Subscriber["kind"];

export class SubscriptionHub {
  readonly #ctx: RpcContext;
  readonly #gasLimit: bigint;
  readonly #log: ((event: string, fields: Record<string, unknown>) => void) | undefined;
  readonly #subscribers = new Set<Subscriber>();
  #stopCommits: (() => void) | undefined;
  #stopPending: (() => void) | undefined;
  /** The last height notified, and the highest committed one heard of. */
  #notified = 0n;
  #committed = 0n;
  #scheduled = false;
  /** Hashes accepted since the last turn of the event loop, at most MAX_PENDING_QUEUED (the oldest dropped). */
  #pending: Hex[] = [];

  constructor(ctx: RpcContext, gasLimit: bigint, log?: (event: string, fields: Record<string, unknown>) => void) {
    this.#ctx = ctx;
    this.#gasLimit = gasLimit;
    this.#log = log;
  }

  /**
   * eth_subscribe's params, checked: ["newHeads"], ["logs", {address?, topics?}] or
   * ["newPendingTransactions"]. `notify` receives each result; returns the unsubscribe.
   */
  subscribe(params: readonly unknown[], notify: (result: unknown) => void): () => void {
    const events = this.#ctx.events;
    if (events === undefined) throw new InvalidInputError("subscriptions are not available on this node");
    const kind = params[0];
    let s: Subscriber;
    if (kind === "newHeads" && params.length === 1) s = { kind, notify };
    else if (kind === "logs" && params.length <= 2) s = { kind, notify, matcher: logMatcherParam(params[1] === undefined ? {} : objectParam(params[1], "filter", ["address", "topics"]), "filter") };
    else if (kind === "newPendingTransactions" && (params.length === 1 || params[1] === false)) s = { kind, notify };
    else throw invalidParams('expected ["newHeads"], ["logs", {address?, topics?}] or ["newPendingTransactions"]', params);
    if (s.kind === "newPendingTransactions") {
      this.#stopPending ??= events.onPendingTransaction((hash) => this.#notePending(hash));
    } else if (this.#stopCommits === undefined) {
      this.#notified = this.#committed = this.#ctx.committedHeight();
      this.#stopCommits = events.onCommitted((height) => this.#noteCommitted(height));
    }
    this.#subscribers.add(s);
    return () => {
      this.#subscribers.delete(s);
      this.#stopUnused();
    };
  }

  #noteCommitted(height: bigint): void {
    if (height > this.#committed) this.#committed = height;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      try {
        this.#publishBlocks();
      } catch (e) {
        this.#log?.("rpc.subscription_failed", { error: e instanceof Error ? e.message : String(e) });
      }
    });
  }

  #notePending(hash: Hex): void {
    this.#pending.push(hash);
    if (this.#pending.length > MAX_PENDING_QUEUED) this.#pending.shift();
    if (this.#pending.length > 1) return; // a flush is already scheduled
    setImmediate(() => {
      const hashes = this.#pending;
      this.#pending = [];
      for (const h of hashes) this.#each("newPendingTransactions", (s) => s.notify(h));
    });
  }

  #publishBlocks(): void {
    const to = this.#committed;
    let from = this.#notified + 1n;
    if (to - from >= BigInt(MAX_BLOCKS_PER_EVENT)) from = to - BigInt(MAX_BLOCKS_PER_EVENT) + 1n;
    this.#notified = to;
    for (let n = from; n <= to; n++) {
      const b = this.#ctx.blockByNumber(n);
      if (b === undefined) continue;
      if (this.#has("newHeads")) {
        const header = formatHeader(b, this.#gasLimit, this.#ctx);
        this.#each("newHeads", (s) => s.notify(header));
      }
      if (this.#has("logs") && b.transactionHashes.length > 0) {
        const logs = blockLogs(b, this.#ctx);
        this.#each("logs", (s) => {
          for (const l of logs) if (matchesLog(s.matcher, l.log)) s.notify(formatLog(l.log, l.at));
        });
      }
    }
  }

  #has(kind: SubscriptionKind): boolean {
    for (const s of this.#subscribers) if (s.kind === kind) return true;
    return false;
  }

  /** Calls `f` for each subscriber of `kind`; a subscriber's failure (a closed socket) is its own. */
  #each<K extends SubscriptionKind>(kind: K, f: (s: Extract<Subscriber, { kind: K }>) => void): void {
    for (const s of [...this.#subscribers]) {
      if (s.kind !== kind) continue;
      try {
        f(s as Extract<Subscriber, { kind: K }>);
      } catch (e) {
        this.#log?.("rpc.subscription_failed", { kind, error: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  #stopUnused(): void {
    if (this.#stopPending !== undefined && !this.#has("newPendingTransactions")) {
      this.#stopPending();
      this.#stopPending = undefined;
    }
    if (this.#stopCommits !== undefined && !this.#has("newHeads") && !this.#has("logs")) {
      this.#stopCommits();
      this.#stopCommits = undefined;
    }
  }
}

/** A subscription id: 16 random bytes as a quantity, as geth's. */
export function newSubscriptionId(): Hex {
  return quantity(BigInt(`0x${randomBytes(16).toString("hex")}`));
}
