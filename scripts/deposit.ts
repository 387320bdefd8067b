/**
 * Deposits ETH from L1 to L2: Bridge.deposit(l2Recipient) from an L1 dev account (or any key),
 * then waits until the recipient's L2 balance has grown by the amount. Prints one JSON line:
 *
 *   {"l1":{"transactionHash":"0x..","blockNumber":"61","from":"0x..","inboxIndex":"10","amount":"..",
 *          "balanceBefore":"..","balanceAfter":".."},
 *    "l2":{"recipient":"0x..","balanceBefore":"..","balanceAfter":".."}}
 *
 * Exit codes: 0 minted on L2, 1 failed (unreachable, refused on L1, not on L2 in time), 2 bad arguments.
 */
import { addressArg, etherArg, l1KeyArg, parseCommandLine, printJson, progress, runScript, secondsArg, urlArg } from "../src/client/cli.ts";
import { connect, DEFAULT_DEPLOYMENTS, DEFAULT_L1_RPC_URL, DEFAULT_L2_RPC_URL, depositToL2, loadDeployment } from "../src/client/index.ts";
import { l2DevAccounts } from "../src/devnet/accounts.ts";

const USAGE = `usage: node --experimental-strip-types scripts/deposit.ts [options]      (npm run deposit -- [options])

Calls Bridge.deposit on L1 and waits for the value on L2; prints one JSON line.

options:
  --to <address>         L2 recipient (default: L2 dev account #0)
  --value <ETH>          amount in ETH, e.g. 1 or 0.25 (default 1)
  --l1-account <i>       pay from hardhat dev account #i, 0..19 (default 0, the deployer; the
                         members settle from #1..#n)
  --l1-key <0x..>        pay from this private key instead
  --rpc-url <url>        L2 JSON-RPC (default ${DEFAULT_L2_RPC_URL}, or L2_RPC_URL)
  --l1-rpc-url <url>     L1 JSON-RPC (default ${DEFAULT_L1_RPC_URL}, or L1_RPC_URL)
  --deployments <file>   the deployment's addresses (default ${DEFAULT_DEPLOYMENTS})
  --timeout <s>          how long to wait for the value on L2 (default 60)
  --help                 this text

exit codes: 0 on L2, 1 failed, 2 bad arguments`;

await runScript("deposit", USAGE, async () => {
  const { values } = parseCommandLine(process.argv.slice(2), {
    to: { type: "string" },
    value: { type: "string", default: "1" },
    "l1-account": { type: "string" },
    "l1-key": { type: "string" },
    "rpc-url": { type: "string", default: process.env.L2_RPC_URL ?? DEFAULT_L2_RPC_URL },
    "l1-rpc-url": { type: "string", default: process.env.L1_RPC_URL ?? DEFAULT_L1_RPC_URL },
    deployments: { type: "string", default: DEFAULT_DEPLOYMENTS },
    timeout: { type: "string", default: "60" },
  });
  if (values.help) return void console.log(USAGE);
  const l2Url = urlArg("--rpc-url", values["rpc-url"]);
  const key = l1KeyArg(values);
  const to = values.to === undefined ? l2DevAccounts(1)[0]!.address : addressArg("--to", values.to);
  const amount = etherArg("--value", values.value);
  const timeoutMs = secondsArg("--timeout", values.timeout);
  const l1Url = urlArg("--l1-rpc-url", values["l1-rpc-url"]);
  const l2 = await connect(l2Url, "L2");
  const l1 = await connect(l1Url, "L1");
  const { bridge } = await loadDeployment(values.deployments, { l1, l2 });
  const result = await depositToL2({
    l1,
    l2,
    bridge,
    key,
    to,
    amount,
    timeoutMs,
    onDeposited: (hash, index) => progress("deposit", `deposited on L1 in ${hash} (Inbox entry ${index}), waiting for it on L2`),
  });
  printJson(result);
});
