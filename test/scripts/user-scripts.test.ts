/**
 * The user scripts as a reader of the README runs them: separate processes against a running
 * devnet (DevnetRun, what `npm start` runs: a real hardhat node, four member processes, dev
 * accounts funded by deposits), each printing one JSON line. What they print is checked against
 * the L2 and L1 endpoints themselves.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createPublicClient, getAddress, http, parseEther, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { l1DevAccounts, l2DevAccounts } from "../../src/devnet/accounts.ts";
import { findFreePort } from "../../src/devnet/ports.ts";
import { callRpc } from "../../src/devnet/rpc.ts";
import { BRIDGE_ABI, ROLLUP_ABI } from "../../src/settlement/index.ts";
import { eventually } from "../fixtures/redis.ts";
import { signTransfer } from "../node/support/transactions.ts";
import { TestDevnet } from "../support/devnet.ts";
import { runScript, type ScriptRun as Run } from "../fixtures/scripts.ts";

let devnet: TestDevnet | undefined;

before(async () => {
  devnet = await TestDevnet.start("scripts");
});

after(async () => {
  await devnet?.stop();
});

/** The options pointing a script at the test devnet (send-tx talks to the L2 only). */
const endpoints = (script: string) => (script === "send-tx" ? ["--rpc-url", devnet!.l2RpcUrl] : devnet!.endpointArgs());

/** Runs a script against the test devnet; it must exit with `code` and print one JSON line. */
async function runJson(script: string, args: readonly string[], code = 0): Promise<any> {
  const run = await runScript(script, [...args, ...endpoints(script)]);
  assert.equal(run.code, code, `${script} ${args.join(" ")} exits ${code}:\n${run.stdout}\n${run.stderr}`);
  const lines = run.stdout.trim().split("\n");
  assert.equal(lines.length, 1, `one JSON line on stdout: ${run.stdout}`);
  return JSON.parse(lines[0]!);
}

const l2 = () => devnet!.l2RpcUrl;
const l1 = () => devnet!.summary.l1RpcUrl;
const l1Client = () => createPublicClient({ transport: http(l1()) });
const l2Balance = async (address: Address) => BigInt(await callRpc<Hex>(l2(), "eth_getBalance", [address, "latest"]));

describe("scripts/send-tx.ts", () => {
  test("sends a transfer from an L2 dev account with viem and prints its receipt as one JSON line", async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const out = await runJson("send-tx", ["--account", "2", "--to", to, "--value", "0.5"]);
    assert.equal(out.status, "success");
    assert.equal(out.from, l2DevAccounts(3)[2]!.address);
    assert.equal(out.to, to);
    assert.equal(out.value, parseEther("0.5").toString());
    const receipt = await callRpc<any>(l2(), "eth_getTransactionReceipt", [out.transactionHash]);
    assert.deepEqual([BigInt(receipt.blockNumber).toString(), receipt.blockHash], [out.blockNumber, out.blockHash]);
    assert.equal(await l2Balance(to), parseEther("0.5"));
  });
});

