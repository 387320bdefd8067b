/**
 * The seams between a replica (replica.ts: the member's event loop, block validation, epochs,
 * sync, ledger, pacing) and the world. A running member plugs in real sockets, real timers,
 * Redis and an L1 follower (member.ts); the whole-member simulator (src/sim/stack) plugs in a
 * seeded network, a virtual clock and a scripted L1, and runs the very same replica code.
 */
import type { EpochStart } from "../settlement/index.ts";
import type { L1View } from "./chain.ts";

/** Authenticated links to the other configured members, by config index. Best effort: no queueing for a peer that is down. */
export interface Links {
  send(to: number, data: string): void;
  broadcast(data: string): void;
  connectedPeers(): readonly number[];
  /**
   * Since when (this member's clock, ms) `peer` has had no authenticated link, undefined while one
   * is open. A peer whose link stays down (a crashed process: its sockets closed, redials refused)
   * will not deliver what the member waits for; the replica gives up such a view early.
   */
  unreachableSince(peer: number): number | undefined;
}

/** Time, in milliseconds. */
export interface Clock {
  now(): number;
  /** Calls `fn` once, `ms` from now; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(timer);
  },
};

/** What the replica reads of L1: the Inbox and heads (chain.ts's L1View), and the committee epochs L1 has started. */
export interface ReplicaL1 extends L1View {
  /** Every epoch started since the deployment, oldest first. */
  epochs(): readonly EpochStart[];
}

/** Where a replica's output for L1 goes (the Redis outbox in a running member). Fire and forget: failures are the sink's to log. */
export interface L1Sink {
  /** Blocks up to `number` were committed at `at` (ms): settle them. */
  committed(number: bigint, at: number): void;
  /** Equivocation evidence, with the epoch it was signed in, under a stable id (one offence, one id). */
  evidence(id: string, evidence: Record<string, unknown>): void;
}
