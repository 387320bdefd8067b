import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex } from "viem";
import { aggregatePublicKeys } from "../../../src/crypto/index.ts";
import { PROPOSAL_TAG, VOTE_TAG } from "../../../src/protocol/digests.ts";
import { evidenceId, reportCommitment } from "../../../src/settlement/report-commitment.ts";
import { commitmentOf, deploySystem, MINIMUM_BOND, signVote } from "../fixtures.ts";

const { viem } = await network.create();

describe("Committee slashing", async () => {
  const { committee, rollup, chain, keys, domain, wallets, publicClient } = await deploySystem(viem, { n: 4 });
  const reporter = wallets[9]!;
  const blockA = keccak256(toHex("block A"));
  const blockB = keccak256(toHex("block B"));
  const view = 7n;
  const r = reporter.account.address;
  /** Commits `reporter` to the evidence against member `memberId` (signer = member in epoch 1). */
  const commit = (memberId: bigint, epoch: bigint, a = blockA, b = blockB, kind: "vote" | "proposal" = "vote") =>
    committee.write.commitReport([commitmentOf(kind, memberId, epoch, view, a, b, r)], { account: reporter.account });

  test("non-conflicting evidence (the same block twice) is refused", async () => {
    const sig = signVote(keys[1]!, domain, view, blockA);
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 1n, view, blockA, sig, blockA, sig, r]),
      committee,
      "NotConflicting",
      [blockA],
    );
  });

  test("a signer index outside the epoch's committee is refused", async () => {
    const sig = signVote(keys[1]!, domain, view, blockA);
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 4n, view, blockA, sig, blockB, sig, r]),
      committee,
      "SignerNotInCommittee",
      [1n, 4n, 4n],
    );
  });

  test("evidence nobody committed to is refused before any pairing; a commitment stands once made", async () => {
    const args = [1n, 1n, view, blockA, signVote(keys[1]!, domain, view, blockA), blockB, signVote(keys[1]!, domain, view, blockB), r] as const;
    const commitment = commitmentOf("vote", 1n, 1n, view, blockA, blockB, r);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.reportDoubleVote([...args]), committee, "ReportNotCommitted", [commitment]);
    await commit(1n, 1n);
    const committedAt = await committee.read.reportCommittedAt([commitment]);
    assert.equal(committedAt, await publicClient.getBlockNumber());
    // A second commitment cannot move the first one to a later block.
    await viem.assertions.revertWithCustomErrorWithArgs(commit(1n, 1n), committee, "ReportAlreadyCommitted", [commitment, committedAt]);
  });

  test("the TypeScript evidence id and commitment are the contract's", async () => {
    const id = await committee.read.evidenceId([VOTE_TAG, 3n, 2n, 11n, blockB, blockA]);
    assert.equal(id, evidenceId("vote", 3n, 2n, 11n, blockA, blockB));
    assert.equal(await committee.read.evidenceId([PROPOSAL_TAG, 3n, 2n, 11n, blockA, blockB]), evidenceId("proposal", 3n, 2n, 11n, blockB, blockA));
    assert.equal(await committee.read.reportCommitment([id, r]), reportCommitment(id, r));
  });

  test("a signature by another member is not evidence against this one", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 1n, view, blockA, signVote(keys[1]!, domain, view, blockA), blockB, signVote(keys[2]!, domain, view, blockB), r]),
      committee,
      "InvalidEvidenceSignature",
      [1n],
    );
  });

  test("a vote and a proposal are different kinds: not a double vote", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([1n, 1n, view, blockA, signVote(keys[1]!, domain, view, blockA), blockB, signVote(keys[1]!, domain, view, blockB, "proposal"), r]),
      committee,
      "InvalidEvidenceSignature",
      [1n],
    );
  });

  test("a double vote slashes the bond (10% to the reporter, the rest burned) and ejects the member; a replay changes nothing", async () => {
    const args = [1n, 1n, view, blockA, signVote(keys[1]!, domain, view, blockA), blockB, signVote(keys[1]!, domain, view, blockB), r] as const;
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
      committee.write.reportDoubleVote([1n, 1n, view, blockA, args[4], blockC, signVote(keys[1]!, domain, view, blockC), r]),
      committee,
      "MemberAlreadySlashed",
      [1n],
    );
  });

  test("a double proposal slashes its leader", async () => {
    const sigA = signVote(keys[2]!, domain, view, blockA, "proposal");
    const sigB = signVote(keys[2]!, domain, view, blockB, "proposal");
    await commit(2n, 1n, blockA, blockB, "proposal");
    await viem.assertions.emitWithArgs(
      committee.write.reportDoubleProposal([1n, 2n, view, blockA, sigA, blockB, sigB, r], { account: reporter.account }),
      committee,
      "MemberSlashed",
      [2n, reporter.account.address, PROPOSAL_TAG, 1n, view, MINIMUM_BOND / 10n, MINIMUM_BOND - MINIMUM_BOND / 10n],
    );
  });

  test("evidence naming an epoch that has not started is refused", async () => {
    const other = { ...domain, epoch: 5n };
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.reportDoubleVote([5n, 3n, view, blockA, signVote(keys[3]!, other, view, blockA), blockB, signVote(keys[3]!, other, view, blockB), r]),
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
    await commit(3n, 2n);
    await viem.assertions.emitWithArgs(
      committee.write.reportDoubleVote([2n, 1n, view, blockA, signVote(keys[3]!, epoch2, view, blockA), blockB, signVote(keys[3]!, epoch2, view, blockB), r], { account: reporter.account }),
      committee,
      "MemberSlashed",
      [3n, reporter.account.address, VOTE_TAG, 2n, view, MINIMUM_BOND / 10n, MINIMUM_BOND - MINIMUM_BOND / 10n],
    );
  });
});