describe("scripts/verify-finality.ts", () => {
  test("committed (exit 3) while L1 mines nothing, finalized (exit 0) once it does, naming the L1 settlement transaction", async () => {
    // With L1 mining stopped, no settlement can land: the transfer is committed on L2, not final.
    await callRpc(l1(), "evm_setAutomine", [false]);
    let sent: any;
    try {
      sent = await runJson("send-tx", ["--account", "1", "--value", "0.1"]);
      const committed = await runJson("verify-finality", [sent.transactionHash], 3);
      assert.equal(committed.status, "committed");
      assert.deepEqual(committed.block, { number: sent.blockNumber, hash: sent.blockHash });
      assert.equal(committed.l1.isFinalized, false);
      assert.equal(getAddress(committed.l1.rollup), devnet!.summary.contracts.rollup);
      assert.ok(BigInt(committed.l1.finalizedHead.number) < BigInt(sent.blockNumber), "L1's finalized head is below the block");
    } finally {
      await callRpc(l1(), "evm_setAutomine", [true]);
      await callRpc(l1(), "evm_mine");
    }
    const rollup = devnet!.summary.contracts.rollup;
    await eventually(async () => (await callRpc<any>(l2(), "rollup_getFinality", [sent.transactionHash])).status === "finalized", "the L2 to see the block final on L1", 120_000);
    const final = await runJson("verify-finality", [sent.transactionHash]);
    assert.equal(final.status, "finalized");
    assert.deepEqual(final.block, { number: sent.blockNumber, hash: sent.blockHash });
    assert.equal(final.l1.isFinalized, true);
    assert.equal(await l1Client().readContract({ address: rollup, abi: ROLLUP_ABI, functionName: "isFinalized", args: [BigInt(sent.blockNumber), sent.blockHash] }), true);
    const claimed = await callRpc<any>(l2(), "rollup_getFinality", [sent.transactionHash]);
    assert.deepEqual(final.l1.settlement, { transactionHash: claimed.l1.transactionHash, blockNumber: BigInt(claimed.l1.blockNumber).toString() });
    const settlement = await l1Client().getTransactionReceipt({ hash: final.l1.settlement.transactionHash });
    assert.equal(getAddress(settlement.to!), rollup, "the settlement transaction called the Rollup");
  });

  test("pending (exit 4) for a transaction held back by a nonce gap; unknown (exit 5) for a hash the L2 never saw", async () => {
    const sender = l2DevAccounts(10)[9]!;
    const nonce = Number(BigInt(await callRpc<Hex>(l2(), "eth_getTransactionCount", [sender.address, "pending"])));
    const raw = await signTransfer(sender, { chainId: devnet!.summary.l2ChainId, to: sender.address, value: 1n, nonce: nonce + 3 });
    const gapped = await callRpc<Hex>(l2(), "eth_sendRawTransaction", [raw]);
    assert.deepEqual(await runJson("verify-finality", [gapped], 4), { transactionHash: gapped, status: "pending" });
    const unknown = `0x${"cd".repeat(32)}`;
    assert.deepEqual(await runJson("verify-finality", [unknown], 5), { transactionHash: unknown, status: "unknown" });
  });
});

describe("scripts/deposit.ts", () => {
  test("calls Bridge.deposit from an L1 dev account and waits until the value is on L2; prints both sides", async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const payer = l1DevAccounts()[17]!.address;
    const out = await runJson("deposit", ["--to", to, "--value", "2", "--l1-account", "17"]);
    assert.equal(out.l1.from, payer);
    assert.equal(out.l1.amount, parseEther("2").toString());
    assert.ok(BigInt(out.l1.balanceBefore) - BigInt(out.l1.balanceAfter) >= parseEther("2"), "the payer paid the amount (and gas) on L1");
    const receipt = await l1Client().getTransactionReceipt({ hash: out.l1.transactionHash });
    assert.equal(receipt.status, "success");
    assert.equal(getAddress(receipt.to!), devnet!.summary.contracts.bridge);
    assert.deepEqual(out.l2, { recipient: to, balanceBefore: "0", balanceAfter: parseEther("2").toString() });
    assert.equal(await l2Balance(to), parseEther("2"));
  });
});

