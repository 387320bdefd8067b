import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex } from "viem";
import { readEpochRecords } from "../../../src/settlement/committee-records.ts";
import type { SettlementError } from "../../../src/settlement/errors.ts";
import { application, commitmentOf, deploySystem, MemberStatus as Status, MINIMUM_BOND, signVote, UNBONDING_DELAY } from "../fixtures.ts";

const { viem } = await network.create();

const blockA = keccak256(toHex("block A"));
const blockB = keccak256(toHex("block B"));

describe("Committee exits and bonds", () => {
  test("no exit leaves a slashed bond withdrawable", async () => {
    const { committee, rollup, keys, domain, chain, wallets } = await deploySystem(viem, { n: 4 });
    const testClient = await viem.getTestClient();
    const reporter = wallets[9]!;
    const operatorOf = (member: number) => wallets[1 + member]!; // deploySystem: operator i = wallet i + 1
    const slash = async (member: number) => {
      const r = reporter.account.address;
      await committee.write.commitReport([commitmentOf("vote", BigInt(member), 1n, 7n, blockA, blockB, r)], { account: reporter.account });
      const signer = BigInt(member); // epoch 1's order is the genesis order
      await committee.write.reportDoubleVote([1n, signer, 7n, blockA, signVote(keys[member]!, domain, 7n, blockA), blockB, signVote(keys[member]!, domain, 7n, blockB), r], {
        account: reporter.account,
      });
    };
    // Slashed while seated: no exit, no withdrawal.
    await slash(1);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.announceExit([1n], { account: operatorOf(1).account }), committee, "MemberAlreadySlashed", [1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.withdrawBond([1n], { account: operatorOf(1).account }), committee, "MemberAlreadySlashed", [1n]);
    // Slashed after announcing its exit, before the boundary.
    await committee.write.announceExit([2n], { account: operatorOf(2).account });
    await slash(2);
    // Slashed after leaving, inside its unbonding delay (evidence about its last epoch landing late).
    await committee.write.announceExit([3n], { account: operatorOf(3).account });
    for (let i = 0; i < 3; i++) chain.extend();
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), committee, "EpochStarted", [2n, [0]]);
    const [, , , status3] = await committee.read.member([3n]);
    assert.equal(status3, Status.Exited);
    await slash(3);
    await testClient.increaseTime({ seconds: Number(UNBONDING_DELAY) });
    await testClient.mine({ blocks: 1 });
    for (const member of [1, 2, 3]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        committee.write.withdrawBond([BigInt(member)], { account: operatorOf(member).account }),
        committee,
        "MemberAlreadySlashed",
        [BigInt(member)],
      );
      const [, , bond, status] = await committee.read.member([BigInt(member)]);
      assert.deepEqual([bond, status], [0n, Status.Ejected], `member ${member}`);
    }
  });
  test("an exit takes effect at the next boundary; the bond unlocks after the unbonding delay", async () => {
    const { committee, rollup, keys, chain, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const testClient = await viem.getTestClient();
    const operator = wallets[4]!; // member 3's
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.announceExit([3n], { account: wallets[5]!.account }), committee, "NotOwner", [3n, wallets[5]!.account.address]);
    await viem.assertions.emitWithArgs(committee.write.announceExit([3n], { account: operator.account }), committee, "MemberExitAnnounced", [3n, false]);
    assert.equal((await committee.read.member([3n]))[3], Status.Exiting);
    for (let i = 0; i < 5; i++) chain.extend();
    // Still epoch 1 until the boundary: member 3 signs the QCs that settle it.
    const hash = await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    const { timestamp } = await publicClient.getBlock({ blockNumber: (await publicClient.waitForTransactionReceipt({ hash })).blockNumber });
    const unlocksAt = timestamp + UNBONDING_DELAY;
    await viem.assertions.emitWithArgs(Promise.resolve(hash), committee, "MemberLeft", [3n, unlocksAt]);
    assert.deepEqual(await committee.read.epochMembers([2n]), [0, 1, 2]);
    assert.equal((await committee.read.member([3n]))[6], unlocksAt);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.withdrawBond([3n], { account: operator.account }), committee, "BondStillLocked", [3n, unlocksAt]);
    await testClient.setNextBlockTimestamp({ timestamp: unlocksAt });
    const before = await publicClient.getBalance({ address: operator.account.address });
    const withdrawal = await committee.write.withdrawBond([3n], { account: operator.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash: withdrawal });
    assert.equal(await publicClient.getBalance({ address: operator.account.address }), before + MINIMUM_BOND - receipt.gasUsed * receipt.effectiveGasPrice);
    await viem.assertions.emitWithArgs(Promise.resolve(withdrawal), committee, "BondWithdrawn", [3n, operator.account.address, MINIMUM_BOND]);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.withdrawBond([3n], { account: operator.account }), committee, "WrongStatus", [3n, Status.Withdrawn]);
  });

  test("governance removes a member: it leaves at the boundary and gets its bond back after the delay", async () => {
    const { committee, rollup, keys, chain, wallets } = await deploySystem(viem, { n: 4 });
    const testClient = await viem.getTestClient();
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.remove([2n], { account: wallets[3]!.account }), committee, "NotGovernance", [wallets[3]!.account.address]);
    await viem.assertions.emitWithArgs(committee.write.remove([2n]), committee, "MemberExitAnnounced", [2n, true]);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.remove([2n]), committee, "WrongStatus", [2n, Status.Exiting]);
    for (let i = 0; i < 3; i++) chain.extend();
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), committee, "EpochStarted", [2n, [0, 1, 3]]);
    await testClient.increaseTime({ seconds: Number(UNBONDING_DELAY) });
    await viem.assertions.emitWithArgs(committee.write.withdrawBond([2n], { account: wallets[3]!.account }), committee, "BondWithdrawn", [2n, wallets[3]!.account.address, MINIMUM_BOND]);
  });

  test("an applicant never admitted withdraws its application and its bond", async () => {
    const { committee, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const operator = wallets[7]!;
    const { args } = application(committee.address, operator.account.address, "hopeful");
    await committee.write.applyForSeat(args, { value: 2n * MINIMUM_BOND, account: operator.account });
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.withdrawApplication([4n], { account: wallets[8]!.account }), committee, "NotOwner", [4n, wallets[8]!.account.address]);
    const before = await publicClient.getBalance({ address: operator.account.address });
    const hash = await committee.write.withdrawApplication([4n], { account: operator.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(await publicClient.getBalance({ address: operator.account.address }), before + 2n * MINIMUM_BOND - receipt.gasUsed * receipt.effectiveGasPrice);
    await viem.assertions.emitWithArgs(Promise.resolve(hash), committee, "ApplicationWithdrawn", [4n, operator.account.address, 2n * MINIMUM_BOND]);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.admit([4n]), committee, "WrongStatus", [4n, Status.Withdrawn]);
    // A seated member is not an applicant: its bond leaves only through an exit.
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.withdrawApplication([0n], { account: wallets[1]!.account }), committee, "WrongStatus", [0n, Status.Active]);
  });

  test("an operator updates its endpoint; a malformed one is refused", async () => {
    const { committee, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const operator = wallets[1]!; // member 0's
    for (const bad of ["", "http://a:1", "ws://", `ws://${"a".repeat(252)}`]) {
      await viem.assertions.revertWithCustomErrorWithArgs(committee.write.updateEndpoint([0n, bad], { account: operator.account }), committee, "InvalidEndpoint", [bad]);
    }
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.updateEndpoint([0n, "ws://x:1"], { account: wallets[2]!.account }), committee, "NotOwner", [0n, wallets[2]!.account.address]);
    await viem.assertions.emitWithArgs(committee.write.updateEndpoint([0n, "wss://member0.example:443"], { account: operator.account }), committee, "EndpointUpdated", [0n, "wss://member0.example:443"]);
    const [first] = await readEpochRecords(publicClient, committee.address, 1n);
    assert.equal(first!.endpoint, "wss://member0.example:443");
    await assert.rejects(readEpochRecords(publicClient, committee.address, 2n), (e: SettlementError) => e.code === "INVALID_ITEM" && e.revert?.errorName === "UnknownEpoch" && /epoch 2/.test(e.message));
  });

  test("the last seat cannot be given up", async () => {
    const { committee, wallets } = await deploySystem(viem, { n: 1 });
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.announceExit([0n], { account: wallets[1]!.account }), committee, "CommitteeWouldBeEmpty", [0n]);
  });
});
