import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, toHex, zeroHash, type Hex } from "viem";
import { hashHeader } from "../../src/protocol/header.ts";
import { accumulateInboxHash, INBOX_DEPOSIT, type InboxEntry } from "../../src/protocol/inbox.ts";
import { toSolidityHeader } from "../../src/protocol/solidity.ts";
import { commitProof, deploySystem, l1Origin, L2_CHAIN_ID } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();

describe("Rollup.settle", () => {
  test("a 24-block chain settles in batches; isFinalized is true on the chain and false off it", async () => {
    const { rollup, chain, keys } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 25; i++) chain.extend();
    // Batches 1..5, 6..13, 14..24; block 25 only serves as the last batch's certified child.
    for (const [from, to] of [[1, 5], [6, 13], [14, 24]] as const) {
      await viem.assertions.emitWithArgs(
        rollup.write.settle(chain.settleArgs(keys, from, to)),
        rollup,
        "BatchSettled",
        [BigInt(from), BigInt(to), 1n],
      );
    }
    for (let n = 0; n <= 24; n++) assert.equal(await rollup.read.isFinalized([BigInt(n), chain.hashes[n]!]), true, `block ${n}`);
    assert.equal(await rollup.read.isFinalized([25n, chain.hashes[25]!]), false, "the certifying child is not final");
    const offChain = hashHeader(L2_CHAIN_ID, rollup.address, { ...chain.headers[7]!, stateRoot: keccak256("0x01") });
    assert.equal(await rollup.read.isFinalized([7n, offChain]), false);
    assert.deepEqual(await rollup.read.finalizedHead(), [24n, chain.hashes[24]]);
    const [hash, stateRoot] = await rollup.read.finalizedBlock([13n]);
    assert.deepEqual([hash, stateRoot], [chain.hashes[13], chain.headers[13]!.stateRoot]);
  });

  test("settling the same range twice is a no-op, and an overlapping batch finalizes only the new blocks", async () => {
    const { rollup, chain, keys, publicClient } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 8; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 4));
    const again = await rollup.write.settle(chain.settleArgs(keys, 1, 4));
    const receipt = await publicClient.waitForTransactionReceipt({ hash: again });
    assert.equal(receipt.status, "success");
    assert.equal(receipt.logs.length, 0, "nothing happens the second time");
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 3, 6)), rollup, "BatchSettled", [5n, 6n, 1n]);
    assert.deepEqual(await rollup.read.finalizedHead(), [6n, chain.hashes[6]]);
  });

  test("a gap is refused", async () => {
    const { rollup, chain, keys } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 6; i++) chain.extend();
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle(chain.settleArgs(keys, 3, 4)), rollup, "Gap", [1n, 3n]);
  });

  test("a fork of a finalized block without a valid commit proof is refused", async () => {
    const { rollup, chain, keys, domain } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 4; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 2));
    const fork = { ...chain.headers[2]!, stateRoot: keccak256(toHex("fork")) };
    const forkHash = hashHeader(L2_CHAIN_ID, rollup.address, fork);
    const forkChild = { ...chain.headers[3]!, parentHash: forkHash };
    // The proof is signed over the honest blocks, not the fork: it does not verify for the fork.
    const proof = { ...commitProof(keys, domain, chain.headers[2]!, chain.headers[3]!), child: toSolidityHeader(forkChild) };
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle([[toSolidityHeader(fork)], [chain.data[2]!], proof]),
      rollup,
      "ConflictsWithFinalized",
      [2n, chain.hashes[2]!, forkHash],
    );
    assert.equal(await rollup.read.frozen(), false);
  });

  test("a valid commit proof for a different block at a finalized height freezes settlement", async () => {
    const { rollup, chain, keys, domain } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 4; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 2));
    const fork = { ...chain.headers[2]!, stateRoot: keccak256(toHex("fork")) };
    const forkHash = hashHeader(L2_CHAIN_ID, rollup.address, fork);
    const forkChild = { ...chain.headers[3]!, parentHash: forkHash };
    const proof = commitProof(keys, domain, fork, forkChild); // the committee signed both: a safety violation
    await viem.assertions.emitWithArgs(
      rollup.write.settle([[toSolidityHeader(fork)], [chain.data[2]!], proof]),
      rollup,
      "SafetyViolation",
      [2n, chain.hashes[2]!, forkHash, 1n],
    );
    assert.equal(await rollup.read.frozen(), true);
    assert.equal(await rollup.read.isFinalized([2n, chain.hashes[2]!]), true, "the first finalized block stays final");
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle(chain.settleArgs(keys, 3, 3)), rollup, "SettlementFrozen", []);
  });
});