describe("scripts/withdraw.ts", () => {
  test("withdraws on L2, waits for L1 finality, claims on L1; run again for that withdrawal it says already claimed (exit 3)", async () => {
    const sender = l2DevAccounts(4)[3]!.address;
    const claimer = l1DevAccounts()[18]!.address;
    const l2Before = await l2Balance(sender);
    const out = await runJson("withdraw", ["--account", "3", "--value", "1", "--l1-account", "18"]);
    assert.equal(out.l2.from.toLowerCase(), sender.toLowerCase());
    assert.equal(out.l2.amount, parseEther("1").toString());
    assert.ok(l2Before - (await l2Balance(sender)) >= parseEther("1"), "the value left the sender on L2");
    assert.equal(getAddress(out.l1.recipient), sender, "paid to the L2 sender's address on L1");
    assert.equal(out.l1.claimer, claimer);
    assert.equal(BigInt(out.l1.balanceAfter) - BigInt(out.l1.balanceBefore), parseEther("1"));
    assert.equal(await l1Client().getBalance({ address: sender }), parseEther("1"), "the L2 dev account held nothing on L1 before");
    const leaf = [BigInt(out.l2.blockNumber), BigInt(out.withdrawal.index), sender, parseEther("1")] as const;
    assert.equal(await l1Client().readContract({ address: devnet!.summary.contracts.bridge, abi: BRIDGE_ABI, functionName: "isClaimed", args: leaf }), true);

    const again = await runScript("withdraw", ["--tx", out.l2.transactionHash, "--l1-account", "18", ...devnet!.endpointArgs()]);
    assert.equal(again.code, 3, again.stderr);
    assert.equal(again.stdout, "");
    assert.match(again.stderr, new RegExp(`withdraw: already claimed: .*the Bridge refused with WithdrawalAlreadyClaimed\\(${out.l2.blockNumber}, ${out.withdrawal.index}\\)`));
  });

  test("--escape while the committee settles: exit mode is not open (exit 4) and L1 is left as it was", async () => {
    const run = await runScript("withdraw", ["--escape", "--account", "4", "--l1-account", "18", ...devnet!.endpointArgs()]);
    assert.equal(run.code, 4, `exit 4\n${run.stderr}`);
    assert.match(run.stderr, /withdraw: \[EXIT_NOT_ALLOWED\] exit mode is not open at L1 block \d+: it opens /);
    assert.equal(run.stdout, "");
    assert.equal(await l1Client().readContract({ address: devnet!.summary.contracts.rollup, abi: ROLLUP_ABI, functionName: "exitMode" }), false);
  });

  test("--tx naming a plain transfer or an unknown hash: a clear error, exit 1", async () => {
    const plain = await runJson("send-tx", ["--account", "4", "--value", "0.01"]);
    const notWithdrawal = await runScript("withdraw", ["--tx", plain.transactionHash, ...devnet!.endpointArgs()]);
    assert.equal(notWithdrawal.code, 1);
    assert.match(notWithdrawal.stderr, /withdraw: \[NOT_A_WITHDRAWAL\] .*not a withdrawal/);
    const unknown = await runScript("withdraw", ["--tx", `0x${"ef".repeat(32)}`, ...devnet!.endpointArgs()]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /withdraw: \[NOT_FOUND\] transaction 0x(ef){32} is not known to this node/);
  });
});

