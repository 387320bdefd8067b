/**
 * `npm run tx-timeline -- <devnet data dir>`: where each transaction's time went (src/devnet/timeline.ts),
 * from the members' logs of a devnet run with HOTSTUFF_LOG_LEVEL=debug. Prints one JSON line.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseLogLines, summarize, transactionPaths } from "../src/devnet/timeline.ts";

const dir = process.argv[2];
if (dir === undefined || !existsSync(dir)) {
  console.error("usage: npm run tx-timeline -- <devnet data dir holding member-N.log files, written with HOTSTUFF_LOG_LEVEL=debug>");
  process.exit(2);
}
const logs = readdirSync(dir).filter((f) => /^member-\d+\.log$/.test(f));
const events = logs.flatMap((f) => parseLogLines(readFileSync(join(dir, f), "utf8")));
const summary = summarize(transactionPaths(events, logs.length));
if (summary.transactions === 0) {
  console.error(`no tx.queued events in ${dir}: run the devnet with HOTSTUFF_LOG_LEVEL=debug`);
  process.exit(1);
}
console.log(JSON.stringify(summary));
