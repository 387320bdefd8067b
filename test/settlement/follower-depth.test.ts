/**
 * The L1 follower reads L1 at a configured depth (a number of confirmations, or the `safe` /
 * `finalized` tag), records the hash of each block it read, and stops (L1_REORG) when L1
 * reorganises below that depth instead of handing members a changed Inbox.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { network } from "hardhat";
import { connectL1, L1Follower, SettlementError } from "../../src/settlement/index.ts";
import { deploySystem } from "../contracts/fixtures.ts";

const { viem, provider, networkHelpers } = await network.create();
const followers: L1Follower[] = [];
after(async () => {
  for (const f of followers) await f.stop();
});

async function deployed() {
  const system = await deploySystem(viem, { n: 4, inclusionDeadline: 50n, seed: "follower-depth" });
  const contracts = { rollup: system.rollup.address, committee: system.committee.address, bridge: system.bridge.address };
  return { ...system, contracts, fromBlock: BigInt(system.deployment.deployBlock) };
}

describe("the follower honours the configured L1 depth", () => {
  test("with 3 confirmations a deposit counts only once 3 blocks are on top of it, and each block read has its hash", async () => {
    const system = await deployed();
    const follower = new L1Follower({ l1: connectL1({ provider }), contracts: system.contracts, fromBlock: system.fromBlock, confirmations: 3n });
    followers.push(follower);
    const hash = await system.bridge.write.deposit([system.wallets[8]!.account.address], { value: 5n, account: system.wallets[5]!.account });
    const { blockNumber: b } = await system.publicClient.waitForTransactionReceipt({ hash });
    await networkHelpers.mine(2);
    await follower.poll();
    assert.equal(follower.l1Head(), b - 1n);
    assert.equal(follower.inboxEntries().length, 0, "two blocks on top are not enough");
    await networkHelpers.mine(1);
    await follower.poll();
    assert.equal(follower.l1Head(), b);
    assert.equal(follower.inboxEntries().length, 1);
    assert.equal(follower.hashAt(b), (await system.publicClient.getBlock({ blockNumber: b })).hash);
    assert.equal(follower.hashAt(b + 1n), undefined, "nothing above the depth");
  });

  for (const tag of ["safe", "finalized"] as const) {
    test(`with the "${tag}" tag it reads up to the block L1 tags ${tag}`, async () => {
      const system = await deployed();
      const follower = new L1Follower({ l1: connectL1({ provider }), contracts: system.contracts, fromBlock: system.fromBlock, confirmations: tag });
      followers.push(follower);
      await networkHelpers.mine(2);
      await follower.poll();
      const tagged = await system.publicClient.getBlock({ blockTag: tag });
      assert.equal(follower.l1Head(), tagged.number);
      assert.equal(follower.hashAt(tagged.number), tagged.hash);
    });
  }

  test("a reorg below the depth stops the follower (L1_REORG) instead of feeding members a changed Inbox", async () => {
    const system = await deployed();
    const follower = new L1Follower({ l1: connectL1({ provider }), contracts: system.contracts, fromBlock: system.fromBlock, confirmations: 0n });
    followers.push(follower);
    const beforeReorg = await networkHelpers.takeSnapshot();
    await system.publicClient.waitForTransactionReceipt({
      hash: await system.bridge.write.deposit([system.wallets[8]!.account.address], { value: 5n, account: system.wallets[5]!.account }),
    });
    await follower.poll();
    const read = follower.l1Head();
    assert.equal(follower.inboxEntries().length, 1);
    // L1 replaces the deposit's block (and the follower read it at depth 0).
    await beforeReorg.restore();
    await networkHelpers.time.increase(7);
    await networkHelpers.mine(1);
    await assert.rejects(follower.poll(), (e: unknown) => {
      assert.ok(e instanceof SettlementError);
      assert.equal(e.code, "L1_REORG");
      assert.match(e.message, new RegExp(`L1 block ${read + 1n}'s parent is not the block ${read} this follower read`));
      return true;
    });
    assert.equal(follower.inboxEntries().length, 1, "nothing is taken from the new branch");
    assert.equal(follower.l1Head(), read);
  });
});
