/**
 * JSON logs: one object per line on stdout, `{time, level, member, event, ...fields}`, so a
 * cluster's interleaved output can be filtered with jq and tests can wait for an event.
 * bigints print as decimal strings (JSON has no bigint).
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export type Log = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

export function createLog(member: number, write: (line: string) => void = (line) => process.stdout.write(line)): Log {
  return (level, event, fields = {}) => {
    const entry = { time: new Date().toISOString(), level, member, event, ...fields };
    write(`${JSON.stringify(entry, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`);
  };
}
