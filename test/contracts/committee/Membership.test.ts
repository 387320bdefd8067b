import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { getAddress, keccak256, toHex } from "viem";
import { readEpochRecords } from "../../../src/settlement/committee-records.ts";
import { application, commitmentOf, deploySystem, L2_CHAIN_ID, MINIMUM_BOND, signVote, UNBONDING_DELAY } from "../fixtures.ts";

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

const { viem } = await network.create();

/** Member statuses (Membership.Status). */
const Status = { None: 0, Pending: 1, Active: 2, Ejected: 3, Applied: 4, Exiting: 5, Exited: 6, Withdrawn: 7 } as const;

const blockA = keccak256(toHex("block A"));
const blockB = keccak256(toHex("block B"));

describe("Committee membership attacks", () => {
  test("a stranger cannot get a seat however many bonds", async () => {
    const { committee, rollup, keys, chain, wallets } = await deploySystem(viem, { n: 4 });
    const stranger = wallets[9]!;
    // 9 keys against 4 honest members would be 13 seats, quorum 9: all of it the stranger's.
    for (let i = 0; i < 9; i++) {
      const { args } = application(committee.address, stranger.account.address, `stranger-${i}`);
      await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: stranger.account });
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.admit([4n], { account: stranger.account }),
      committee,
      "NotGovernance",
      [stranger.account.address],
    );
    for (let i = 0; i < 3; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    assert.equal(await committee.read.currentEpoch(), 1n, "applications alone change no epoch");
    assert.deepEqual(await committee.read.epochMembers([1n]), [0, 1, 2, 3]);
    const [, , bond, status] = await committee.read.member([12n]);
    assert.deepEqual([bond, status], [MINIMUM_BOND, Status.Applied]);
  });

  test("a front-run PoP is useless", async () => {
    const { committee, wallets } = await deploySystem(viem, { n: 4 });
    const [operator, thief] = [wallets[7]!, wallets[8]!];
    const { publicKey, proof, args } = application(committee.address, operator.account.address, "victim");
    // The thief copies the pending application with its own account and fee recipient.
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat([publicKey, proof, thief.account.address, "ws://thief:1"], { value: MINIMUM_BOND, account: thief.account }),
      committee,
      "InvalidProofOfPossession",
      [publicKey],
    );
    // Copied verbatim, it still names the operator's fee recipient, but the thief would own the
    // bond: refused just the same, since the proof names the sender.
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: thief.account }),
      committee,
      "InvalidProofOfPossession",
      [publicKey],
    );
    await viem.assertions.emitWithArgs(
      committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: operator.account }),
      committee,
      "MemberApplied",
      [4n, operator.account.address, operator.account.address, publicKey, MINIMUM_BOND, args[3]],
    );
  });

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
});

