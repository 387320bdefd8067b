/**
 * What an operator watches (HotShot's operators asked for these): how long views last, views
 * since the last commit, views this member led that timed out, and whether the member is ready.
 *
 * `/health` says the process answers; `/ready` says the member is caught up: it committed within the last READY_VIEWS views
 * and within READY_WINDOW_VIEWS view timeouts of wall time. A partitioned member stays in its view
 * and stops committing (not ready by time); a member that left its peers behind races through
 * views without committing (not ready by views).
 */
import { M } from "./telemetry.ts";
import type { Metrics } from "./metrics.ts";

/** Views a ready member may go without a commit (two-chain commits each block two views later; timeouts add some). */
export const READY_VIEWS = 8;
/** Base view timeouts of wall time a ready member may go without a commit (an idle devnet commits every few seconds). */
export const READY_WINDOW_VIEWS = 8;

export interface Readiness {
  readonly ready: boolean;
  readonly epoch: string;
  readonly view: string;
  readonly committedHeight: string;
  readonly viewsSinceCommit: number;
  readonly msSinceCommit: number | null;
  readonly reason?: string;
}

export class HealthTracker {
  readonly #metrics: Metrics;
  readonly #windowMs: number;
  #view = 0n;
  #viewSince = 0;
  #commitView = 0n;
  #commitAt: number | undefined;
  /** Recent views this member led (as it saw them when it entered them), to count those that timed out. */
  readonly #led = new Set<bigint>();
  #lastTc = 0n;

  constructor(metrics: Metrics, baseTimeoutMs: number) {
    this.#metrics = metrics;
    this.#windowMs = READY_WINDOW_VIEWS * baseTimeoutMs;
  }

  /** After each step: the view (its duration is observed when it ends) and whether this member leads it. */
  noteView(view: bigint, leading: boolean, now: number): void {
    if (view !== this.#view) {
      if (this.#view > 0n) this.#metrics.observe(M.viewDuration, (now - this.#viewSince) / 1000);
      this.#view = view;
      this.#viewSince = now;
    }
    if (leading) {
      this.#led.add(view);
      if (this.#led.size > 64) this.#led.delete(this.#led.values().next().value!);
    }
    this.#metrics.set(M.viewsSinceCommit, Number(view - this.#commitView));
  }

  noteCommit(view: bigint, now: number): void {
    this.#commitView = view;
    this.#commitAt = now;
  }

  /** A TC for `view` was seen (formed here or received): if this member led that view, its leadership timed out. */
  noteTc(view: bigint): void {
    if (view <= this.#lastTc) return;
    this.#lastTc = view;
    if (this.#led.has(view)) this.#metrics.inc(M.leaderTimeouts);
  }

  /** Restarted members start counting from their restored view. */
  baseline(view: bigint, now: number): void {
    this.#view = view;
    this.#viewSince = now;
    this.#commitView = view;
  }

  readiness(o: { epoch: bigint; committedHeight: bigint; now: number }): Readiness {
    const viewsSinceCommit = Number(this.#view - this.#commitView);
    const msSinceCommit = this.#commitAt === undefined ? null : o.now - this.#commitAt;
    let reason: string | undefined;
    if (msSinceCommit === null) reason = "nothing committed since start";
    else if (msSinceCommit > this.#windowMs) reason = `no commit for ${msSinceCommit} ms (at most ${this.#windowMs})`;
    else if (viewsSinceCommit > READY_VIEWS) reason = `${viewsSinceCommit} views since the last commit (at most ${READY_VIEWS})`;
    const ready = reason === undefined;
    this.#metrics.set(M.ready, ready ? 1 : 0);
    const base = { ready, epoch: o.epoch.toString(), view: this.#view.toString(), committedHeight: o.committedHeight.toString(), viewsSinceCommit, msSinceCommit };
    return reason === undefined ? base : { ...base, reason };
  }
}
