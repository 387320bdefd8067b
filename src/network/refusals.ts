/**
 * What was refused from whom: one counter per (peer, reason), exported as
 * `hotstuff_messages_dropped_total{peer,reason}`. The transport counts what it sees on the wire
 * (`rate`, `oversize`, `malformed` frames); the member counts what it sees after decoding
 * (`malformed` messages, `budget`: verification work the peer was not allowed to cost us,
 * `not_in_epoch`: consensus traffic from a member outside the epoch, `refused`: messages the
 * consensus core refused, e.g. a bad signature or an invalid block).
 */
export type RefusalReason = "budget" | "rate" | "malformed" | "oversize" | "not_in_epoch" | "refused";

export interface PeerRefusal {
  /** The member's committee (config) index. */
  readonly peer: number;
  readonly reason: RefusalReason;
  readonly count: number;
}

export class RefusalCounts {
  readonly #counts = new Map<string, { peer: number; reason: RefusalReason; count: number }>();

  add(peer: number, reason: RefusalReason, count = 1): void {
    const key = `${peer}:${reason}`;
    const entry = this.#counts.get(key);
    if (entry === undefined) this.#counts.set(key, { peer, reason, count });
    else entry.count += count;
  }

  /** The count for one peer and reason (0 when never refused). */
  of(peer: number, reason: RefusalReason): number {
    return this.#counts.get(`${peer}:${reason}`)?.count ?? 0;
  }

  /** Every non-zero counter, ordered by peer then reason. */
  list(): PeerRefusal[] {
    return [...this.#counts.values()]
      .map((e) => ({ ...e }))
      .sort((a, b) => a.peer - b.peer || a.reason.localeCompare(b.reason));
  }
}
