/**
 * The devnet's live status line, e.g.
 *   view 1234 · committed #1200 · finalized #1180 (20 behind) · 45.3 tx/s · peers 3/3
 * rendered from numbers only (no I/O, no clock), so `npm start` can redraw it from whatever it
 * polls and tests can check it exactly.
 */

export interface StatusFigures {
  /** The current consensus view. */
  readonly view: bigint | number;
  /** Height of the highest committed L2 block. */
  readonly committed: bigint | number;
  /** Height of the highest L2 block finalized on L1; undefined before the first settlement. */
  readonly finalized: bigint | number | undefined;
  /** Committed transactions per second (a RateMeter's reading). */
  readonly txPerSec: number;
  /** Connected peers. */
  readonly peers: number;
  /** Peers expected (committee size - 1); omitted when unknown. */
  readonly expectedPeers?: number;
}

function checkCount(name: string, value: bigint | number): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) throw new RangeError(`${name} must be an integer, got ${value}`);
  const count = BigInt(value);
  if (count < 0n) throw new RangeError(`${name} must be >= 0, got ${value}`);
  return count;
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond < 0) throw new RangeError(`txPerSec must be a finite number >= 0, got ${perSecond}`);
  return perSecond < 100 ? perSecond.toFixed(1) : Math.round(perSecond).toString();
}

export function renderStatus(figures: StatusFigures): string {
  const view = checkCount("view", figures.view);
  const committed = checkCount("committed", figures.committed);
  let finalized = "finalized none yet";
  if (figures.finalized !== undefined) {
    const height = checkCount("finalized", figures.finalized);
    // The two heights are read at slightly different moments, so a just-settled block may show
    // as finalized before its commit is seen: that is 0 behind, not a negative lag.
    const behind = committed > height ? committed - height : 0n;
    finalized = `finalized #${height} (${behind} behind)`;
  }
  const peers = figures.expectedPeers === undefined ? `peers ${figures.peers}` : `peers ${figures.peers}/${figures.expectedPeers}`;
  return [`view ${view}`, `committed #${committed}`, finalized, `${formatRate(figures.txPerSec)} tx/s`, peers].join(" · ");
}

/**
 * Events per second over a sliding window. Time is passed in (milliseconds, any monotonic
 * origin) rather than read from a clock, so the meter is deterministic under test.
 */
export class RateMeter {
  readonly windowMs: number;
  readonly #startMs: number;
  readonly #samples: { atMs: number; count: number }[] = [];

  constructor(options: { windowMs: number; startMs: number }) {
    if (!(options.windowMs > 0)) throw new RangeError(`windowMs must be > 0, got ${options.windowMs}`);
    this.windowMs = options.windowMs;
    this.#startMs = options.startMs;
  }

  /** Records `count` events (e.g. the transactions of a committed block) at `atMs`. */
  record(count: number, atMs: number): void {
    if (!Number.isFinite(count) || count < 0) throw new RangeError(`count must be >= 0, got ${count}`);
    const last = this.#samples[this.#samples.length - 1];
    if (last !== undefined && atMs < last.atMs) throw new RangeError(`samples must come in time order: ${atMs} < ${last.atMs}`);
    this.#samples.push({ atMs, count });
  }

  /**
   * Events in (nowMs - windowMs, nowMs] divided by the window, or by the time since the start
   * while less than a window has passed (so the first seconds are not under-reported).
   */
  perSecond(nowMs: number): number {
    const from = nowMs - this.windowMs;
    while (this.#samples.length > 0 && this.#samples[0]!.atMs <= from) this.#samples.shift();
    const span = Math.min(this.windowMs, nowMs - this.#startMs);
    if (span <= 0) return 0;
    let total = 0;
    for (const sample of this.#samples) if (sample.atMs <= nowMs) total += sample.count;
    return (total * 1000) / span;
  }
}
