import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex } from "viem";
import { aggregatePublicKeys } from "../../../src/crypto/index.ts";
import { PROPOSAL_TAG, VOTE_TAG } from "../../../src/protocol/digests.ts";
import { deploySystem, MINIMUM_BOND, signVote } from "../fixtures.ts";

const { viem } = await network.create();

describe("Committee slashing", async () => {
  const { committee, rollup, chain, keys, domain, wallets, publicClient } = await deploySystem(viem, { n: 4 });
  const reporter = wallets[9]!;
  const blockA = keccak256(toHex("block A"));
  const blockB = keccak256(toHex("block B"));
  const view = 7n;

  test("non-conflicting evidence (the same block twice) is refused", async () => {
    const sig = signVote(keys[1]!, domain, view, blockA);
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 1n, view, blockA, sig, blockA, sig]),
      committee,
      "NotConflicting",
      [blockA],
    );
  });

  test("a signer index outside the epoch's committee is refused", async () => {
    const sig = signVote(keys[1]!, domain, view, blockA);
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 4n, view, blockA, sig, blockB, sig]),
      committee,
      "SignerNotInCommittee",
      [1n, 4n, 4n],
    );
  });

  test("a signature by another member is not evidence against this one", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 1n, view, blockA, signVote(keys[1]!, domain, view, blockA), blockB, signVote(keys[2]!, domain, view, blockB)]),
      committee,
      "InvalidEvidenceSignature",
      [1n],
    );
  });

  test("a vote and a proposal are different kinds: not a double vote", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 1n, view, blockA, signVote(keys[1]!, domain, view, blockA), blockB, signVote(keys[1]!, domain, view, blockB, "proposal")]),
      committee,
      "InvalidEvidenceSignature",
      [1n],
    );
  });

  test("a double vote slashes the bond (10% to the reporter, the rest burned) and ejects the member; a replay changes nothing", async () => {
    const args = [1n, 1n, view, blockA, signVote(keys[1]!, domain, view, blockA), blockB, signVote(keys[1]!, domain, view, blockB)] as const;
    const reward = MINIMUM_BOND / 10n;
    const before = await publicClient.getBalance({ address: reporter.account.address });
    const hash = await committee.write.reportDoubleVote([...args], { account: reporter.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const after = await publicClient.getBalance({ address: reporter.account.address });
    assert.equal(after - before, reward - receipt.gasUsed * receipt.effectiveGasPrice);
    await viem.assertions.emitWithArgs(Promise.resolve(hash), committee, "MemberSlashed", [1n, reporter.account.address, VOTE_TAG, 1n, view, reward, MINIMUM_BOND - reward]);
    const [, , bond, status] = await committee.read.member([1n]);
    assert.deepEqual([bond, status], [0n, 3]);
    assert.equal(await publicClient.getBalance({ address: committee.address }), 4n * MINIMUM_BOND - reward, "the rest stays locked");
    const id = await committee.read.evidenceId([VOTE_TAG, 1n, 1n, view, blockB, blockA]);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.reportDoubleVote([...args]), committee, "EvidenceAlreadyReported", [id]);
    const blockC = keccak256(toHex("block C"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 1n, view, blockA, args[4], blockC, signVote(keys[1]!, domain, view, blockC)]),
      committee,
      "MemberAlreadySlashed",
      [1n],
    );
  });

  test("a double proposal slashes its leader", async () => {
    const sigA = signVote(keys[2]!, domain, view, blockA, "proposal");
    const sigB = signVote(keys[2]!, domain, view, blockB, "proposal");
    await viem.assertions.emitWithArgs(
      committee.write.reportDoubleProposal([1n, 2n, view, blockA, sigA, blockB, sigB], { account: reporter.account }),
      committee,
      "MemberSlashed",
      [2n, reporter.account.address, PROPOSAL_TAG, 1n, view, MINIMUM_BOND / 10n, MINIMUM_BOND - MINIMUM_BOND / 10n],
    );
  });

  test("evidence naming an epoch that has not started is refused", async () => {
    const other = { ...domain, epoch: 5n };
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([5n, 3n, view, blockA, signVote(keys[3]!, other, view, blockA), blockB, signVote(keys[3]!, other, view, blockB)]),
      committee,
      "UnknownEpoch",
      [5n, 1n],
    );
  });

  test("slashed members leave the committee at the next settled boundary", async () => {
    for (let i = 0; i < 3; i++) chain.extend();
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 2)), committee, "EpochStarted", [2n, [0, 3]]);
    assert.equal(await committee.read.aggregateKey([2n]), aggregatePublicKeys([keys[0]!.publicKey, keys[3]!.publicKey]).toEip2537());
    // In epoch 2, signer 1 is member 3: evidence names members by their index in the epoch.
    const epoch2 = { ...domain, epoch: 2n };
    await viem.assertions.emitWithArgs(
      committee.write.reportDoubleVote([2n, 1n, view, blockA, signVote(keys[3]!, epoch2, view, blockA), blockB, signVote(keys[3]!, epoch2, view, blockB)], { account: reporter.account }),
      committee,
      "MemberSlashed",
      [3n, reporter.account.address, VOTE_TAG, 2n, view, MINIMUM_BOND / 10n, MINIMUM_BOND - MINIMUM_BOND / 10n],
    );
  });
});

describe("Committee slashing rewards", () => {
  test("a copied report earns the copier nothing", async () => {
    const { committee, keys, domain, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const [reporter, copier] = [wallets[9]!, wallets[8]!];
    const blockA = keccak256(toHex("block A"));
    const blockB = keccak256(toHex("block B"));
    const args = [1n, 1n, 7n, blockA, signVote(keys[1]!, domain, 7n, blockA), blockB, signVote(keys[1]!, domain, 7n, blockB)] as const;
    // The copier sees the reporter's pending transaction and sends the same evidence first.
    const before = await publicClient.getBalance({ address: copier.account.address });
    let spent = 0n;
    try {
      const hash = await committee.write.reportDoubleVote([...args], { account: copier.account });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      spent = receipt.gasUsed * receipt.effectiveGasPrice;
    } catch {
      // Refused: the copier paid nothing here (viem estimates gas first).
    }
    const after = await publicClient.getBalance({ address: copier.account.address });
    assert.ok(after - before + spent <= 0n, `the copier earned ${after - before + spent} wei`);
  });
});
