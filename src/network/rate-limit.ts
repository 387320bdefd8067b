/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`. Time is passed in (ms),
 * so the bucket is pure and tests drive it with any clock.
 *
 * Two ways to spend: `take` refuses what the bucket cannot pay (the caller drops the work), and
 * `charge` always pays and may leave the bucket in debt (the caller already did the work, e.g. read
 * a frame off the socket, and throttles the peer until the debt is repaid).
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(ratePerSecond: number, burst: number, now: number) {
    if (!(ratePerSecond > 0) || !(burst > 0)) throw new RangeError(`token bucket needs a positive rate and burst, got rate ${ratePerSecond}, burst ${burst}`);
    this.#rate = ratePerSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  get ratePerSecond(): number {
    return this.#rate;
  }

  /** Tokens available at `now` (negative while in debt). */
  available(now: number): number {
    // A clock that steps back must not mint tokens or take them away.
    if (now > this.#last) {
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
      this.#last = now;
    }
    return this.#tokens;
  }

  /** Takes `cost` tokens if available at `now`; false means refuse (nothing is taken). */
  take(cost: number, now: number): boolean {
    if (this.available(now) < cost) return false;
    this.#tokens -= cost;
    return true;
  }

  /** Takes `cost` tokens unconditionally; returns what is left, negative while in debt. */
  charge(cost: number, now: number): number {
    this.#tokens = this.available(now) - cost;
    return this.#tokens;
  }

  /** Milliseconds until the bucket is out of debt at `now` (0 when it is not in debt). */
  msUntilSolvent(now: number): number {
    const tokens = this.available(now);
    return tokens >= 0 ? 0 : Math.ceil((-tokens / this.#rate) * 1000);
  }
}
