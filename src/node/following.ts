/**
 * Whom a member stays linked to (Replica.followed): its epoch's members, those of every later
 * epoch L1 has started, and for a grace period (LEAVE_GRACE_VIEWS) the members the last epoch
 * change dropped. It owns that grace list and tells the transport (`onFollowed`) each time the
 * set changes.
 */
import type { EpochStart } from "../settlement/index.ts";
import type { EpochState } from "./epochs.ts";
import type { Clock } from "./io.ts";

/**
 * How long, in base view timeouts, a member the new epoch dropped is still followed after this
 * member switched: long enough for it to ask for the epoch-change proof (its old-epoch messages
 * get it) and switch too, as an observer, at the same block; then its links are closed.
 */
const LEAVE_GRACE_VIEWS = 4;

export interface FollowingDeps {
  /** This member's id (never followed). */
  readonly member: number;
  readonly baseTimeoutMs: number;
  readonly clock: Clock;
  /** The member's current epoch (it changes at an epoch switch: read per use). */
  readonly epoch: () => EpochState;
  /** The epochs L1 has started; none for a standalone L2. */
  readonly l1Epochs: () => readonly EpochStart[];
  readonly onFollowed: ((members: readonly number[]) => void) | undefined;
}

export class Following {
  readonly #deps: FollowingDeps;
  #followed = "";
  /** Members the last epoch change dropped, still followed until the time given (LEAVE_GRACE_VIEWS). */
  readonly #leaving = new Map<number, number>();
  #cancelLeaving: () => void = () => {};

  constructor(deps: FollowingDeps) {
    this.#deps = deps;
  }

  /**
   * The member ids this member stays linked to: its epoch's members and those of every later epoch
   * L1 has started (a member still catching up to an epoch change needs both committees), itself
   * excepted. A member that left (exited, removed, slashed) drops out once no such epoch names it.
   */
  members(): number[] {
    const current = this.#deps.epoch();
    const ids = new Set(current.members);
    for (const e of this.#deps.l1Epochs()) if (e.epoch > current.epoch) for (const id of e.members) ids.add(id);
    const now = this.#deps.clock.now();
    for (const [id, until] of this.#leaving) if (until > now) ids.add(id);
    ids.delete(this.#deps.member);
    return [...ids].sort((a, b) => a - b);
  }

  /** Tells `onFollowed` the followed members if they changed since it last heard them. */
  note(): void {
    const followed = this.members();
    const key = followed.join(",");
    if (key === this.#followed) return;
    this.#followed = key;
    this.#deps.onFollowed?.(followed);
  }

  /** After a switch from epoch `previous`: members the switch dropped stay followed a little while (LEAVE_GRACE_VIEWS), then go. */
  keepDropped(previous: EpochState): void {
    const clock = this.#deps.clock;
    const graceMs = LEAVE_GRACE_VIEWS * this.#deps.baseTimeoutMs;
    const stays = new Set(this.members());
    for (const id of previous.members) if (!stays.has(id) && id !== this.#deps.member) this.#leaving.set(id, clock.now() + graceMs);
    this.#cancelLeaving();
    this.#cancelLeaving = clock.after(graceMs, () => {
      const now = clock.now();
      for (const [id, until] of this.#leaving) if (until <= now) this.#leaving.delete(id);
      this.note();
    });
    this.note();
  }

  stop(): void {
    this.#cancelLeaving();
  }
}