describe("Committee slashing rewards", () => {
  test("a copied report earns the copier nothing", async () => {
    const { committee, keys, domain, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const testClient = await viem.getTestClient();
    const [reporter, copier] = [wallets[9]!, wallets[8]!];
    const blockA = keccak256(toHex("block A"));
    const blockB = keccak256(toHex("block B"));
    const evidence = [1n, 1n, 7n, blockA, signVote(keys[1]!, domain, 7n, blockA), blockB, signVote(keys[1]!, domain, 7n, blockB)] as const;
    const reveal = [...evidence, reporter.account.address] as const;
    const stolen = [...evidence, copier.account.address] as const;
    await committee.write.commitReport([commitmentOf("vote", 1n, 1n, 7n, blockA, blockB, reporter.account.address)], { account: reporter.account });

    // 1. The copier rewrites the reporter of the pending reveal to itself: no commitment of its own.
    const own = commitmentOf("vote", 1n, 1n, 7n, blockA, blockB, copier.account.address);
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.reportDoubleVote([...stolen], { account: copier.account }), committee, "ReportNotCommitted", [own]);

    // 2. It commits for itself and reveals in the block that also carries its commitment (it saw
    // the evidence only in the reveal's pending transaction): too recent, refused.
    await testClient.setAutomine(false);
    try {
      const gas = 1_000_000n;
      const commitHash = await committee.write.commitReport([own], { account: copier.account, gas });
      const revealHash = await committee.write.reportDoubleVote([...stolen], { account: copier.account, gas });
      await testClient.mine({ blocks: 1 });
      assert.equal((await publicClient.getTransactionReceipt({ hash: commitHash })).status, "success");
      assert.equal((await publicClient.getTransactionReceipt({ hash: revealHash })).status, "reverted");
    } finally {
      await testClient.setAutomine(true);
    }

    // 3. It sends the reveal verbatim, first: the member is slashed, and the reward is the reporter's.
    const balances = () => Promise.all([copier, reporter].map((w) => publicClient.getBalance({ address: w.account.address }))) as Promise<[bigint, bigint]>;
    const [copierBefore, reporterBefore] = await balances();
    const hash = await committee.write.reportDoubleVote([...reveal], { account: copier.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [copierAfter, reporterAfter] = await balances();
    assert.equal(copierAfter - copierBefore, -(receipt.gasUsed * receipt.effectiveGasPrice), "the copier only paid gas");
    assert.equal(reporterAfter - reporterBefore, MINIMUM_BOND / 10n, "the reporter got the reward");
    await viem.assertions.emitWithArgs(Promise.resolve(hash), committee, "MemberSlashed", [1n, reporter.account.address, VOTE_TAG, 1n, 7n, MINIMUM_BOND / 10n, MINIMUM_BOND - MINIMUM_BOND / 10n]);
  });
});
