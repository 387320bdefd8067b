/** Who leads a view. Pluggable (DESIGN §4): a reputation rule can replace round-robin later. */
export interface LeaderRule {
  leaderOf(view: bigint): number;
}

/** Member `view mod n` leads `view`: every member leads equally often, in committee order. */
export function roundRobin(committeeSize: number): LeaderRule {
  const n = BigInt(committeeSize);
  return { leaderOf: (view) => Number(view % n) };
}
