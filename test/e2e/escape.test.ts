/**
 * The escape hatch end to end (issue 10, "Show"), on the devnet `npm start` runs: a user's L2
 * balance is settled on L1; then every member stops (nothing settles any more, no L2 JSON-RPC
 * answers); a forced transaction is owed and the exit window passes (L1 blocks mined); the user
 * runs `npm run withdraw -- --escape` (scripts/withdraw.ts), which enters exit mode, rebuilds
 * the finalized L2 state from L1 alone and claims the balance: the user's L1 address receives
 * exactly their L2 balance. A second run is refused (BalanceAlreadyEscaped).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { parseEther, toHex, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAddress } from "viem/accounts";
import { connect, sendTransfer, waitUntilFinal, type Endpoint } from "../../src/client/index.ts";
import { l1DevAccounts } from "../../src/devnet/accounts.ts";
import { BRIDGE_ABI, decodeRevert, ROLLUP_ABI } from "../../src/settlement/index.ts";
import { walletOn } from "../../src/client/endpoints.ts";
import { eventually } from "../fixtures/redis.ts";
import { alive, identify, kill, type ProcessRef } from "../fixtures/processes.ts";
import { runScript } from "../fixtures/scripts.ts";
import { TestDevnet } from "../support/devnet.ts";

/** Rollup EXIT_WINDOW (contracts/escape/ExitWindow.sol). */
const EXIT_WINDOW = 7200n;

describe("escape hatch: every member stopped, a user exits with npm run withdraw -- --escape", () => {
  let devnet: TestDevnet | undefined;
  let l1: Endpoint;
  let l2: Endpoint;
  /** A fresh key: its only L2 money is the transfer below, and it holds nothing on L1. */
  const userKey: Hex = generatePrivateKey();
  const user: Address = privateKeyToAddress(userKey);
  const amount = parseEther("2.5");

  before(async () => {
    devnet = await TestDevnet.start("escape");
    l1 = await connect(devnet.summary.l1RpcUrl, "L1");
    l2 = await connect(devnet.l2RpcUrl, "L2");
  });

  after(async () => {
    await devnet?.stop();
  });

  const escapeArgs = () => ["--escape", "--key", userKey, "--l1-account", "19", "--l1-rpc-url", devnet!.summary.l1RpcUrl, "--deployments", devnet!.summary.deploymentsFile];
  const rollup = () => devnet!.summary.contracts.rollup;
  const bridge = () => devnet!.summary.contracts.bridge;

  test("the user's L2 balance is settled on L1, then every member stops", async () => {
    const sent = await sendTransfer({ l2, key: devnet!.summary.accounts[1]!.privateKey, to: user, value: amount, timeoutMs: 120_000 });
    await waitUntilFinal({ l1, rollup: rollup(), number: sent.blockNumber, hash: sent.blockHash, timeoutMs: 120_000 });
    assert.equal(await l2.client.getBalance({ address: user }), amount);
    const members: ProcessRef[] = devnet!.memberPids().map((pid) => identify(pid)!);
    assert.ok(members.every((m) => m !== undefined), "every member runs before it is stopped");
    for (const m of members) kill(m, "SIGKILL");
    for (const m of members) await eventually(() => !alive(m), `member pid ${m.pid} to be gone`, 10_000);
    assert.equal(await l1.client.getBalance({ address: user }), 0n, "the user holds nothing on L1");
  });

  test("before the window passes, the command says when exit mode opens and claims nothing", async () => {
    // The committee is gone; a forced transaction posted now is owed and never settled.
    const poster = walletOn(l1, l1DevAccounts()[18]!.privateKey);
    const hash = await poster.writeContract({ address: bridge(), abi: BRIDGE_ABI, functionName: "forceInclude", args: ["0x01"], chain: l1.chain });
    assert.equal((await l1.client.waitForTransactionReceipt({ hash })).status, "success");
    const run = await runScript("withdraw", escapeArgs());
    assert.equal(run.code, 4, `exit code 4 (exit mode not open yet)\n${run.stderr}`);
    assert.match(run.stderr, /\[EXIT_NOT_ALLOWED\] exit mode is not open at L1 block \d+: it opens from L1 block \d+, \d+ blocks from now, if Inbox entry \d+ is still unsettled then/);
    assert.equal(await l1.client.readContract({ address: rollup(), abi: ROLLUP_ABI, functionName: "exitMode" }), false);
  });

  test("after the window the user exits and receives exactly their L2 balance on L1; a second claim is refused", async () => {
    const deadline = (await l1.client.readContract({ address: bridge(), abi: BRIDGE_ABI, functionName: "inclusionDeadline" })) as bigint;
    await l1.client.request({ method: "hardhat_mine" as never, params: [toHex(deadline + EXIT_WINDOW)] as never });
    const run = await runScript("withdraw", escapeArgs());
    assert.equal(run.code, 0, `the escape claim succeeds\n${run.stderr}`);
    const out = JSON.parse(run.stdout) as { exit: { blockNumber: string; enteredBy: string | null }; account: Address; balance: string; l1: { account: Address; amount: string; balanceBefore: string; balanceAfter: string } };
    assert.notEqual(out.exit.enteredBy, null, "the command entered exit mode itself");
    assert.equal(out.account, user);
    assert.equal(BigInt(out.balance), amount);
    assert.equal(BigInt(out.l1.balanceAfter) - BigInt(out.l1.balanceBefore), amount);
    assert.equal(await l1.client.getBalance({ address: user }), amount, "exactly the L2 balance, on the user's own L1 address");
    const [head] = (await l1.client.readContract({ address: rollup(), abi: ROLLUP_ABI, functionName: "finalizedHead" })) as readonly [bigint, Hex];
    assert.equal(BigInt(out.exit.blockNumber), head, "the exit block is the last finalized one");

    const again = await runScript("withdraw", escapeArgs());
    assert.equal(again.code, 3, `a second claim is refused\n${again.stderr}`);
    assert.match(again.stderr, /already claimed: the L2 balance of 0x[0-9a-fA-F]{40} in block \d+ is already claimed/);
    // And the Bridge itself refuses a second claim, whoever sends it (the script stops before it).
    const proof = JSON.parse(run.stdout).accountProof as Hex[];
    const claimer = walletOn(l1, l1DevAccounts()[17]!.privateKey);
    await assert.rejects(
      l1.client.simulateContract({ address: bridge(), abi: BRIDGE_ABI, functionName: "claimBalance", args: [user, BigInt(out.exit.blockNumber), proof], account: claimer.account }),
      (e: unknown) => decodeRevert(e)?.errorName === "BalanceAlreadyEscaped" && (decodeRevert(e)!.args[0] as string) === user,
    );
    assert.equal(await l1.client.getBalance({ address: user }), amount, "paid once");
  });
});