describe("Committee membership lifecycle", () => {
  test("governance admits an applicant; it joins at the next boundary with its endpoint on record", async () => {
    const { committee, rollup, keys, chain, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const operator = wallets[7]!;
    const { args, key } = application(committee.address, operator.account.address, "newcomer", "ws://newcomer.example:9000");
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat([args[0], args[1], args[2], "http://newcomer.example"], { value: MINIMUM_BOND, account: operator.account }),
      committee,
      "InvalidEndpoint",
      ["http://newcomer.example"],
    );
    await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: operator.account });
    await viem.assertions.emitWithArgs(committee.write.admit([4n]), committee, "MemberAdmitted", [4n]);
    assert.equal((await committee.read.member([4n]))[3], Status.Pending);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.admit([4n]), committee, "WrongStatus", [4n, Status.Pending]);
    for (let i = 0; i < 3; i++) chain.extend();
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), committee, "EpochStarted", [2n, [0, 1, 2, 3, 4]]);
    const records = await readEpochRecords(publicClient, committee.address, 2n);
    assert.deepEqual(records[4], { memberId: 4, publicKey: key.publicKey.toEip2537(), feeRecipient: getAddress(operator.account.address), endpoint: "ws://newcomer.example:9000" });
    assert.equal(records[0]!.endpoint, undefined, "genesis members of deploySystem gave no endpoint");
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

  test("governance is handed over in two steps: propose, then the successor accepts", async () => {
    const { committee, wallets } = await deploySystem(viem, { n: 4 });
    const [governance, successor, typo] = [getAddress(wallets[0]!.account.address), wallets[5]!, wallets[6]!];
    const { args } = application(committee.address, wallets[7]!.account.address, "later");
    await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: wallets[7]!.account });
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.proposeGovernance([typo.account.address], { account: successor.account }), committee, "NotGovernance", [successor.account.address]);
    await viem.assertions.emitWithArgs(committee.write.proposeGovernance([successor.account.address]), committee, "GovernanceProposed", [governance, successor.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.acceptGovernance({ account: typo.account }), committee, "NotPendingGovernance", [typo.account.address, successor.account.address]);
    assert.equal(await committee.read.governance(), governance, "nothing moves before the successor accepts");
    await viem.assertions.emitWithArgs(committee.write.acceptGovernance({ account: successor.account }), committee, "GovernanceTransferred", [governance, successor.account.address]);
    assert.equal(await committee.read.governance(), getAddress(successor.account.address));
    assert.equal(await committee.read.pendingGovernance(), "0x0000000000000000000000000000000000000000");
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.admit([4n]), committee, "NotGovernance", [governance]);
    await viem.assertions.emitWithArgs(committee.write.admit([4n], { account: successor.account }), committee, "MemberAdmitted", [4n]);
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
  });

  test("only governance seats genesis members, before the seal, with proofs naming their operators", async () => {
    const wallets = await viem.getWalletClients();
    const [governance, operator, stranger] = [wallets[0]!, wallets[1]!, wallets[9]!];
    const committee = await viem.deployContract("Committee", [L2_CHAIN_ID, MINIMUM_BOND, UNBONDING_DELAY, governance.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      viem.deployContract("Committee", [L2_CHAIN_ID, MINIMUM_BOND, 0n, governance.account.address]),
      committee,
      "InvalidUnbondingDelay",
      [0n],
    );
    const { publicKey, proof } = application(committee.address, operator.account.address, "genesis-0");
    const seat = (o: `0x${string}`) => ({ publicKey, proof, operator: o, feeRecipient: operator.account.address, endpoint: "" });
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.addGenesisMembers([[seat(operator.account.address)]], { value: MINIMUM_BOND, account: stranger.account }),
      committee,
      "NotGovernance",
      [getAddress(stranger.account.address)],
    );
    await viem.assertions.revertWithCustomError(committee.write.addGenesisMembers([[seat(ZERO_ADDRESS)]], { value: MINIMUM_BOND }), committee, "ZeroOperator");
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.addGenesisMembers([[seat(stranger.account.address)]], { value: MINIMUM_BOND }),
      committee,
      "InvalidProofOfPossession",
      [publicKey],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.addGenesisMembers([[seat(operator.account.address)]], { value: 2n * MINIMUM_BOND }),
      committee,
      "WrongGenesisBonds",
      [2n * MINIMUM_BOND, MINIMUM_BOND],
    );
    await viem.assertions.emitWithArgs(committee.write.addGenesisMembers([[seat(operator.account.address)]], { value: MINIMUM_BOND }), committee, "MemberAdmitted", [0n]);
    // An applicant cannot be admitted before the genesis is sealed: epoch 1 is the genesis members.
    const later = application(committee.address, stranger.account.address, "genesis-later");
    await committee.write.applyForSeat(later.args, { value: MINIMUM_BOND, account: stranger.account });
    await viem.assertions.revertWithCustomError(committee.write.admit([1n]), committee, "GenesisNotSealed");
    assert.equal(await committee.read.currentEpoch(), 0n);
  });

  test("the last seat cannot be given up", async () => {
    const { committee, wallets } = await deploySystem(viem, { n: 1 });
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.announceExit([0n], { account: wallets[1]!.account }), committee, "CommitteeWouldBeEmpty", [0n]);
  });
});
