/**
 * End to end (issue 10, "Show"): committee membership on the `npm start` devnet, with the
 * devnet's own commands, as a developer runs them. `npm run devnet -- admit` generates a key,
 * applies on L1 from an operator account with a bond, a proof of possession and an endpoint,
 * starts the new member's process (data dir and log in the devnet folder) and has governance
 * admit it: member 4. At the next settle L1 starts epoch 2 with five members; every running
 * member follows it (no config edit, no restart) and switches at the same block; the new member
 * votes, and L1 verifies its signature in a settled QC (the signer bitmap of a settle, read from
 * its calldata). Then `npm run devnet -- exit --member 4` announces its exit; it leaves at the
 * next epoch change, and after the unbonding delay its bond goes back to its operator.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createPublicClient, http, type Address, type PublicClient } from "viem";
import { readDeployment, type Deployment } from "../../src/deployment/contracts.ts";
import { COMMITTEE_ABI } from "../../src/settlement/abi.ts";
import { deadRedisUrl, eventually } from "../fixtures/redis.ts";
import { freePort } from "../fixtures/ports.ts";
import { alive, descendants, freeRange, identify, kill, runStart, waitUntilReady, type ProcessRef, type Run } from "../fixtures/devnet-process.ts";
import { runScript } from "../fixtures/scripts.ts";
import { settledSigners } from "../support/settled-signers.ts";

const NEW_MEMBER = 4;
const WITHDRAWN = 7; // Membership.Status.Withdrawn

describe("governance admits a fifth member on the devnet; everyone follows it; it votes, exits and takes its bond back", () => {
  const root = mkdtempSync(join(tmpdir(), "e2e-membership-"));
  const dataDir = join(root, "data");
  let run: Run | undefined;
  let started: ProcessRef[] = [];
  let joined: ProcessRef | undefined;
  let l1: PublicClient;
  let deployment: Deployment;

  before(async () => {
    const l1Port = await freePort();
    // Four genesis members and the admitted one: its JSON-RPC is at rpcPort + its id.
    const rpcPort = await freeRange(5);
    // No Redis at REDIS_URL: npm start runs a private redis-server in the data dir, gone with it.
    run = runStart(["--data-dir", dataDir, "--l1-port", String(l1Port), "--rpc-port", String(rpcPort)], { ...process.env, REDIS_URL: deadRedisUrl });
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
    for (const p of [...started, ...(joined === undefined ? [] : [joined]), ...(run?.child.pid === undefined ? [] : descendants(run.child.pid))]) kill(p);
    rmSync(root, { recursive: true, force: true });
  });

  const logLines = (i: number) =>
    existsSync(join(dataDir, `member-${i}.log`))
      ? readFileSync(join(dataDir, `member-${i}.log`), "utf8").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown> & { event: string })
      : [];
  const changedTo = (i: number, seated: boolean) => logLines(i).find((e) => e.event === "epoch.changed" && Array.isArray(e.members) && (e.members as number[]).includes(NEW_MEMBER) === seated && BigInt(e.epoch as string) > 1n);
  const member = async (id: number) => (await l1.readContract({ address: deployment.contracts.committee, abi: COMMITTEE_ABI, functionName: "member", args: [BigInt(id)] })) as [Address, Address, bigint, number, string, string, bigint];

  test("npm run devnet -- admit seats member 4: every running member follows it, and L1 verifies its signature in a settled QC", async () => {
    const admit = await runScript("devnet", ["admit", "--data-dir", dataDir]);
    assert.equal(admit.code, 0, `admit failed:\n${admit.stdout}\n${admit.stderr}`);
    assert.match(admit.stdout, /member 4 is in the committee from epoch 2/);
    // The pid file names the process and its config (src/devnet/joined-members.ts).
    joined = identify((JSON.parse(readFileSync(join(dataDir, `member-${NEW_MEMBER}.pid`), "utf8")) as { pid: number }).pid);
    assert.ok(joined !== undefined && alive(joined), "the new member's process runs");
    // Its config names no committee and no member id: it read both from L1.
    const config = JSON.parse(readFileSync(join(dataDir, "members", `member-${NEW_MEMBER}.json`), "utf8")) as Record<string, unknown>;
    assert.equal(config.committee, undefined);
    assert.equal(config.member, undefined);
    assert.deepEqual(await l1.readContract({ address: deployment.contracts.committee, abi: COMMITTEE_ABI, functionName: "epochMembers", args: [2n] }), [0, 1, 2, 3, 4]);
    // Every member, the new one included, switched to epoch 2 at the same block.
    for (const i of [0, 1, 2, 3, NEW_MEMBER]) await eventually(() => changedTo(i, true) !== undefined, `member ${i} to switch to the epoch that seats member 4`, 120_000);
    assert.equal(new Set([0, 1, 2, 3, NEW_MEMBER].map((i) => changedTo(i, true)!.boundaryHash)).size, 1, "one epoch-change block for every member");
    assert.ok(logLines(NEW_MEMBER).some((e) => e.event === "epoch.started" && e.self === 4), "the new member signs in epoch 2");
    await eventually(async () => (await settledSigners(l1, deployment.contracts)).some((s) => s.epoch === 2n && s.signers.includes(NEW_MEMBER)), "a settled QC that member 4 signed", 180_000);
  });

  test("npm run devnet -- exit --member 4: it leaves at the next epoch change and withdraws its bond after the unbonding delay", async () => {
    const [owner, , bond] = await member(NEW_MEMBER);
    const balanceBefore = await l1.getBalance({ address: owner });
    const exit = await runScript("devnet", ["exit", "--member", String(NEW_MEMBER), "--data-dir", dataDir]);
    assert.equal(exit.code, 0, `exit failed:\n${exit.stdout}\n${exit.stderr}`);
    assert.match(exit.stdout, /bond of 1 ETH withdrawn/);
    const [, , bondAfter, status] = await member(NEW_MEMBER);
    assert.equal(status, WITHDRAWN);
    assert.equal(bondAfter, 0n);
    const [withdrawn] = await l1.getContractEvents({ address: deployment.contracts.committee, abi: COMMITTEE_ABI, eventName: "BondWithdrawn", fromBlock: 0n, args: { memberId: BigInt(NEW_MEMBER) } });
    assert.equal((withdrawn!.args as { amount: bigint }).amount, bond, "the whole bond came back");
    // The operator also paid the new member's settlements, so its balance moved by the bond minus gas.
    assert.ok((await l1.getBalance({ address: owner })) > balanceBefore, "the operator got its bond back");
    // The genesis members followed the epoch without it and dropped their links to it; its process was stopped.
    for (const i of [0, 1, 2, 3]) {
      await eventually(() => changedTo(i, false) !== undefined, `member ${i} to switch to the epoch without member 4`, 60_000);
      await eventually(() => logLines(i).some((e) => e.event === "network.unfollowed" && e.peer === NEW_MEMBER), `member ${i} to stop following member 4`, 60_000);
    }
    assert.ok(!alive(joined!), "the exited member's process was stopped");
  });
});
