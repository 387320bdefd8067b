/**
 * Evidence, end to end: member 1 signs votes for two different blocks in one view; the leader's
 * consensus Core turns them into Evidence; the evidence goes through the node's L1 outbox (real
 * Redis) to the evidence worker, which commits to the report and reveals it a block later, and L1
 * slashes the member: 10% of the bond to the reporter, the
 * member ejected, the follower sees it. Posting it again is a PermanentOutboxFailure that
 * carries L1's decoded refusal.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, stringToHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { encodeEvidence } from "../../src/consensus/index.ts";
import { voteDigest } from "../../src/protocol/digests.ts";
import { L1Outbox, PermanentOutboxFailure, type OutboxItem } from "../../src/queues/index.ts";
import {
  connectL1,
  createOutboxConsumer,
  EvidenceWorker,
  L1Follower,
  SettlementError,
  SettlementWorker,
  StoredChain,
  TransactionSender,
} from "../../src/settlement/index.ts";
import { storeIdentityOf } from "../../src/deployment/contracts.ts";
import { deploySystem, MINIMUM_BOND } from "../contracts/fixtures.ts";
import { eventually, redisUrl, uniquePrefix } from "../fixtures/redis.ts";
import { genesisBlock, openStore, recordCommit, runCommittee } from "./harness.ts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const { viem, provider } = await network.create();
const cleanups: (() => void | Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe("evidence worker", () => {
  test("a member that double-votes is slashed on L1 through the outbox; a replay is a PermanentOutboxFailure", async () => {
    const system = await deploySystem(viem, { n: 4, seed: "evidence" });
    const genesis = genesisBlock(system.genesis);
    const opened = openStore(storeIdentityOf(system.deployment), genesis);
    cleanups.push(opened.remove);
    const run = runCommittee({ keys: system.keys, domain: system.domain, genesis, onCommit: (a) => recordCommit(opened.store, a) });

    // Member 1 votes in view 1 for two different blocks; the leader of view 2 collects both.
    const offender = 1;
    const collector = run.cores[0]!.leaderOf(2n);
    for (const label of ["a", "b"]) {
      const blockHash = keccak256(stringToHex(`block ${label}`));
      const signature = run.signers[offender]!.sign(voteDigest(system.domain, 1n, blockHash));
      run.deliver(collector, offender, { kind: "vote", vote: { view: 1n, blockHash, signer: offender, signature } });
    }
    assert.equal(run.evidence.length, 1, "the core reports the double vote");
    const evidence = run.evidence[0]!;
    run.commitUntil(3n); // the committee goes on (three honest votes are a quorum)
    assert.equal(evidence.signer, offender);
    // As the node enqueues it: the codec's JSON plus the epoch it signs in.
    const item: OutboxItem = { kind: "evidence", id: `vote-1-${offender}`, evidence: { ...JSON.parse(new TextDecoder().decode(encodeEvidence(evidence))), epoch: "1" } };

    const reporter = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 16 });
    const l1 = connectL1({ provider, account: reporter, pollingIntervalMs: 20 });
    const sender = new TransactionSender(l1, { pollMs: 20 });
    const evidenceWorker = new EvidenceWorker({ l1, rollup: system.rollup.address, sender, signer: run.signers[0]!, log: () => {} });
    const settlement = new SettlementWorker({ l1, rollup: system.rollup.address, chain: new StoredChain(opened.store, run.signers[0]!), sender, log: () => {} });
    const alerts: SettlementError[] = [];
    const consume = createOutboxConsumer({ settlement, evidence: evidenceWorker, onAlert: (_item, error) => alerts.push(error) });

    const [memberId] = [(await system.committee.read.epochMembers([1n]))[offender]!];
    const balanceBefore = await system.publicClient.getBalance({ address: reporter.address });
    const outbox = new L1Outbox({ url: redisUrl, prefix: uniquePrefix("evidence"), retryDelayMs: 20, maxRetryDelayMs: 100 });
    cleanups.push(async () => {
      await outbox.obliterate();
      await outbox.close();
    });
    outbox.start(consume);
    await outbox.enqueue(item);
    await eventually(async () => (await system.committee.read.member([BigInt(memberId)]))[3] === 3, "the member is ejected", 30_000);

    const [slashed] = await system.committee.getEvents.MemberSlashed({}, { fromBlock: 0n });
    const reward = MINIMUM_BOND / 10n;
    assert.equal(slashed!.args.memberId, BigInt(memberId));
    assert.equal(slashed!.args.reporter, reporter.address);
    assert.equal(slashed!.args.reward, reward);
    assert.equal(slashed!.args.burned, MINIMUM_BOND - reward);
    // The worker committed to the report first, in an earlier block (commit-reveal: a copy of the
    // reveal cannot take the reward).
    const [committed, ...moreCommitments] = await system.committee.getEvents.ReportCommitted({}, { fromBlock: 0n });
    assert.equal(moreCommitments.length, 0);
    assert.ok(committed!.blockNumber < slashed!.blockNumber, "committed before the reveal");
    const fees = async (hash: `0x${string}`) => {
      const r = await system.publicClient.getTransactionReceipt({ hash });
      return r.gasUsed * r.effectiveGasPrice;
    };
    const gas = (await fees(committed!.transactionHash)) + (await fees(slashed!.transactionHash));
    const balanceAfter = await system.publicClient.getBalance({ address: reporter.address });
    assert.equal(balanceAfter, balanceBefore + reward - gas, "the reporter got 10% of the bond");
    assert.equal((await system.committee.read.member([BigInt(memberId)]))[2], 0n, "the bond is gone");

    // The next settlement (still proven in epoch 1) starts epoch 2 without the ejected member.
    await settlement.settleCommitted();
    const follower = new L1Follower({ l1, contracts: { rollup: system.rollup.address, committee: system.committee.address, bridge: system.bridge.address }, fromBlock: BigInt(system.deployment.deployBlock) });
    await follower.poll();
    assert.deepEqual(follower.slashed().map((s) => [s.memberId, s.kind, s.view, s.reward]), [[BigInt(memberId), "vote", 1n, reward]]);
    assert.deepEqual(follower.epochs().map((e) => [e.epoch, e.members]), [[1n, [0, 1, 2, 3]], [2n, [0, 2, 3]]]);

    // The same evidence again (after the epoch change: the item names its epoch): L1 says it
    // has it; the item is given up on, loudly, not retried.
    const replay = await consume(item, 1).then(() => assert.fail("replayed"), (e: unknown) => e);
    assert.ok(replay instanceof PermanentOutboxFailure);
    assert.match(replay.message, /EVIDENCE_REFUSED.*EvidenceAlreadyReported/);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.revert?.errorName, "EvidenceAlreadyReported");

    // Malformed evidence can never succeed either.
    const malformed = await consume({ kind: "evidence", id: "junk", evidence: { kind: "vote", view: "0x1" } }, 1).then(() => assert.fail("accepted"), (e: unknown) => e);
    assert.ok(malformed instanceof PermanentOutboxFailure);
    assert.match(malformed.message, /INVALID_ITEM.*evidence\.signer/);
  });
});
