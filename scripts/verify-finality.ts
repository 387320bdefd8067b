/**
 * Says whether and where an L2 transaction is final, reading both the L2 and the Rollup contract
 * on L1 (the last word: "finalized" means Rollup.isFinalized(number, hash) is true on L1 itself).
 * Prints one JSON line:
 *
 *   {"transactionHash":"0x..","status":"finalized","block":{"number":"12","hash":"0x.."},
 *    "l1":{"rollup":"0x..","isFinalized":true,"finalizedHead":{"number":"14","hash":"0x.."},
 *          "settlement":{"transactionHash":"0x..","blockNumber":"57"}}}
 *
 * Exit codes: 0 finalized on L1; 3 committed on L2, not final on L1 yet; 4 pending (the L2 holds
 * it, no block yet); 5 unknown to the L2; 1 failed (an endpoint unreachable...); 2 bad arguments.
 */
import { hashArg, parseCommandLine, printJson, runScript, urlArg } from "../src/client/cli.ts";
import { checkFinality, connect, DEFAULT_DEPLOYMENTS, DEFAULT_L1_RPC_URL, DEFAULT_L2_RPC_URL, loadDeployment, type FinalityStatus } from "../src/client/index.ts";

const USAGE = `usage: node --experimental-strip-types scripts/verify-finality.ts <txHash> [options]      (npm run verify-finality -- <txHash>)

Reads the transaction's receipt and block on L2 and Rollup.isFinalized / finalizedHead on L1,
and says where the transaction stands; prints one JSON line.

options:
  --rpc-url <url>        L2 JSON-RPC (default ${DEFAULT_L2_RPC_URL}, or L2_RPC_URL)
  --l1-rpc-url <url>     L1 JSON-RPC (default ${DEFAULT_L1_RPC_URL}, or L1_RPC_URL)
  --deployments <file>   the deployment's addresses (default ${DEFAULT_DEPLOYMENTS})
  --help                 this text

exit codes: 0 finalized on L1, 3 committed (not final on L1 yet), 4 pending, 5 unknown to the L2,
            1 failed, 2 bad arguments`;

const EXIT_BY_STATUS: Record<FinalityStatus, number> = { finalized: 0, committed: 3, pending: 4, unknown: 5 };

await runScript("verify-finality", USAGE, async () => {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    {
      "rpc-url": { type: "string", default: process.env.L2_RPC_URL ?? DEFAULT_L2_RPC_URL },
      "l1-rpc-url": { type: "string", default: process.env.L1_RPC_URL ?? DEFAULT_L1_RPC_URL },
      deployments: { type: "string", default: DEFAULT_DEPLOYMENTS },
    },
    { min: 1, max: 1 },
  );
  if (values.help) return void console.log(USAGE);
  const l2Url = urlArg("--rpc-url", values["rpc-url"]);
  const transactionHash = hashArg("<txHash>", positionals[0]!);
  const l1Url = urlArg("--l1-rpc-url", values["l1-rpc-url"]);
  const l2 = await connect(l2Url, "L2");
  const l1 = await connect(l1Url, "L1");
  const { rollup } = await loadDeployment(values.deployments, { l1, l2 });
  const report = await checkFinality({ l2, l1, rollup, transactionHash });
  printJson(report);
  return EXIT_BY_STATUS[report.status];
});
