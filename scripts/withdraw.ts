/**
 * Withdraws ETH from L2 to L1: a transfer to the withdrawal address on L2 (WITHDRAWAL_ADDRESS,
 * 0x4200…0016), a wait until its block is final on L1 (the devnet settles on its own), its proof
 * from rollup_getWithdrawalProof, and Bridge.claimWithdrawal on L1, which pays the L2 sender's
 * address on L1. With --tx it claims an earlier withdrawal instead of making one. Prints one
 * JSON line:
 *
 *   {"l2":{"transactionHash":"0x..","blockNumber":"31","blockHash":"0x..","from":"0x..","amount":".."},
 *    "withdrawal":{"index":"0","proof":[],"withdrawalsRoot":"0x.."},
 *    "l1":{"transactionHash":"0x..","blockNumber":"88","claimer":"0x..","recipient":"0x..","amount":"..",
 *          "balanceBefore":"0","balanceAfter":".."}}
 *
 * With --escape it uses the escape hatch instead (issue 10; src/client/escape.ts): no L2 member
 * is needed. It puts the Rollup in exit mode if it is not yet (Rollup.enterExitMode: allowed once
 * an Inbox entry is EXIT_WINDOW L1 blocks past due), rebuilds the L2 state of the exit block from
 * L1 alone (genesis from the deployments file, block data from the settle calldata, Inbox
 * entries from the Bridge's events; every block re-executed and its state root checked), proves
 * the account's balance in it (eth_getProof's accountProof) and claims it with
 * Bridge.claimBalance, which pays the account's own L1 address, once:
 *
 *   {"exit":{"blockNumber":"40","stateRoot":"0x..","enteredBy":"0x.."|null},
 *    "account":"0x..","balance":"..","accountProof":["0x.."],
 *    "l1":{"transactionHash":"0x..","blockNumber":"7321","claimer":"0x..","account":"0x..","amount":"..",
 *          "balanceBefore":"0","balanceAfter":".."}}
 *
 * Exit codes: 0 claimed; 3 already claimed (the Bridge refused with WithdrawalAlreadyClaimed, or
 * BalanceAlreadyEscaped); 4 (--escape) exit mode is not open yet, or the account has nothing to
 * claim; 1 failed (unreachable, not a withdrawal, not final in time, refused); 2 bad arguments.
 */
import { EXIT, etherArg, hashArg, l1KeyArg, l2KeyArg, parseCommandLine, printJson, progress, runScript, secondsArg, urlArg, UsageError } from "../src/client/cli.ts";
import {
  claimBalance,
  claimWithdrawal,
  ClientError,
  connect,
  DEFAULT_DEPLOYMENTS,
  DEFAULT_L1_RPC_URL,
  DEFAULT_L2_RPC_URL,
  enterExitMode,
  getWithdrawalProof,
  isBalanceClaimed,
  loadDeployment,
  proveBalanceFromL1,
  readExitState,
  sendWithdrawal,
  waitUntilFinal,
  WITHDRAWAL_ADDRESS,
} from "../src/client/index.ts";
import { privateKeyToAddress } from "viem/accounts";

const EXIT_ALREADY_CLAIMED = 3;
const EXIT_NOT_OPEN = 4;

const USAGE = `usage: node --experimental-strip-types scripts/withdraw.ts [options]      (npm run withdraw -- [options])

Sends ETH to the withdrawal address ${WITHDRAWAL_ADDRESS} on L2, waits until its block is final
on L1, and claims it from the Bridge on L1 (paid to the L2 sender's address); prints one JSON line.
The devnet settles on its own within seconds; to settle now, run
  node --experimental-strip-types scripts/settle.ts --data-dir .devnet/members/member-0 --deployments .devnet/deployments.json

options:
  --value <ETH>          amount in ETH, e.g. 1 or 0.25 (default 1)
  --account <i>          withdraw from L2 dev account #i that npm start funded, 0..9 (default 0)
  --key <0x..>           withdraw from this private key instead
  --tx <txHash>          claim this earlier withdrawal instead of making a new one
  --escape               escape hatch: no member needed. Enter exit mode if it is allowed and not
                         on yet, rebuild the exit block's L2 state from L1, and claim the whole L2
                         balance of --account/--key to the same address on L1 (once)
  --l1-account <i>       pay the claim's L1 gas from hardhat dev account #i, 0..19 (default 0)
  --l1-key <0x..>        pay it from this private key instead
  --rpc-url <url>        L2 JSON-RPC (default ${DEFAULT_L2_RPC_URL}, or L2_RPC_URL)
  --l1-rpc-url <url>     L1 JSON-RPC (default ${DEFAULT_L1_RPC_URL}, or L1_RPC_URL)
  --deployments <file>   the deployment's addresses (default ${DEFAULT_DEPLOYMENTS})
  --timeout <s>          how long to wait for the block to be final on L1 (default 120)
  --help                 this text

exit codes: 0 claimed, 3 already claimed, 4 (--escape) exit mode not open yet or nothing to claim,
1 failed, 2 bad arguments`;

