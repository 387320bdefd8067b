/**
 * Who leads a view (DESIGN §4): a pluggable rule, deterministic from committed state.
 *
 * Round-robin (`view mod n`) gives every member its turn, a crashed one too: with one member
 * down, each rotation loses its view and the next (the votes of its view go to it), so a dead
 * member costs two timeouts per rotation for ever.
 *
 * Carousel (Cohen, Gelashvili, Kokoris-Kogias, Li, Malkhi, Sonnino, Spiegelman: "Be Aware of
 * Your Leaders", FC 2022; relab/hotstuff's leaderrotation/carousel.go) picks the leader of view
 * r among members that recently proved alive, read from the committed chain:
 *
 *   B = the block committed at exactly view r - 3, if this member knows it committed.
 *   If there is no such B (or B is a genesis or epoch-boundary block, whose justify is not this
 *   committee's), leader(r) = r mod n (round-robin: the fallback off the happy path).
 *   Otherwise the candidates are the signers of B.justify (a QC, ascending member order), minus
 *   the proposers of B and of its f - 1 committed ancestors (the last f committed blocks, ending
 *   at B), and leader(r) = candidates[splitmix64(r) mod |candidates|] (round-robin if empty).
 *
 * Why r - 3: under the two-chain rule (core.ts, #applyCommitRule) a QC over B' commits B' parent
 * when their views are consecutive. In the happy path the proposal of view r - 1 carries QC(r - 2),
 * which commits the block of view r - 3. So every member that votes in view r - 1 (and must send
 * that vote to leader(r)) has just committed B; the leader of r, holding QC(r - 1), has too; and
 * a member validating the proposal of r processes its justify QC(r - 1) (and so QC(r - 2), in the
 * parent it already holds) first. Reading the block at exactly view r - 3 — not "the latest
 * committed block" — makes the answer the same whenever it is computed later (sync, evidence),
 * because the committed chain only grows and every committed block carries its justify and its
 * proposer (types.ts, Proposal.proposer). B.justify rather than the QC over B: a block's justify is
 * part of it (hashed), while two QCs over one block may name different signers.
 *
 * Off the happy path (view r - 2 or r - 1 timed out) members may disagree on whether B is
 * committed yet; the core parks a proposal whose proposer it does not expect until its commit
 * head moves or a QC certifies it (leader-wait.ts). Safety never depends on the leader: a member
 * votes once per view whoever proposes.
 *
 * Why the signers of a QC: they voted two views ago, so they were alive; a crashed member never
 * signs again and after a few views is never chosen. Excluding the last f proposers spreads the
 * turns, so f colluding members (who may sign every QC) cannot keep the lead among themselves.
 */
import { faultTolerance, indicesFromBitmap } from "../crypto/index.ts";
import type { Block, Proposal } from "./types.ts";

/** A committed block as the leader rule reads it: `proposal` is null for genesis (and an epoch's boundary block). */
export interface CommittedEntry {
  readonly block: Block;
  readonly proposal: Proposal | null;
}

/** What a leader rule may read: the member's committed chain (the block tree and its archive). */
export interface CommittedChain {
  /** The committed head. */
  readonly root: CommittedEntry;
  /** The block committed at exactly `view`, if this member knows it committed (undefined otherwise). */
  committedAt(view: bigint): CommittedEntry | undefined;
  /** The committed parent of a committed block, while it is still kept. */
  parentOf(entry: CommittedEntry): CommittedEntry | undefined;
}

/** Who leads a view, from what this member knows committed. */
export interface LeaderRule {
  readonly name: string;
  leaderOf(view: bigint, chain: CommittedChain): number;
  /**
   * Whether leaderOf(view) reads only what is already committed here, so that more commits cannot
   * change it: a proposal or vote that disagrees is then plainly misdirected.
   */
  settled(view: bigint, chain: CommittedChain): boolean;
}

/** The view whose committed block Carousel reads, relative to the view being led. */
export const CAROUSEL_DEPTH = 3n;

/** Member `view mod n` leads `view`: every member leads equally often, in committee order. */
export function roundRobin(committeeSize: number): LeaderRule {
  const n = BigInt(committeeSize);
  return { name: "round-robin", leaderOf: (view) => Number(view % n), settled: () => true };
}

/** Carousel (see above); `seed` is shared by the whole committee (default 0). */
export function carousel(committeeSize: number, seed = 0n): LeaderRule {
  const fallback = roundRobin(committeeSize);
  const f = faultTolerance(committeeSize);
  return {
    name: "carousel",
    settled: (view, chain) => chain.root.block.header.view >= view - CAROUSEL_DEPTH,
    leaderOf(view, chain) {
      if (view < CAROUSEL_DEPTH) return fallback.leaderOf(view, chain);
      const committed = chain.committedAt(view - CAROUSEL_DEPTH);
      if (committed === undefined || committed.proposal === null) return fallback.leaderOf(view, chain);
      const recent = new Set<number>();
      let entry: CommittedEntry | undefined = committed;
      for (let i = 0; i < f && entry !== undefined && entry.proposal !== null; i++) {
        recent.add(entry.proposal.proposer);
        entry = chain.parentOf(entry);
      }
      const candidates = indicesFromBitmap(committed.block.justify.signers).filter((m) => m < committeeSize && !recent.has(m));
      if (candidates.length === 0) return fallback.leaderOf(view, chain);
      return candidates[Number(splitmix64(view ^ seed) % BigInt(candidates.length))]!;
    },
  };
}

/** The rules a configuration may name. */
export const LEADER_RULES = { "round-robin": roundRobin, carousel } as const;
export type LeaderRuleName = keyof typeof LEADER_RULES;

const MASK = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea, Flood 2014): a fixed, well-mixed function of the view, the same on every member. */
export function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return z ^ (z >> 31n);
}
