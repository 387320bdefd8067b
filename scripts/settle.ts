/**
 * Settle what is committed, now: reads a node's store and the deployments file, and settles on
 * L1 every committed block up to the node's latest commit proof, in batches. Prints one JSON line:
 *
 *   {"from":"1","to":"24","finalized":{"number":"24","hash":"0x.."},"batches":[{"from":"1","to":"24",
 *    "transactionHash":"0x..","l1Block":"57","gasUsed":"412345"}],"transactions":["0x.."],"gasUsed":"412345"}
 *
 * ("from"/"to" are null when L1 already has everything the store can prove.)
 *
 *   node --experimental-strip-types scripts/settle.ts (--data-dir <member data dir> | --store <file>)
 *        [--deployments deployments/localhost.json] [--rpc-url http://127.0.0.1:8545]
 *        [--private-key 0x..] [--batch-size 32] [--epoch N]
 *
 * The store is opened read-mostly alongside a running node (SQLite WAL allows it) and never
 * created. The sender defaults to Hardhat's development account 0 (SETTLEMENT_PRIVATE_KEY or
 * --private-key for anything else). Exit codes: 0 settled (or nothing to do), 1 failed (the
 * error's code and message on stderr), 2 bad arguments.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { MAX_COMMITTEE_SIZE } from "../src/crypto/index.ts";
import { Store } from "../src/store/index.ts";
import {
  connectL1,
  createDecodingSigner,
  DEFAULT_L1_RPC_URL,
  SettlementError,
  SettlementWorker,
  StoredChain,
  TransactionSender,
} from "../src/settlement/index.ts";
import { readDeployment, storeIdentityOf } from "../src/deployment/contracts.ts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const USAGE = `usage: node --experimental-strip-types scripts/settle.ts (--data-dir <dir> | --store <file>) [--deployments deployments/localhost.json]
       [--rpc-url ${DEFAULT_L1_RPC_URL}] [--private-key 0x..] [--batch-size 32] [--epoch N]`;

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      store: { type: "string" },
      "data-dir": { type: "string" },
      deployments: { type: "string", default: "deployments/localhost.json" },
      "rpc-url": { type: "string", default: process.env.L1_RPC_URL ?? DEFAULT_L1_RPC_URL },
      "private-key": { type: "string" },
      "batch-size": { type: "string", default: "32" },
      epoch: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  usage((error as Error).message);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (values.store !== undefined && values["data-dir"] !== undefined) usage("give --data-dir or --store, not both");
// A member keeps its store at <dataDir>/store.sqlite (src/node).
const storePath = values.store ?? (values["data-dir"] === undefined ? undefined : join(values["data-dir"], "store.sqlite"));
if (storePath === undefined) usage("--data-dir (a member's data directory) or --store (its store file) is required");
if (!existsSync(storePath)) usage(`${storePath}: no such file (is this a member's data directory?)`);
if (!existsSync(values.deployments)) usage(`--deployments ${values.deployments}: no such file`);
const batchSize = Number(values["batch-size"]);
if (!Number.isInteger(batchSize) || batchSize < 1) usage(`--batch-size must be a positive integer, got ${values["batch-size"]}`);
if (values.epoch !== undefined && !/^\d+$/.test(values.epoch)) usage(`--epoch must be a non-negative integer, got ${values.epoch}`);
const privateKey = values["private-key"] ?? process.env.SETTLEMENT_PRIVATE_KEY;
if (privateKey !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(privateKey)) usage("--private-key must be 32 bytes of 0x-hex");

const show = (_: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
let store: Store | undefined;
try {
  const deployment = readDeployment(values.deployments);
  store = Store.open(storePath, storeIdentityOf(deployment));
  const l1 = connectL1({
    rpcUrl: values["rpc-url"],
    account: privateKey === undefined ? mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 0 }) : (privateKey as Hex),
  });
  const worker = new SettlementWorker({
    l1,
    rollup: deployment.contracts.rollup,
    // As wide as any committee: a later epoch may seat more members than the deployment did.
    chain: new StoredChain(store, createDecodingSigner(MAX_COMMITTEE_SIZE)),
    sender: new TransactionSender(l1),
    maxBatch: batchSize,
    ...(values.epoch === undefined ? {} : { epoch: BigInt(values.epoch) }),
  });
  const result = await worker.settleCommitted();
  const batches = result.batches;
  console.log(
    JSON.stringify(
      {
        from: batches[0]?.from ?? null,
        to: batches[batches.length - 1]?.to ?? null,
        finalized: result.finalized,
        batches,
        transactions: batches.map((b) => b.transactionHash),
        gasUsed: batches.reduce((sum, b) => sum + b.gasUsed, 0n),
      },
      show,
    ),
  );
} catch (error) {
  const code = error instanceof SettlementError || (error as { code?: unknown }).code !== undefined ? `[${String((error as { code: unknown }).code)}] ` : "";
  console.error(`settle: ${code}${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  store?.close();
}
