/**
 * `npm run bench:flood -- [--seconds 60] [--rate 20] [--flooder 3] [--sample-ms 2000]`
 * (src/devnet/bench-flood.ts): a 4-member committee under the same transfer load, all honest,
 * then with one member flooding its peers. One JSON line on stdout, progress on stderr:
 *
 *   {"members":4,"flooder":3,"ratePerSec":20,"seconds":60,"healthy":{...},"flood":{...},
 *    "commitRatio":...,"maxRssGrowthMiB":...}
 *
 * Needs Redis (REDIS_URL, else redis://127.0.0.1:6379). Exit 0 when both phases ran, 2 for a
 * bad command line, 1 otherwise.
 */
import { parseArgs } from "node:util";
import { runFloodBench } from "../src/devnet/bench-flood.ts";

const USAGE = "usage: npm run bench:flood -- [--seconds 60] [--rate 20] [--flooder 3] [--sample-ms 2000]";
let values: { seconds?: string; rate?: string; flooder?: string; "sample-ms"?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { seconds: { type: "string" }, rate: { type: "string" }, flooder: { type: "string" }, "sample-ms": { type: "string" }, help: { type: "boolean" } }, strict: true }));
} catch (e) {
  process.stderr.write(`bench:flood: ${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
}
if (values.help === true) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
function number(name: string, v: string | undefined, fallback: number, min: number, max: number): number {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    process.stderr.write(`bench:flood: --${name} must be an integer in [${min}, ${max}], got ${JSON.stringify(v)}\n`);
    process.exit(2);
  }
  return n;
}

const report = await runFloodBench({
  seconds: number("seconds", values.seconds, 60, 5, 3_600),
  ratePerSec: number("rate", values.rate, 20, 1, 1_000),
  flooder: number("flooder", values.flooder, 3, 0, 3),
  sampleMs: number("sample-ms", values["sample-ms"], 2_000, 100, 60_000),
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  say: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify(report)}\n`);
