/**
 * Links whose sends wait for the store. The replica carries out a step's actions (the block, the
 * safety state, the ledger entry of what it signs, a commit) in one store transaction: one fsync
 * per step where each write was its own (four to five a view, a fifth of a member's time under
 * load; BENCHMARKS.md, issue 11). Persist before send still holds, for the whole step: what the
 * step sends is held here and leaves, in order, once its transaction committed; a step whose
 * transaction failed sends nothing of what it held.
 */
import type { Links } from "./io.ts";

export class HeldLinks implements Links {
  readonly #links: Links;
  #depth = 0;
  #held: (() => void)[] = [];

  constructor(links: Links) {
    this.#links = links;
  }

  send(to: number, data: string): void {
    if (this.#depth > 0) this.#held.push(() => this.#links.send(to, data));
    else this.#links.send(to, data);
  }

  broadcast(data: string): void {
    if (this.#depth > 0) this.#held.push(() => this.#links.broadcast(data));
    else this.#links.broadcast(data);
  }

  connectedPeers(): readonly number[] {
    return this.#links.connectedPeers();
  }

  unreachableSince(peer: number): number | undefined {
    return this.#links.unreachableSince(peer);
  }

  /**
   * Runs `work` inside `atomically` (the store's transaction) with sends held. They leave when
   * the outermost call returns; a call that throws drops what it held (a nested one only its own:
   * its savepoint was rolled back, the outer transaction goes on).
   */
  holding<T>(atomically: (work: () => T) => T, work: () => T): T {
    const mark = this.#held.length;
    this.#depth++;
    let result: T;
    try {
      result = atomically(work);
    } catch (e) {
      this.#held.length = mark;
      throw e;
    } finally {
      this.#depth--;
    }
    if (this.#depth === 0) {
      const held = this.#held;
      this.#held = [];
      for (const send of held) send();
    }
    return result;
  }
}
