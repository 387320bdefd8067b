/**
 * Nodes follow L1's committee by themselves (issue 10, item 2): a member no config lists is
 * admitted on L1 and the running members follow it at the epoch change, with no config edit and
 * no restart. Four genesis members run; a fifth member process starts knowing only the
 * deployment, its keys and its listen address (no committee, no member id: it reads both from
 * L1), applies with a bond, and governance admits it. At the next settle L1 starts an epoch
 * naming it: every member reads its record (key, endpoint), dials it, and switches at the
 * epoch-change block; the new member, an observer until then, syncs, switches too and votes, and
 * L1 verifies its signature in a settled QC. A genesis member restarted then rejoins that epoch
 * (its config still lists four members). Then the new member exits: the next epoch leaves it out
 * and the others close their links to it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { PublicClient } from "viem";
import { SecretKey } from "../../src/crypto/index.ts";
import { admitMember, announceExit, applyForSeat, readMember } from "../../src/devnet/membership.ts";
import { writeJoiningMemberConfig } from "../../src/node/devnet.ts";
import { distinctFreePorts } from "../fixtures/ports.ts";
import { eventually } from "../fixtures/redis.ts";
import { settledSigners } from "../support/settled-signers.ts";
import { TEST_TIMING, type LogLine } from "./support/cluster.ts";
import { L1TestCluster, L2_CHAIN_ID } from "./support/l1-cluster.ts";

let net: L1TestCluster | undefined;

before(async () => {
  net = await L1TestCluster.create("l1-follow");
});

after(async () => {
  await net?.stop();
});

const GENESIS = [0, 1, 2, 3];

test("a member admitted on L1 that no config lists is followed by every running member from the epoch that seats it, votes, and is dropped when it exits", async () => {
  const cluster = net!.members;
  const l1 = net!.l1!;
  const target = { rpcUrl: l1.rpcUrl, committee: net!.contracts.committee };
  await cluster.startAll(GENESIS);
  await cluster.waitForHeight(GENESIS, 2n);

  // The joiner: its own BLS key, an operator account (L1 dev account 6: not a member's, not the depositors'), a free listen address.
  const key = SecretKey.fromSeed("l1-follow-joiner");
  const operator = l1.accounts[6]!;
  const [p2p, rpc, metrics] = await distinctFreePorts(3);
  const { memberId } = await applyForSeat({ ...target, operator: operator.privateKey, secretKey: key, l2ChainId: L2_CHAIN_ID, feeRecipient: operator.address, endpoint: `ws://127.0.0.1:${p2p}` });
  assert.equal(memberId, 4, "the first applicant after four genesis members gets id 4");
  const files = writeJoiningMemberConfig({
    dir: join(net!.dir, "members"),
    memberId,
    secretKey: key,
    deploymentsFile: net!.deployed!.outFile,
    l1RpcUrl: l1.rpcUrl,
    l1PrivateKey: operator.privateKey,
    ports: { p2p: p2p!, rpc: rpc!, metrics: metrics! },
    redisUrl: cluster.redisUrl,
    redisPrefix: cluster.prefix,
    consensus: TEST_TIMING,
  });
  const joiner = cluster.join(files);
  await cluster.start(joiner);
  assert.ok(cluster.events(joiner, "member.identity").some((e) => e.member === memberId), "the joiner read its member id from L1");

  await admitMember({ ...target, governance: l1.accounts[0]!.privateKey, memberId });

  // The next settle starts epoch 2 with the five of them; every genesis member switches to it.
  const withJoiner = (e: LogLine) => Array.isArray(e.members) && e.members.includes(memberId);
  for (const m of GENESIS) {
    await eventually(() => cluster.events(m, "epoch.changed").some(withJoiner), `member ${m} to switch to the epoch naming member ${memberId}`, 120_000);
    assert.ok(cluster.events(m, "committee.member_learned").some((e) => e.memberId === memberId && e.url === `ws://127.0.0.1:${p2p}`), `member ${m} learnt member ${memberId}'s endpoint from L1`);
    assert.equal(cluster.events(m, "epoch.unfollowable").length, 0, `member ${m} never found an epoch it could not follow`);
  }
  // The joiner catches up as an observer, switches at the same block, and signs in the new epoch.
  await eventually(() => cluster.events(joiner, "epoch.started").some((e) => e.self === 4 && withJoiner(e)), "the joiner to start signing in the new epoch", 120_000);
  const boundary = cluster.events(0, "epoch.changed").find(withJoiner)!.boundaryHash;
  assert.equal(cluster.events(joiner, "epoch.changed").find(withJoiner)?.boundaryHash, boundary, "the joiner switched at the same epoch-change block");
  const client = net!.l1Client() as PublicClient;
  await eventually(async () => (await settledSigners(client, net!.contracts)).some((s) => s.signers.includes(memberId)), `L1 to settle a QC that member ${memberId} signed`, 120_000);

  // A genesis member restarted now opens a store whose epoch names member 4, which its config does
  // not list: it learns the key from L1 before it rebuilds that epoch's signer, and rejoins.
  await cluster.kill(1, "SIGKILL");
  const from = cluster.logs[1]!.length;
  await cluster.start(1);
  const restarted = cluster.logs[1]!.slice(from).find((e) => e.event === "member.started");
  assert.equal(restarted?.epoch, "2", "member 1 restarted in the epoch that seats member 4");
  await cluster.waitForHeight([1, joiner], (await cluster.height(0)) + 2n);

  // It exits: the epoch after that leaves it out, and the others stop following it.
  await announceExit({ ...target, operator: operator.privateKey, memberId });
  const without = (e: LogLine) => Array.isArray(e.members) && !e.members.includes(memberId) && BigInt(e.epoch as string) > 2n;
  for (const m of GENESIS) {
    await eventually(() => cluster.events(m, "epoch.changed").some(without), `member ${m} to switch to the epoch without member ${memberId}`, 120_000);
    // Once in six full runs this wait timed out (a race not yet found): say what the member logged.
    await eventually(() => cluster.events(m, "network.unfollowed").some((e) => e.peer === memberId), `member ${m} to close its link to member ${memberId}`, 30_000).catch((e: Error) => {
      const lines = cluster.logs[m]!.filter((l) => /^(epoch\.|network\.|member\.|consensus\.step_failed$)/.test(l.event)).slice(-40);
      throw new Error(`${e.message}; member ${m}'s last epoch, network and member lines: ${JSON.stringify(lines)}`);
    });
  }
  assert.equal((await readMember({ ...target, memberId })).status, "Exited");
  const height = await cluster.height(0);
  await cluster.waitForHeight(GENESIS, height + 2n);
});