await runScript("withdraw", USAGE, async () => {
  const { values } = parseCommandLine(process.argv.slice(2), {
    value: { type: "string" },
    account: { type: "string" },
    key: { type: "string" },
    tx: { type: "string" },
    escape: { type: "boolean" },
    "l1-account": { type: "string" },
    "l1-key": { type: "string" },
    "rpc-url": { type: "string", default: process.env.L2_RPC_URL ?? DEFAULT_L2_RPC_URL },
    "l1-rpc-url": { type: "string", default: process.env.L1_RPC_URL ?? DEFAULT_L1_RPC_URL },
    deployments: { type: "string", default: DEFAULT_DEPLOYMENTS },
    timeout: { type: "string", default: "120" },
  });
  if (values.help) return void console.log(USAGE);
  if (values.escape === true) return await escape(values);
  const l2Url = urlArg("--rpc-url", values["rpc-url"]);
  if (values.tx !== undefined && (values.value !== undefined || values.account !== undefined || values.key !== undefined)) {
    throw new UsageError("--tx claims an earlier withdrawal: --value, --account and --key make a new one; give one or the other");
  }
  const earlier = values.tx === undefined ? undefined : hashArg("--tx", values.tx);
  const l2Key = earlier === undefined ? l2KeyArg(values) : undefined;
  const amount = earlier === undefined ? etherArg("--value", values.value ?? "1") : undefined;
  const l1Key = l1KeyArg(values);
  const timeoutMs = secondsArg("--timeout", values.timeout);
  const l1Url = urlArg("--l1-rpc-url", values["l1-rpc-url"]);
  const l2 = await connect(l2Url, "L2");
  const l1 = await connect(l1Url, "L1");
  const { rollup, bridge } = await loadDeployment(values.deployments, { l1, l2 });

  let transactionHash = earlier;
  if (transactionHash === undefined) {
    const sent = await sendWithdrawal({ l2, key: l2Key!, amount: amount!, onSent: (hash) => progress("withdraw", `sent ${hash} to ${WITHDRAWAL_ADDRESS} on L2, waiting for its receipt`) });
    transactionHash = sent.transactionHash;
    progress("withdraw", `in L2 block ${sent.blockNumber}; waiting until it is final on L1`);
  }
  let proof = await getWithdrawalProof(l2, transactionHash);
  await waitUntilFinal({ l1, rollup, number: proof.blockNumber, hash: proof.blockHash, timeoutMs });
  proof = await getWithdrawalProof(l2, transactionHash);
  progress("withdraw", `L2 block ${proof.blockNumber} is final on L1; claiming withdrawal ${proof.index} from the Bridge`);
  try {
    const claim = await claimWithdrawal({ l1, bridge, key: l1Key, proof });
    printJson({
      l2: { transactionHash, blockNumber: proof.blockNumber, blockHash: proof.blockHash, from: proof.recipient, amount: proof.amount },
      withdrawal: { index: proof.index, proof: proof.proof, withdrawalsRoot: proof.withdrawalsRoot },
      l1: claim,
    });
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof ClientError && e.code === "ALREADY_CLAIMED")) throw e;
    console.error(`withdraw: already claimed: ${e.message}`);
    return EXIT_ALREADY_CLAIMED;
  }
});

/**
 * --escape: L1 only. The claim's gas is paid by the L1 key (--l1-account/--l1-key): the Bridge
 * pays the L2 account's own address whoever submits, and an L2 account may hold no L1 ETH.
 */
async function escape(values: { value?: string; tx?: string; key?: string; account?: string; "l1-key"?: string; "l1-account"?: string; "l1-rpc-url": string; deployments: string }): Promise<number> {
  if (values.value !== undefined || values.tx !== undefined) throw new UsageError("--escape claims the account's whole L2 balance: --value and --tx do not apply");
  const account = privateKeyToAddress(l2KeyArg(values));
  const l1Key = l1KeyArg(values);
  const l1 = await connect(urlArg("--l1-rpc-url", values["l1-rpc-url"]), "L1");
  const contracts = await loadDeployment(values.deployments, { l1 });
  try {
    let exit = await readExitState(l1, contracts);
    let enteredBy: string | null = null;
    if (!exit.active) {
      progress("withdraw", `the Rollup is not in exit mode (finalized head: L2 block ${exit.blockNumber}); entering it`);
      enteredBy = (await enterExitMode({ l1, rollup: contracts.rollup, key: l1Key })).transactionHash;
      exit = await readExitState(l1, contracts);
    }
    // Before the replay, which reads and re-executes the whole chain: a paid balance needs none of it.
    if (await isBalanceClaimed(l1, contracts.bridge, account)) {
      throw new ClientError("ALREADY_CLAIMED", `the L2 balance of ${account} in block ${exit.blockNumber} is already claimed (Bridge.hasEscaped)`);
    }
    progress("withdraw", `exit mode on L2 block ${exit.blockNumber} (state root ${exit.stateRoot}); rebuilding its state from L1`);
    const proof = await proveBalanceFromL1({ l1, deploymentsFile: values.deployments, account, blockNumber: exit.blockNumber, stateRoot: exit.stateRoot, onProgress: (text) => progress("withdraw", text) });
    progress("withdraw", `${account} holds ${proof.balance} wei in L2 block ${exit.blockNumber}; claiming it from the Bridge`);
    const claim = await claimBalance({ l1, bridge: contracts.bridge, key: l1Key, proof });
    printJson({ exit: { blockNumber: exit.blockNumber, stateRoot: exit.stateRoot, enteredBy }, account, balance: proof.balance, accountProof: proof.accountProof, l1: claim });
    return EXIT.OK;
  } catch (e) {
    if (!(e instanceof ClientError)) throw e;
    if (e.code === "ALREADY_CLAIMED") {
      console.error(`withdraw: already claimed: ${e.message}`);
      return EXIT_ALREADY_CLAIMED;
    }
    if (e.code === "EXIT_NOT_ALLOWED" || e.code === "NOTHING_TO_CLAIM") {
      console.error(`withdraw: [${e.code}] ${e.message}`);
      return EXIT_NOT_OPEN;
    }
    throw e;
  }
}
