/**
 * Sends a value transfer on L2 from a dev account (or any key), waits for its receipt, and prints
 * one JSON line: {transactionHash, from, to, value, blockNumber, blockHash, status}.
 *
 * Exit codes: 0 sent and in a block, 1 failed (unreachable L2, refused, no receipt in time), 2 bad arguments.
 */
import { EXIT, addressArg, etherArg, l2KeyArg, parseCommandLine, printJson, progress, runScript, secondsArg, urlArg } from "../src/client/cli.ts";
import { connect, DEFAULT_L2_RPC_URL, sendTransfer } from "../src/client/index.ts";
import { l2DevAccounts } from "../src/devnet/accounts.ts";

const USAGE = `usage: node --experimental-strip-types scripts/send-tx.ts [options]      (npm run send-tx -- [options])

Sends ETH on L2 with viem and waits for the receipt; prints one JSON line.

options:
  --to <address>        recipient (default: L2 dev account #1)
  --value <ETH>         amount in ETH, e.g. 1 or 0.25 (default 1)
  --account <i>         send from L2 dev account #i that npm start funded, 0..9 (default 0)
  --key <0x..>          send from this private key instead
  --rpc-url <url>       L2 JSON-RPC (default ${DEFAULT_L2_RPC_URL}, or L2_RPC_URL)
  --timeout <s>         how long to wait for the receipt (default 60)
  --help                this text

exit codes: 0 in a block, 1 failed, 2 bad arguments`;

await runScript("send-tx", USAGE, async () => {
  const { values } = parseCommandLine(process.argv.slice(2), {
    to: { type: "string" },
    value: { type: "string", default: "1" },
    account: { type: "string" },
    key: { type: "string" },
    "rpc-url": { type: "string", default: process.env.L2_RPC_URL ?? DEFAULT_L2_RPC_URL },
    timeout: { type: "string", default: "60" },
  });
  if (values.help) return void console.log(USAGE);
  const l2Url = urlArg("--rpc-url", values["rpc-url"]);
  const key = l2KeyArg(values);
  const to = values.to === undefined ? l2DevAccounts(2)[1]!.address : addressArg("--to", values.to);
  const value = etherArg("--value", values.value);
  const timeoutMs = secondsArg("--timeout", values.timeout);
  const l2 = await connect(l2Url, "L2");
  const result = await sendTransfer({ l2, key, to, value, timeoutMs, onSent: (hash) => progress("send-tx", `sent ${hash}, waiting for its receipt`) });
  printJson(result);
  return result.status === "success" ? EXIT.OK : EXIT.FAILED;
});
