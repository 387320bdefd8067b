/**
 * The user's path end to end (issue 6, "Show"), on the devnet `npm start` runs (DevnetRun in this
 * process: contracts compiled, a real `hardhat node`, the deployment, four member processes, the
 * L2 dev accounts funded by real deposits): a viem wallet client sends 50 transfers and gets their
 * receipts while one member is SIGKILLed halfway; every block holding them becomes final on L1
 * (Rollup.isFinalized read from L1, and the L2's `finalized` tag reaches them), blocks committed
 * after the kill included; a deposit made on L1 appears on L2; a withdrawal made on L2 is claimed
 * on L1, once.
 *
 * Each scenario is a `describe` with its own devnet, started in its `before`: another scenario
 * (a member that equivocates and is slashed on L1) is another describe beside this one.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createPublicClient, createWalletClient, http, parseEther, publicActions, type Hex, type TransactionReceipt } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { claimWithdrawal, ClientError, connect, depositToL2, getWithdrawalProof, sendWithdrawal, waitUntilFinal, type Endpoint } from "../../src/client/index.ts";
import { l1DevAccounts } from "../../src/devnet/accounts.ts";
import { ROLLUP_ABI } from "../../src/settlement/index.ts";
import { eventually } from "../fixtures/redis.ts";
import { TestDevnet } from "../support/devnet.ts";
import { describeTransaction, waitForInclusion, type MemberEndpoint } from "../support/inclusion.ts";
import { alive, identify, kill, type ProcessRef } from "../fixtures/processes.ts";

const TRANSFERS = 50;
/** Not member 0: it serves the JSON-RPC this test uses and is the one that settles on L1. */
const KILLED = 3;

