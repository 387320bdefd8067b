/**
 * `npm run bench:restart`'s command line, checked at the boundary (pure, so tested without
 * running anything): every refusal names the option and the value.
 */
import { parseArgs } from "node:util";

export const BENCH_RESTART_USAGE = `usage: npm run bench:restart -- [--blocks N[,N...]] [--host H] [--seed S]

For each N: a 4-member committee in the whole-member simulator (real replicas, real SQLite
stores in a temporary dir, simulated links, clock and L1, the fast simulation signer) commits N
empty blocks; host H crashes, the others go on for 10 s of virtual time, and H restarts from its
store. One JSON line per N on stdout:
  {bench:"restart", blocks, generateSeconds, restartCallMs, firstVoteMs, caughtUpMs, ...cpu, loadAverage}
Progress goes to stderr.

options:
  --blocks N[,N...]   committed blocks before the crash, each 1..1000000 (default 500,50000)
  --host H            the host crashed and restarted, 0..3 (default 3)
  --seed S            the simulated network's seed (default 1)
  --help              this text`;

export interface RestartBenchArgs {
  readonly blocks: readonly number[];
  readonly host: number;
  readonly seed: number;
}

export class RestartUsageError extends Error {
  override readonly name = "RestartUsageError";
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new RestartUsageError(`--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

/** `{ help: true }` for --help; otherwise the options, or a RestartUsageError. */
export function parseRestartBenchArgs(argv: readonly string[]): RestartBenchArgs | { help: true } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { blocks: { type: "string" }, host: { type: "string" }, seed: { type: "string" }, help: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new RestartUsageError((e as Error).message);
  }
  if (values.help === true) return { help: true };
  const blocks = (values.blocks ?? "500,50000").split(",").map((b) => integer("blocks", b.trim(), 1, 1_000_000));
  return {
    blocks,
    host: values.host === undefined ? 3 : integer("host", values.host, 0, 3),
    seed: values.seed === undefined ? 1 : integer("seed", values.seed, 0, Number.MAX_SAFE_INTEGER),
  };
}