describe("every user script refuses what it cannot run, saying why", () => {
  const hash = `0x${"12".repeat(32)}`;

  test("--help prints the usage (exit 0); a bad option or value is named with the usage (exit 2)", async () => {
    for (const script of ["send-tx", "verify-finality", "deposit", "withdraw"]) {
      const help = await runScript(script, ["--help"]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`^usage: node --experimental-strip-types scripts/${script}\\.ts`));
    }
    const cases: [string, string[], RegExp][] = [
      ["send-tx", ["--value", "abc"], /--value must be an amount of ETH greater than 0, like 1 or 0\.25, got "abc"/],
      ["send-tx", ["--value", "0"], /--value must be an amount of ETH greater than 0/],
      ["send-tx", ["--to", "0x12"], /--to must be a 20-byte 0x address, got "0x12"/],
      ["send-tx", ["--account", "10"], /--account must be a dev account number from 0 to 9, got "10"/],
      ["send-tx", ["--key", "0x12"], /--key must be a 32-byte 0x private key/],
      ["send-tx", ["--account", "1", "--key", `0x${"11".repeat(32)}`], /give --key or --account, not both/],
      ["send-tx", ["--bogus"], /Unknown option '--bogus'/],
      ["verify-finality", [], /expected 1 argument\(s\), got 0/],
      ["verify-finality", ["0x12"], /<txHash> must be a 32-byte 0x transaction hash, got "0x12"/],
      ["verify-finality", [hash, "--l1-rpc-url", "ftp://x"], /--l1-rpc-url must be an http\(s\) URL, got "ftp:\/\/x"/],
      ["deposit", ["--l1-account", "20"], /--l1-account must be a dev account number from 0 to 19, got "20"/],
      ["deposit", ["--timeout", "0"], /--timeout must be a number of seconds greater than 0, got "0"/],
      ["withdraw", ["--tx", hash, "--value", "1"], /--tx claims an earlier withdrawal: --value, --account and --key make a new one/],
      ["withdraw", ["--tx", "0x12"], /--tx must be a 32-byte 0x transaction hash, got "0x12"/],
      ["withdraw", ["--escape", "--value", "1"], /--escape claims the account's whole L2 balance: --value and --tx do not apply/],
    ];
    for (const [script, args, message] of cases) {
      const run = await runScript(script, args);
      assert.equal(run.code, 2, `${script} ${args.join(" ")}: exit 2\n${run.stderr}`);
      assert.match(run.stderr, message);
      assert.match(run.stderr, new RegExp(`usage: node --experimental-strip-types scripts/${script}\\.ts`));
      assert.equal(run.stdout, "");
    }
  });

  test("an endpoint nobody answers at, endpoints that do not match the deployments file, or no such file: the script says which, exit 1", async () => {
    const dead = `http://127.0.0.1:${await findFreePort()}`;
    const cases: [string, string[], RegExp][] = [
      ["send-tx", ["--rpc-url", dead], new RegExp(`send-tx: \\[UNREACHABLE\\] cannot reach the L2 JSON-RPC at ${dead} \\(connect ECONNREFUSED .*\\): is the devnet running \\(npm start\\)\\? Otherwise pass --rpc-url`)],
      ["verify-finality", [hash, "--rpc-url", l2(), "--l1-rpc-url", dead], new RegExp(`verify-finality: \\[UNREACHABLE\\] cannot reach the L1 JSON-RPC at ${dead} .*pass --l1-rpc-url`)],
      ["deposit", ["--rpc-url", l2(), "--l1-rpc-url", l1(), "--deployments", join(devnet!.root, "missing.json")], /deposit: \[BAD_DEPLOYMENT\] no deployments file at .*missing\.json: start the devnet \(npm start writes \.devnet\/deployments\.json\) or pass --deployments/],
      ["withdraw", ["--rpc-url", dead], /withdraw: \[UNREACHABLE\] cannot reach the L2 JSON-RPC/],
      ["deposit", ["--rpc-url", l2(), "--l1-rpc-url", l2(), "--deployments", devnet!.summary.deploymentsFile], /deposit: \[BAD_DEPLOYMENT\] .*deployments\.json names Rollup 0x[0-9a-fA-F]{40}, which has no code on the L1 at http:\/\/127\.0\.0\.1:\d+: the file belongs to another L1/],
      ["verify-finality", [hash, "--rpc-url", l1(), "--l1-rpc-url", l1(), "--deployments", devnet!.summary.deploymentsFile], /verify-finality: \[BAD_DEPLOYMENT\] .*deployments\.json is for L2 chain 901, but http:\/\/127\.0\.0\.1:\d+ is chain 31337: is --rpc-url the L2/],
    ];
    // An account the L2 has never funded: the L2's own refusal, passed on.
    const brokeKey = generatePrivateKey();
    const broke = privateKeyToAccount(brokeKey);
    cases.push(["send-tx", ["--key", brokeKey, "--rpc-url", l2()], new RegExp(`send-tx: \\[REFUSED\\] the L2 at ${l2()} refused the transfer of 1000000000000000000 wei from ${broke.address} .*insufficient funds`, "i")]);
    for (const [script, args, message] of cases) {
      const run = await runScript(script, args);
      assert.equal(run.code, 1, `${script} ${args.join(" ")}: exit 1\n${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, "");
    }
  });
});