describe("a user on the devnet, with one member killed (SIGKILL) halfway", () => {
  let devnet: TestDevnet | undefined;
  let l1: Endpoint;
  let l2: Endpoint;
  const receipts: TransactionReceipt[] = [];
  /** The committed L2 height when the member was killed. */
  let heightAtKill = 0n;
  /** The killed member, as it was (its pid alone may belong to another process by now). */
  let killed: ProcessRef | undefined;

  before(async () => {
    devnet = await TestDevnet.start("e2e");
    l1 = await connect(devnet.summary.l1RpcUrl, "L1");
    l2 = await connect(devnet.l2RpcUrl, "L2");
  });

  after(async () => {
    await devnet?.stop();
  });

  /** Every member's endpoint and log, for the diagnostics of a receipt that does not come. */
  const members = (): MemberEndpoint[] =>
    devnet!.summary.l2RpcUrls.map((rpcUrl, index) => ({ index, rpcUrl, logFile: join(devnet!.dataDir, `member-${index}.log`) }));

  const isFinalizedOnL1 = (number: bigint, hash: Hex) =>
    l1.client.readContract({ address: devnet!.summary.contracts.rollup, abi: ROLLUP_ABI, functionName: "isFinalized", args: [number, hash] }) as Promise<boolean>;

  test(`a viem wallet client sends ${TRANSFERS} transfers and gets a receipt for each; member ${KILLED} is SIGKILLed after half of them`, async () => {
    const [sender, recipient] = devnet!.summary.accounts;
    const wallet = createWalletClient({ account: privateKeyToAccount(sender!.privateKey), chain: l2.chain, transport: http(l2.url), pollingInterval: 250 }).extend(publicActions);
    const balanceBefore = await wallet.getBalance({ address: recipient!.address });
    const first = await wallet.getTransactionCount({ address: sender!.address, blockTag: "pending" });
    // A wallet sending a burst fixes nonces and fees itself (the pending count lags the intake
    // queue); twice the estimate leaves room for the base fee to move during the burst.
    const fees = await wallet.estimateFeesPerGas();
    const value = parseEther("0.01");
    const send = (i: number) =>
      wallet.sendTransaction({ to: recipient!.address, value, nonce: first + i, gas: 21_000n, maxFeePerGas: fees.maxFeePerGas * 2n, maxPriorityFeePerGas: fees.maxPriorityFeePerGas });
    const half = TRANSFERS / 2;
    const hashes: Hex[] = await Promise.all(Array.from({ length: half }, (_, i) => send(i)));
    // Mid-run: the first half is on its way (one of them already in a block), the second not sent yet.
    await waitForInclusion({ client: l2.client, hash: hashes[0]!, members: members() });
    killed = identify(devnet!.memberPids()[KILLED]!);
    assert.ok(killed, `member ${KILLED} runs before it is killed`);
    kill(killed, "SIGKILL");
    await eventually(() => !alive(killed!), `member ${KILLED} (pid ${killed.pid}) to be gone`, 10_000);
    heightAtKill = await wallet.getBlockNumber();
    hashes.push(...(await Promise.all(Array.from({ length: TRANSFERS - half }, (_, i) => send(half + i)))));
    for (const hash of hashes) receipts.push(await waitForInclusion({ client: l2.client, hash, members: members() }));
    assert.ok(receipts.every((r) => r.status === "success"));
    assert.deepEqual(receipts.map((r) => r.transactionHash), hashes);
    assert.equal((await wallet.getBalance({ address: recipient!.address })) - balanceBefore, value * BigInt(TRANSFERS));
    for (const r of receipts.slice(half)) assert.ok(r.blockNumber > heightAtKill, `a transfer sent after the kill is in block ${r.blockNumber}, committed after it (height ${heightAtKill} then)`);
  });

  test("every block holding them becomes final on L1 (Rollup.isFinalized on L1), blocks committed after the kill too, and the finalized tag reaches them", async () => {
    assert.equal(receipts.length, TRANSFERS, "the transfers of the previous test");
    const blocks = new Map(receipts.map((r) => [r.blockNumber, r.blockHash]));
    const highest = [...blocks.keys()].reduce((a, b) => (a > b ? a : b));
    assert.ok(highest > heightAtKill);
    for (const [number, hash] of blocks) await eventually(() => isFinalizedOnL1(number, hash), `L2 block ${number} (${hash}) to be final on L1`, 120_000);
    await eventually(async () => (await l2.client.getBlock({ blockTag: "finalized" })).number >= highest, `the finalized tag to reach block ${highest}`, 60_000);
    const head = (await l1.client.readContract({ address: devnet!.summary.contracts.rollup, abi: ROLLUP_ABI, functionName: "finalizedHead" })) as readonly [bigint, Hex];
    assert.ok(head[0] >= highest, `L1's finalized head ${head[0]} is at or above block ${highest}`);
    assert.equal(killed !== undefined && alive(killed), false, `member ${KILLED} stayed dead`);
  });

  test("a deposit made on L1 appears on L2", async () => {
    const to = privateKeyToAccount(generatePrivateKey()).address;
    const amount = parseEther("3");
    const deposit = await depositToL2({ l1, l2, bridge: devnet!.summary.contracts.bridge, key: l1DevAccounts()[18]!.privateKey, to, amount, timeoutMs: 120_000 });
    assert.equal((await l1.client.getTransactionReceipt({ hash: deposit.l1.transactionHash })).status, "success");
    assert.equal(await l2.client.getBalance({ address: to }), amount);
  });

  test("a withdrawal made on L2 is claimed on L1, once", async () => {
    const account = devnet!.summary.accounts[2]!;
    const amount = parseEther("1.25");
    // The client's own bounded wait first, as a user runs it; past it, the chain's progress
    // decides (waitForInclusion), and a failure says at which stage the withdrawal is stuck.
    let hash: Hex | undefined;
    let sent: { transactionHash: Hex; blockNumber: bigint; blockHash: Hex };
    try {
      sent = await sendWithdrawal({ l2, key: account.privateKey, amount, timeoutMs: 120_000, onSent: (h) => (hash = h) });
    } catch (e) {
      if (hash === undefined) throw e; // never accepted: the ClientError says why (REFUSED / RPC_FAILED)
      if (!(e instanceof ClientError && e.code === "TIMEOUT")) throw new Error(`${(e as Error).message}\n${await describeTransaction(members(), hash)}`, { cause: e });
      sent = await waitForInclusion({ client: l2.client, hash, members: members() });
    }
    await waitUntilFinal({ l1, rollup: devnet!.summary.contracts.rollup, number: sent.blockNumber, hash: sent.blockHash, timeoutMs: 120_000 });
    const proof = await getWithdrawalProof(l2, sent.transactionHash);
    const l1Key = l1DevAccounts()[19]!.privateKey;
    const claim = await claimWithdrawal({ l1, bridge: devnet!.summary.contracts.bridge, key: l1Key, proof });
    assert.equal(claim.recipient, account.address);
    assert.equal(claim.balanceAfter - claim.balanceBefore, amount, "the L2 sender is paid on L1");
    assert.equal(await createPublicClient({ transport: http(l1.url) }).getBalance({ address: account.address }), amount);
    await assert.rejects(claimWithdrawal({ l1, bridge: devnet!.summary.contracts.bridge, key: l1Key, proof }), (e) => e instanceof ClientError && e.code === "ALREADY_CLAIMED");
  });
});
