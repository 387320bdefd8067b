/**
 * The baseline half of `bench:e2e` (DESIGN §8: the devnet must carry ≥ 2x the transfers/s of a
 * single `hardhat node` on the same machine, under the same load): starts a plain
 * `hardhat node` (automine) with startL1, sends it the transfer load of src/devnet/load.ts and
 * prints one JSON line:
 *
 *   node --experimental-strip-types scripts/bench-e2e-baseline.ts [--txs 5000] [--senders 16] [--concurrency 64]
 *   {"txs":5000,"txPerSec":...,"p50Ms":...,"p99Ms":...,"target":"hardhat node automine"}
 *
 * Senders are the node's funded dev accounts 1..senders (account 0 is left to the deployer, as
 * on the devnet). Signing happens before the clock starts. Progress goes to stderr.
 */
import { parseArgs } from "node:util";
import { l1DevAccounts, HARDHAT_ACCOUNT_COUNT } from "../src/devnet/accounts.ts";
import { startL1 } from "../src/devnet/l1.ts";
import { readNonces, runLoad, signTransfers } from "../src/devnet/load.ts";
import { findFreePort } from "../src/devnet/ports.ts";

const { values } = parseArgs({
  options: {
    txs: { type: "string", default: "5000" },
    senders: { type: "string", default: "16" },
    concurrency: { type: "string", default: "64" },
    port: { type: "string" },
  },
});
const txs = Number(values.txs);
const senderCount = Number(values.senders);
const concurrency = Number(values.concurrency);
if (!Number.isSafeInteger(txs) || txs < 1) throw new RangeError(`--txs must be a positive integer, got ${values.txs}`);
if (!Number.isInteger(senderCount) || senderCount < 1 || senderCount >= HARDHAT_ACCOUNT_COUNT) {
  throw new RangeError(`--senders must be 1..${HARDHAT_ACCOUNT_COUNT - 1} (hardhat node funds ${HARDHAT_ACCOUNT_COUNT} accounts), got ${values.senders}`);
}

const l1 = await startL1({ port: values.port === undefined ? await findFreePort() : Number(values.port) });
try {
  const senders = l1DevAccounts(senderCount + 1).slice(1);
  const startNonces = await readNonces(l1.rpcUrl, senders.map((s) => s.address));
  console.error(`hardhat node at ${l1.rpcUrl}; signing ${txs} transfers from ${senderCount} senders...`);
  const transfers = await signTransfers({ chainId: l1.chainId, senders: senders.map((s) => s.privateKey), startNonces, count: txs });
  console.error(`sending with at most ${concurrency} in flight...`);
  const result = await runLoad({ rpcUrl: l1.rpcUrl, transfers, concurrency });
  if (result.failed > 0) {
    console.error(`${result.failed} transfers failed:\n${result.errors.join("\n")}`);
    process.exitCode = 1;
  } else {
    const round = (x: number) => Math.round(x * 10) / 10;
    console.log(
      JSON.stringify({ txs: result.txs, txPerSec: round(result.txPerSec), p50Ms: round(result.p50Ms), p99Ms: round(result.p99Ms), target: "hardhat node automine" }),
    );
  }
} finally {
  await l1.stop();
}
