/**
 * SQLite's whole-file check (`PRAGMA quick_check`), off the restart path. It reads every page of
 * the file (≈ 0.7 ms per MB here), so on the open path it made a restart grow with the chain;
 * Store.open keeps the checks that cost nothing (schema, identity, the safety row's checksum) and
 * the member runs this one in a worker thread once it is up, on a read-only connection of its own
 * (WAL lets it read beside the member's writes). Damage it finds stops the member with the
 * damaged-store message: a damaged store is never silently used.
 */
import { Worker } from "node:worker_threads";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { DatabaseSync } = require("node:sqlite");
let answer;
try {
  const db = new DatabaseSync(workerData, { readOnly: true });
  try {
    const rows = db.prepare("PRAGMA quick_check(8)").all();
    answer = rows.map((r) => r.quick_check).join("; ");
  } finally {
    db.close();
  }
} catch (e) {
  answer = "cannot be read: " + (e && e.message);
}
parentPort.postMessage(answer);
`;

/** Resolves undefined when the file passes, else what SQLite found wrong. */
export async function checkStoreIntegrity(path: string): Promise<string | undefined> {
  const worker = new Worker(WORKER, { eval: true, workerData: path });
  try {
    const answer = await new Promise<string>((resolve, reject) => {
      worker.once("message", (m: string) => resolve(m));
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the integrity check's worker exited with code ${code}`)));
    });
    return answer === "ok" ? undefined : `quick_check: ${answer}`;
  } finally {
    await worker.terminate();
  }
}
