/**
 * The pacemaker: which view this member is in and when it gives up on it. Time only enters as
 * the `now` of events, so the same inputs always give the same deadlines.
 *
 * A view ends by a QC (progress: the back-off resets) or by a TC (the leader failed: the next
 * view waits longer, base * factor^k capped, so that once the network delivers within some
 * unknown bound the views eventually last long enough for an honest leader to finish — the
 * partial-synchrony argument for liveness).
 */
export interface PacemakerConfig {
  /** Duration of a view after a QC, in ms. */
  readonly baseTimeout: number;
  /** Multiplier per consecutive view that ended by a timeout. */
  readonly backoffFactor: number;
  /** Upper bound of a view's duration, in ms. */
  readonly maxTimeout: number;
}

export const DEFAULT_PACEMAKER: PacemakerConfig = { baseTimeout: 1000, backoffFactor: 2, maxTimeout: 60_000 };

export class Pacemaker {
  readonly #config: PacemakerConfig;
  #view: bigint;
  #deadline = 0;
  #consecutiveTimeouts = 0;

  constructor(config: PacemakerConfig, view: bigint) {
    this.#config = config;
    this.#view = view;
  }

  get view(): bigint {
    return this.#view;
  }

  get deadline(): number {
    return this.#deadline;
  }

  /** How long the current view lasts, given how many views in a row timed out. */
  duration(): number {
    const { baseTimeout, backoffFactor, maxTimeout } = this.#config;
    return Math.min(maxTimeout, baseTimeout * backoffFactor ** Math.min(this.#consecutiveTimeouts, 64));
  }

  /** Starts the clock of the current view (at boot or after a restart). */
  start(now: number): void {
    this.#deadline = now + this.duration();
  }

  /** Moves to `view` (only forward); returns false when `view` is not ahead. */
  enter(view: bigint, byTimeout: boolean, now: number): boolean {
    if (view <= this.#view) return false;
    this.#view = view;
    this.#consecutiveTimeouts = byTimeout ? this.#consecutiveTimeouts + 1 : 0;
    this.#deadline = now + this.duration();
    return true;
  }

  /** Pushes the deadline one view-duration on, to re-send a timeout while the view is stuck. */
  extend(now: number): void {
    this.#deadline = now + this.duration();
  }

  hasExpired(now: number): boolean {
    return now >= this.#deadline;
  }
}
