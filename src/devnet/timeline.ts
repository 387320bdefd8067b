/**
 * The path of each transaction through a devnet, from its members' debug logs
 * (HOTSTUFF_LOG_LEVEL=debug): where between `eth_sendRawTransaction` and the commit the time
 * goes (issue 11). Stages, per transaction, in ms after it was durably queued at the member that
 * took it from the wallet (`tx.queued`):
 *  - `mempool`: in that member's mempool (`tx.accepted`, source rpc: the intake worker took it);
 *  - `peers`: in the last peer's mempool (`tx.accepted`, source gossip, every other member);
 *  - `proposed`: its leader proposed the block holding it (`block.transactions`);
 *  - `committed`: that member committed the block (`block.committed`, which covers a range).
 * Clocks are one machine's: the members run on the same host.
 */
export interface TimelineEvent {
  readonly time: number;
  readonly member: number;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

export interface TransactionPath {
  readonly hash: string;
  readonly member: number;
  readonly mempool?: number;
  readonly peers?: number;
  readonly proposed?: number;
  readonly committed?: number;
}

export interface TimelineSummary {
  readonly transactions: number;
  /** p50 / p99 of each stage (ms after tx.queued), over the transactions that reached it. */
  readonly stages: Record<"mempool" | "peers" | "proposed" | "committed", { readonly p50: number | null; readonly p99: number | null; readonly count: number }>;
}

/** Parses JSON log lines (other lines are skipped). */
export function parseLogLines(text: string): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    let d: Record<string, unknown>;
    try {
      d = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof d.time !== "string" || typeof d.member !== "number" || typeof d.event !== "string") continue;
    out.push({ time: Date.parse(d.time), member: d.member, event: d.event, fields: d });
  }
  return out;
}

/** Each queued transaction's stages (see above). */
export function transactionPaths(events: readonly TimelineEvent[], members: number): TransactionPath[] {
  const queued = new Map<string, { time: number; member: number }>();
  const accepted = new Map<string, Map<number, number>>();
  const blockOf = new Map<string, { number: number; time: number; member: number }>();
  const commits: { member: number; from: number; to: number; time: number }[] = [];
  for (const e of [...events].sort((a, b) => a.time - b.time)) {
    const f = e.fields;
    if (e.event === "tx.queued" && typeof f.hash === "string" && !queued.has(f.hash)) queued.set(f.hash, { time: e.time, member: e.member });
    else if (e.event === "tx.accepted" && typeof f.hash === "string") {
      const at = accepted.get(f.hash) ?? new Map<number, number>();
      if (!at.has(e.member)) at.set(e.member, e.time);
      accepted.set(f.hash, at);
    } else if (e.event === "block.transactions" && Array.isArray(f.hashes)) {
      for (const h of f.hashes) if (typeof h === "string" && !blockOf.has(h)) blockOf.set(h, { number: Number(f.number), time: e.time, member: e.member });
    } else if (e.event === "block.committed") {
      const to = Number(f.number);
      commits.push({ member: e.member, from: to - Number(f.blocks ?? 1) + 1, to, time: e.time });
    }
  }
  const paths: TransactionPath[] = [];
  for (const [hash, q] of queued) {
    const at = accepted.get(hash);
    const own = at?.get(q.member);
    const others = [...(at?.entries() ?? [])].filter(([m]) => m !== q.member);
    const block = blockOf.get(hash);
    const commit = block === undefined ? undefined : commits.find((c) => c.member === q.member && c.from <= block.number && block.number <= c.to && c.time >= q.time);
    paths.push({
      hash,
      member: q.member,
      ...(own === undefined ? {} : { mempool: own - q.time }),
      ...(others.length === members - 1 ? { peers: Math.max(...others.map(([, t]) => t)) - q.time } : {}),
      ...(block === undefined ? {} : { proposed: block.time - q.time }),
      ...(commit === undefined ? {} : { committed: commit.time - q.time }),
    });
  }
  return paths;
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

export function summarize(paths: readonly TransactionPath[]): TimelineSummary {
  const stage = (k: "mempool" | "peers" | "proposed" | "committed") => {
    const values = paths.map((p) => p[k]).filter((v): v is number => v !== undefined);
    return { p50: percentile(values, 0.5), p99: percentile(values, 0.99), count: values.length };
  };
  return { transactions: paths.length, stages: { mempool: stage("mempool"), peers: stage("peers"), proposed: stage("proposed"), committed: stage("committed") } };
}