describe("Rollup.settle refusals", async () => {
  const system = await deploySystem(viem, { n: 4 });
  const { rollup, chain, keys, domain, committee } = system;
  for (let i = 0; i < 6; i++) chain.extend();

  test("insufficient quorum: 2 of 4 signers", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle(chain.settleArgs(keys, 1, 3, [0, 2])),
      committee,
      "InsufficientQuorum",
      [1n, 2n, 3n],
    );
  });

  test("a signer bit beyond the committee size", async () => {
    const [headers, data, proof] = chain.settleArgs(keys, 1, 3);
    const bad = { ...proof, childQc: { ...proof.childQc, signers: proof.childQc.signers | (1n << 4n) } };
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, bad]), committee, "SignerNotInCommittee", [1n, 4n, 4n]);
  });

  test("a QC that names the wrong epoch", async () => {
    const [headers, data, proof] = chain.settleArgs(keys, 1, 3);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, { ...proof, epoch: 2n }]), rollup, "WrongEpoch", [2n, 1n]);
  });

  test("signatures over another domain (chain id, Rollup contract, epoch) do not verify", async () => {
    const [headers, data] = chain.settleArgs(keys, 1, 3);
    for (const other of [
      { ...domain, chainId: domain.chainId + 1n },
      { ...domain, rollup: committee.address },
      { ...domain, epoch: 2n },
    ]) {
      const proof = { ...commitProof(keys, other, chain.headers[3]!, chain.headers[4]!), epoch: 1n };
      await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, proof]), rollup, "InvalidCommitProof", [3n, chain.hashes[3]!, 1n]);
    }
  });

  test("a tampered header breaks the hash chain, or the QC when it is the last one", async () => {
    const [headers, data, proof] = chain.settleArgs(keys, 1, 3);
    const tampered = { ...headers[1]!, stateRoot: zeroHash };
    const tamperedHash = hashHeader(L2_CHAIN_ID, rollup.address, { ...chain.headers[2]!, stateRoot: zeroHash });
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle([[headers[0]!, tampered, headers[2]!], data, proof]),
      rollup,
      "ParentHashMismatch",
      [3n, tamperedHash, chain.hashes[2]!],
    );
    const tamperedLast = { ...headers[2]!, gasUsed: 1n };
    const tamperedLastHash = hashHeader(L2_CHAIN_ID, rollup.address, { ...chain.headers[3]!, gasUsed: 1n });
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle([[headers[0]!, headers[1]!, tamperedLast], data, proof]),
      rollup,
      "ParentHashMismatch",
      [4n, tamperedLastHash, chain.hashes[3]!],
    );
  });

  test("block data that does not match the header's dataHash", async () => {
    const [headers, data, proof] = chain.settleArgs(keys, 1, 3);
    const wrong: Hex = "0xdeadbeef";
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle([headers, [data[0]!, wrong, data[2]!], proof]),
      rollup,
      "DataHashMismatch",
      [2n, chain.headers[2]!.dataHash, keccak256(wrong)],
    );
  });

  test("a child that is not the next view is not a two-chain", async () => {
    const [headers, data] = chain.settleArgs(keys, 1, 3);
    const child = { ...chain.headers[4]!, view: 5n };
    const proof = commitProof(keys, domain, chain.headers[3]!, child);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, proof]), rollup, "NotTwoChain", [3n, 5n]);
  });

  test("malformed batches: empty, data count, QC view, L1 origin in the future", async () => {
    const [headers, data, proof] = chain.settleArgs(keys, 1, 3);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([[], [], proof]), rollup, "EmptyBatch", []);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data.slice(1), proof]), rollup, "BlockDataCountMismatch", [3n, 2n]);
    const wrongView = { ...proof, justify: { ...proof.justify, viewNumber: 2n } };
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, wrongView]), rollup, "QcViewMismatch", [3n, 2n]);
    const future = 1_000_000n;
    const ahead = [{ ...headers[0]!, l1Origin: future }];
    await viem.assertions.revertWithCustomError(rollup.write.settle([ahead, [data[0]!], proof]), rollup, "L1OriginInFuture");
  });

  test("f = 1 non-signer still settles", async () => {
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 3, [0, 1, 3])), rollup, "BatchSettled", [1n, 3n, 1n]);
  });
});

describe("Rollup inbox rules", () => {
  test("an entry due by a header's l1Origin must be consumed; consuming it with the right hash settles", async () => {
    const { rollup, chain, keys, bridge, publicClient, wallets } = await deploySystem(viem, { n: 4, inclusionDeadline: 3n });
    const sender = wallets[5]!;
    const recipient = wallets[6]!.account.address;
    const hash = await bridge.write.deposit([recipient], { value: 5n, account: sender.account });
    const { blockNumber: l1Block } = await publicClient.waitForTransactionReceipt({ hash });
    const entry: InboxEntry = { index: 0n, kind: INBOX_DEPOSIT, sender: sender.account.address, recipient, value: 5n, data: "0x", l1Block };
    const acc = accumulateInboxHash(zeroHash, entry);
    assert.equal(await bridge.read.accumulatedHash([1n]), acc, "TypeScript and the Inbox agree on the hash chain");
    await networkHelpers.mine(3);
    // Block 1 sees L1 at the entry's block + deadline without consuming it: refused.
    chain.extend(await l1Origin(publicClient, l1Block + 3n));
    chain.extend(await l1Origin(publicClient, l1Block + 3n));
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle(chain.settleArgs(keys, 1, 1)),
      rollup,
      "DueInboxEntrySkipped",
      [1n, 0n, l1Block + 3n, l1Block + 3n],
    );
    // An honest chain: block 1 (before the deadline) leaves it, block 2 consumes it.
    chain.headers.splice(1);
    chain.hashes.splice(1);
    chain.data.splice(1);
    chain.extend(await l1Origin(publicClient, l1Block + 2n));
    chain.extend({ ...(await l1Origin(publicClient, l1Block + 3n)), inboxCursor: 1n, inboxHash: acc });
    chain.extend({ ...(await l1Origin(publicClient, l1Block + 3n)), inboxCursor: 1n, inboxHash: acc });
    const [headers, data, proof] = chain.settleArgs(keys, 1, 2);
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle([[headers[0]!, { ...headers[1]!, inboxHash: zeroHash }], data, proof]),
      rollup,
      "InboxHashMismatch",
      [2n, 1n, acc, zeroHash],
    );
    await viem.assertions.emitWithArgs(rollup.write.settle([headers, data, proof]), rollup, "BatchSettled", [1n, 2n, 1n]);
  });
});
