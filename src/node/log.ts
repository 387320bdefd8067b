/**
 * JSON logs: one object per line on stdout, `{time, level, member, event, ...fields}`, so a
 * cluster's interleaved output can be filtered with jq and tests can wait for an event.
 * bigints print as decimal strings (JSON has no bigint).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export type Log = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

/**
 * Lines below `minLevel` are dropped before they are formatted. Debug lines are per
 * transaction (`tx.accepted`): under load, writing them cost a member more CPU than any other
 * single thing it does per transaction (BENCHMARKS.md, end to end), so members log from
 * "info" unless told otherwise (HOTSTUFF_LOG_LEVEL, scripts/node.ts).
 */
export function createLog(member: number, write: (line: string) => void = (line) => process.stdout.write(line), minLevel: LogLevel = "debug"): Log {
  const min = LOG_LEVELS.indexOf(minLevel);
  return (level, event, fields = {}) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const entry = { time: new Date().toISOString(), level, member, event, ...fields };
    write(`${JSON.stringify(entry, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`);
  };
}
