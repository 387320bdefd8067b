/**
 * End to end: `npm start -- --byzantine 3:equivocate` as a developer runs it. Member 3 proposes
 * two blocks in every view it leads; the honest members keep both as evidence and report it to
 * L1 through their outboxes; the Committee slashes and ejects member 3; the next settlement starts
 * epoch 2 without it; the three honest members switch to epoch 2 at the boundary block and L1
 * keeps finalizing blocks, now with proofs signed by the new committee; transactions still land.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createPublicClient, createWalletClient, defineChain, http, parseEther, type Address, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { l1DevAccounts, l2DevAccounts } from "../../src/devnet/accounts.ts";
import { callRpc } from "../../src/devnet/rpc.ts";
import { COMMITTEE_ABI, ROLLUP_ABI } from "../../src/settlement/abi.ts";
import { readDeployment, type Deployment } from "../../src/deployment/contracts.ts";
import { deadRedisUrl, eventually } from "../fixtures/redis.ts";
import { freePort } from "../fixtures/ports.ts";
import { alive, descendants, freeRange, kill, runStart, waitUntilReady, type ProcessRef, type Run } from "../fixtures/devnet-process.ts";

const EJECTED = 3; // Membership.Status.Ejected

describe("a member that equivocates is slashed on L1 and the committee goes on without it", () => {
  const root = mkdtempSync(join(tmpdir(), "e2e-slashing-"));
  const dataDir = join(root, "data");
  let run: Run | undefined;
  let started: ProcessRef[] = [];
  let l1: PublicClient;
  let l2Url = "";
  let deployment: Deployment;

  before(async () => {
    const l1Port = await freePort();
    const rpcPort = await freeRange(4);
    l2Url = `http://127.0.0.1:${rpcPort}`;
    // No Redis at REDIS_URL: npm start runs a private redis-server in the data dir, gone with it.
    run = runStart(["--data-dir", dataDir, "--l1-port", String(l1Port), "--rpc-port", String(rpcPort), "--byzantine", "3:equivocate"], { ...process.env, REDIS_URL: deadRedisUrl });
    await waitUntilReady(run);
    started = descendants(run.child.pid!);
    deployment = readDeployment(join(dataDir, "deployments.json"));
    l1 = createPublicClient({ transport: http(`http://127.0.0.1:${l1Port}`) });
  });

  after(async () => {
    if (run !== undefined && run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill("SIGINT");
      await Promise.race([run.exit, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    }
    for (const p of [...started, ...(run?.child.pid === undefined ? [] : descendants(run.child.pid))]) kill(p);
    rmSync(root, { recursive: true, force: true });
  });

  /** Member i's epoch-change log lines: where it switched (epoch.changed) and its role after (epoch.started / epoch.left_out). */
  const epochLine = (i: number): { boundary: string; boundaryHash: string; role: string } | undefined => {
    const entries = readFileSync(join(dataDir, `member-${i}.log`), "utf8").split("\n").filter((l) => l.includes('"epoch.')).map((l) => JSON.parse(l) as { event: string; boundary: string; boundaryHash?: string });
    const changed = entries.find((e) => e.event === "epoch.changed");
    const role = entries.find((e) => e.event === "epoch.started" || e.event === "epoch.left_out");
    return changed === undefined || role === undefined ? undefined : { boundary: changed.boundary, boundaryHash: changed.boundaryHash!, role: role.event };
  };
  const committee = () => deployment.contracts.committee as Address;
  const rollup = () => deployment.contracts.rollup as Address;
  const finalizedHead = async () => ((await l1.readContract({ address: rollup(), abi: ROLLUP_ABI, functionName: "finalizedHead" })) as [bigint, string])[0];

  test("the honest members' evidence gets member 3 slashed and ejected on L1", async () => {
    const member = async (id: bigint) => (await l1.readContract({ address: committee(), abi: COMMITTEE_ABI, functionName: "member", args: [id] })) as [Address, Address, bigint, number, string];
    // Member 3 leads view 3, so it is often slashed before npm start has printed its summary.
    await eventually(async () => (await member(3n))[3] === EJECTED, "the Committee to eject member 3", 180_000);
    const bond = (await l1.readContract({ address: committee(), abi: COMMITTEE_ABI, functionName: "minimumBond" })) as bigint;
    assert.equal((await member(3n))[2], 0n, "member 3's bond is gone");
    const [slashed, ...more] = await l1.getContractEvents({ address: committee(), abi: COMMITTEE_ABI, eventName: "MemberSlashed", fromBlock: 0n });
    assert.equal(more.length, 0, "one slashing: later reports of the same member change nothing");
    const args = slashed!.args as { memberId: bigint; reporter: Address; reward: bigint; burned: bigint };
    assert.equal(args.memberId, 3n);
    assert.equal(args.reward + args.burned, bond, "the whole bond: a share to the reporter, the rest burned");
    // Members 0..2 pay their evidence transactions from L1 dev accounts 1..3.
    const honestSenders = l1DevAccounts(4).slice(1).map((a) => a.address.toLowerCase());
    assert.ok(honestSenders.includes(args.reporter.toLowerCase()), `the reporter ${args.reporter} is an honest member's L1 account`);
    for (let i = 0n; i < 3n; i++) {
      const [, , honestBond, status] = await member(i);
      assert.notEqual(status, EJECTED, `honest member ${i} is not ejected`);
      assert.equal(honestBond, bond, `honest member ${i} keeps its bond`);
    }
  });

  test("the next settlement starts epoch 2 without member 3, and L1 finalizes blocks the new committee signed", async () => {
    await eventually(async () => (await l1.readContract({ address: committee(), abi: COMMITTEE_ABI, functionName: "currentEpoch" })) === 2n, "L1 to start epoch 2", 120_000);
    assert.deepEqual(await l1.readContract({ address: committee(), abi: COMMITTEE_ABI, functionName: "epochMembers", args: [2n] }), [0, 1, 2]);
    // A batch settled with an epoch-2 proof: its QCs carry the signatures of members 0, 1 and 2 only.
    await eventually(
      async () => (await l1.getContractEvents({ address: rollup(), abi: ROLLUP_ABI, eventName: "BatchSettled", fromBlock: 0n })).some((e) => (e.args as { epoch: bigint }).epoch === 2n),
      "a batch settled in epoch 2",
      120_000,
    );
    const status = await callRpc<{ committedHeight: string }>(l2Url, "rollup_status");
    const committee2 = await callRpc<{ epoch: string; members: unknown[] }>(l2Url, "rollup_getCommittee");
    assert.equal(BigInt(committee2.epoch), 2n, "member 0 signs in epoch 2");
    assert.equal(committee2.members.length, 3);
    // Every honest member switched at the same boundary block; the ejected one stopped signing.
    for (const i of [0, 1, 2, 3]) await eventually(() => epochLine(i) !== undefined, `member ${i} to log its epoch change`, 60_000);
    const switched = [0, 1, 2, 3].map((i) => epochLine(i)!);
    for (const line of switched.slice(0, 3)) assert.equal(line.role, "epoch.started");
    assert.deepEqual(new Set(switched.map((l) => `${l.boundary}:${l.boundaryHash}`)).size, 1, "one epoch-change block for every member");
    assert.equal(switched[3]!.role, "epoch.left_out", "the ejected member stops signing at the same block");
    // Finality keeps moving in the new epoch.
    const head = await finalizedHead();
    await eventually(async () => (await finalizedHead()) > head, `L1's finalized head to pass ${head} again (committed ${status.committedHeight})`, 120_000);
  });

  test("a transfer sent after the epoch change gets a receipt and becomes final on L1", async () => {
    const chain = defineChain({ id: 901, name: "devnet", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [l2Url] } } });
    const [alice, bob] = l2DevAccounts(2);
    const wallet = createWalletClient({ account: privateKeyToAccount(alice!.privateKey), chain, transport: http(l2Url) });
    const l2 = createPublicClient({ chain, transport: http(l2Url) });
    const hash = await wallet.sendTransaction({ to: bob!.address, value: parseEther("0.5") });
    const receipt = await l2.waitForTransactionReceipt({ hash, timeout: 60_000, pollingInterval: 200 });
    assert.equal(receipt.status, "success");
    const block = await l2.getBlock({ blockNumber: receipt.blockNumber });
    await eventually(
      async () => (await l1.readContract({ address: rollup(), abi: ROLLUP_ABI, functionName: "isFinalized", args: [receipt.blockNumber, block.hash] })) === true,
      `block ${receipt.blockNumber} to be final on L1`,
      120_000,
    );
  });
});
