/**
 * A token bucket per peer: `ratePerSecond` tokens refill continuously up to `burst`. A peer that
 * floods us (by accident or on purpose) has its excess messages dropped instead of starving the
 * consensus loop; sustained excess gets the link closed by the caller.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(ratePerSecond: number, burst: number, now: number) {
    this.#rate = ratePerSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes `cost` tokens if available at time `now` (ms); false means drop. */
  take(cost: number, now: number): boolean {
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
    if (this.#tokens < cost) return false;
    this.#tokens -= cost;
    return true;
  }
}
