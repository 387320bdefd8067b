/**
 * Giving up a view whose leader has crashed, without waiting out its timeout (DESIGN §4, Pacing).
 *
 * With one member dead, each view it leads fails, and so does the view before (its votes go to
 * the dead leader): two timeouts, the second backed off, every time the leader rule names it —
 * seconds per failure where a view takes ~100 ms. Carousel (leader.ts) stops naming a crashed
 * member once the committed chain shows it silent, but right after the crash, and in the
 * round-robin views after a timeout, it still may. What the member does know at once is that the
 * crashed member's link is down: its process's sockets closed, and redials are refused. A view
 * whose progress depends on a member with no link for `graceMs` (its leader, or the next leader
 * once this member voted) is given up: the member signs its timeout now. The other live members
 * see the same dead link and do the same, so the TC forms within a round trip.
 *
 * Always safe (a timeout only stops this member voting in the view), and no lever for a hostile
 * member: a leader that closes its own link only fails its own view, which it could by staying
 * silent; one member's early timeout cannot make others time out (that takes f + 1 of them). A
 * link that merely flaps redials within the grace; a partition that leaves sockets open is found
 * only by the heartbeat, and its views time out as before.
 */
import type { Clock, Links } from "./io.ts";

export class LeaderLinkWatch {
  readonly #links: Links;
  readonly #clock: Clock;
  readonly #graceMs: number;
  readonly #recheck: () => void;
  #cancel: () => void = () => {};
  #checkAt = Number.POSITIVE_INFINITY;

  /** `recheck` runs when a link's grace ends (it asks `downFor` again, for whatever the view is then). */
  constructor(links: Links, clock: Clock, graceMs: number, recheck: () => void) {
    this.#links = links;
    this.#clock = clock;
    this.#graceMs = graceMs;
    this.#recheck = recheck;
  }

  /**
   * How long `peer` (config index) has been unreachable, once that is at least the grace; undefined
   * while its link is up or within the grace (a check is then scheduled for when the grace ends).
   */
  downFor(peer: number): number | undefined {
    if (this.#graceMs === 0) return undefined;
    const since = this.#links.unreachableSince(peer);
    if (since === undefined) return undefined;
    const down = this.#clock.now() - since;
    if (down >= this.#graceMs) return down;
    this.#schedule(since + this.#graceMs);
    return undefined;
  }

  /** A link went down: look again when its grace ends (nothing else may happen in the meantime). */
  linkDown(): void {
    if (this.#graceMs > 0) this.#schedule(this.#clock.now() + this.#graceMs);
  }

  stop(): void {
    this.#cancel();
    this.#checkAt = Number.POSITIVE_INFINITY;
  }

  #schedule(at: number): void {
    const now = this.#clock.now();
    // One pending check is enough while it comes first (and is not already past).
    if (this.#checkAt <= at && this.#checkAt > now) return;
    this.#cancel();
    this.#checkAt = at;
    this.#cancel = this.#clock.after(at - now, () => {
      this.#checkAt = Number.POSITIVE_INFINITY;
      this.#recheck();
    });
  }
}
