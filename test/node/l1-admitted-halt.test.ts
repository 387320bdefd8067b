/**
 * Attack (issue 10, "one registration halts settlement forever"): a member governance admits
 * after the deployment, whom no node's config lists. At the next settle L1 starts an epoch
 * naming it; before nodes followed L1's committee, every member logged `epoch.unfollowable`,
 * stayed in the old epoch, and L1 refused its proofs (WrongEpoch): the chain halted. Now the
 * members read the new member's record from L1 and switch; the four of them are a quorum of
 * the five even while the new member is not running, so blocks keep settling in the new epoch.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SecretKey } from "../../src/crypto/index.ts";
import { admitMember, applyForSeat } from "../../src/devnet/membership.ts";
import { ROLLUP_ABI } from "../../src/settlement/index.ts";
import { eventually } from "../fixtures/redis.ts";
import { L1TestCluster, L2_CHAIN_ID } from "./support/l1-cluster.ts";

let net: L1TestCluster | undefined;

before(async () => {
  net = await L1TestCluster.create("l1-admitted-halt");
});

after(async () => {
  await net?.stop();
});

const GENESIS = [0, 1, 2, 3];

test("admitted_member_no_config_lists_does_not_halt_settlement", async () => {
  const cluster = net!.members;
  const l1 = net!.l1!;
  const target = { rpcUrl: l1.rpcUrl, committee: net!.contracts.committee };
  await cluster.startAll(GENESIS);
  await cluster.waitForHeight(GENESIS, 2n);
  const operator = l1.accounts[7]!;
  const { memberId } = await applyForSeat({ ...target, operator: operator.privateKey, secretKey: SecretKey.fromSeed("l1-admitted-halt"), l2ChainId: L2_CHAIN_ID, feeRecipient: operator.address, endpoint: "ws://127.0.0.1:1" });
  await admitMember({ ...target, governance: l1.accounts[0]!.privateKey, memberId });
  // L1 starts the epoch naming it at the next settle.
  const client = net!.l1Client();
  const epochOnL1 = async () => (await client.readContract({ address: net!.contracts.committee, abi: [{ type: "function", name: "currentEpoch", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] }], functionName: "currentEpoch" })) as bigint;
  await eventually(async () => (await epochOnL1()) === 2n, "L1 to start the epoch naming the admitted member", 60_000);
  for (const m of GENESIS) {
    await eventually(() => cluster.events(m, "epoch.changed").some((e) => Array.isArray(e.members) && e.members.includes(memberId)), `member ${m} to switch to the epoch naming member ${memberId}`, 90_000);
  }
  // Settlement goes on in the new epoch: L1 finalizes blocks past the epoch-change block.
  const boundary = BigInt(cluster.events(0, "epoch.changed").find((e) => Array.isArray(e.members) && e.members.includes(memberId))!.boundary as string);
  await eventually(async () => {
    const [number] = (await client.readContract({ address: net!.contracts.rollup, abi: ROLLUP_ABI, functionName: "finalizedHead" })) as [bigint, unknown];
    return number > boundary + 2n;
  }, "L1 to finalize blocks of the new epoch", 90_000);
  assert.ok(GENESIS.every((m) => cluster.events(m, "epoch.unfollowable").length === 0), "no member found the epoch unfollowable");
});
