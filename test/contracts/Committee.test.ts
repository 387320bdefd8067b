import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { getAddress, keccak256 } from "viem";
import { aggregatePublicKeys, SecretKey } from "../../src/crypto/index.ts";
import { popDigest } from "../../src/protocol/digests.ts";
import { addG2, g1Eip2537, g1OutsideSubgroup, negateG2, g2Eip2537, g2OutsideSubgroup } from "../fixtures/points.ts";
import { application, commitProof, deploySystem, L2_CHAIN_ID, MINIMUM_BOND } from "./fixtures.ts";

const { viem } = await network.create();

describe("Committee applications and epochs", () => {
  test("genesis epoch 1 holds the genesis keys in order, with their sum as aggregate key", async () => {
    const { committee, keys } = await deploySystem(viem, { n: 4 });
    assert.equal(await committee.read.currentEpoch(), 1n);
    assert.deepEqual(await committee.read.epochMembers([1n]), [0, 1, 2, 3]);
    const [, , bond, status, publicKey] = await committee.read.member([2n]);
    assert.deepEqual([bond, status, publicKey], [MINIMUM_BOND, 2, keys[2]!.publicKey.toEip2537()]);
    assert.equal(await committee.read.aggregateKey([1n]), aggregatePublicKeys(keys.map((k) => k.publicKey)).toEip2537());
  });

  test("an application needs a valid proof of possession for this committee and operator, a bond and a new key", async () => {
    const { committee, keys, wallets } = await deploySystem(viem, { n: 4 });
    const operator = wallets[7]!;
    const { publicKey: pk, args } = application(committee.address, operator.account.address, "newcomer");
    const key = SecretKey.fromSeed("newcomer");
    const otherCommitteePop = key.signPossession(popDigest(L2_CHAIN_ID, wallets[0]!.account.address, operator.account.address, pk)).toEip2537();
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat([pk, otherCommitteePop, args[2], args[3]], { value: MINIMUM_BOND, account: operator.account }),
      committee,
      "InvalidProofOfPossession",
      [pk],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat(args, { value: MINIMUM_BOND - 1n, account: operator.account }),
      committee,
      "BondTooSmall",
      [MINIMUM_BOND - 1n, MINIMUM_BOND],
    );
    const existing = application(committee.address, operator.account.address, "x");
    const existingPk = keys[1]!.publicKey.toEip2537();
    const existingPop = keys[1]!.signPossession(popDigest(L2_CHAIN_ID, committee.address, operator.account.address, existingPk)).toEip2537();
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.write.applyForSeat([existingPk, existingPop, operator.account.address, existing.args[3]], { value: MINIMUM_BOND, account: operator.account }),
      committee,
      "KeyAlreadyRegistered",
      [1n],
    );
    // A key outside the subgroup is refused by the proof-of-possession pairing itself.
    const torsion = g1OutsideSubgroup();
    await viem.assertions.revertWithCustomError(
      committee.write.applyForSeat([g1Eip2537(torsion.x, torsion.y), args[1], args[2], args[3]], { value: MINIMUM_BOND, account: operator.account }),
      committee,
      "PointNotOnCurveOrSubgroup",
    );
    await viem.assertions.emit(committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: operator.account }), committee, "MemberApplied");
    const [owner, , , status] = await committee.read.member([4n]);
    assert.equal(owner, getAddress(operator.account.address));
    assert.equal(status, 4, "an applicant until governance admits it");
  });

  test("an admission takes effect at the next settled boundary; QCs of the old epoch are then refused", async () => {
    const { committee, rollup, keys, chain, domain, wallets } = await deploySystem(viem, { n: 4 });
    const operator = wallets[7]!;
    const { key, args } = application(committee.address, operator.account.address, "newcomer");
    await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: operator.account });
    await committee.write.admit([4n]);
    for (let i = 0; i < 6; i++) chain.extend();
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 2)), committee, "EpochStarted", [2n, [0, 1, 2, 3, 4]]);
    assert.equal(await committee.read.currentEpoch(), 2n);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle(chain.settleArgs(keys, 3, 4)), rollup, "WrongEpoch", [1n, 2n]);
    const epoch2 = { ...domain, epoch: 2n };
    const members = [...keys, key];
    const proof = commitProof(members, epoch2, chain.headers[4]!, chain.headers[5]!, [0, 1, 2, 4]);
    const [headers, data] = chain.settleArgs(keys, 3, 4);
    await viem.assertions.emitWithArgs(rollup.write.settle([headers, data, proof]), rollup, "BatchSettled", [3n, 4n, 2n]);
  });

  test("verifyQuorumPair checks membership and quorum before the pairing", async () => {
    const { committee } = await deploySystem(viem, { n: 4 });
    const sig = `0x${"00".repeat(256)}` as const;
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.read.verifyQuorumPair([1n, keccak256("0x01"), 0b1111n, sig, keccak256("0x02"), 0b11n, sig]),
      committee,
      "InsufficientQuorum",
      [1n, 2n, 3n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      committee.read.verifyQuorumPair([3n, keccak256("0x01"), 0b1111n, sig, keccak256("0x02"), 0b1111n, sig]),
      committee,
      "UnknownEpoch",
      [3n, 1n],
    );
  });
});

describe("Committee QC signature checks", () => {
  test("a zero signature in a QC is refused", async () => {
    const { rollup, chain, keys, committee } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 2; i++) chain.extend();
    const [headers, data, proof] = chain.settleArgs(keys, 1, 1);
    // The justify signature moved into the child QC's: the sum the pairing sees is unchanged.
    const sum = addG2(proof.justify.signature, proof.childQc.signature);
    const zero = `0x${"00".repeat(256)}` as const;
    const forged = { ...proof, justify: { ...proof.justify, signature: zero }, childQc: { ...proof.childQc, signature: sum } };
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, forged]), committee, "QuorumSignatureAtInfinity", [0n]);
  });

  test("a QC signature outside the subgroup is refused even when the sum is in it", async () => {
    const { rollup, chain, keys, committee } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 2; i++) chain.extend();
    const [headers, data, proof] = chain.settleArgs(keys, 1, 1);
    const t = g2OutsideSubgroup();
    const torsion = g2Eip2537(t.x, t.y);
    const forged = {
      ...proof,
      justify: { ...proof.justify, signature: addG2(proof.justify.signature, torsion) },
      childQc: { ...proof.childQc, signature: addG2(proof.childQc.signature, negateG2(torsion)) },
    };
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, forged]), committee, "QuorumSignatureNotInSubgroup", [0n]);
    // The other way round: the second signature carries the torsion, which the pairing finds in the sum.
    const second = { ...proof, childQc: { ...proof.childQc, signature: addG2(proof.childQc.signature, torsion) } };
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, second]), committee, "QuorumSignatureNotInSubgroup", [1n]);
    const zeroSecond = { ...proof, childQc: { ...proof.childQc, signature: `0x${"00".repeat(256)}` as const } };
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, zeroSecond]), committee, "QuorumSignatureAtInfinity", [1n]);
    // The honest proof still settles.
    await viem.assertions.emitWithArgs(rollup.write.settle([headers, data, proof]), rollup, "BatchSettled", [1n, 1n, 1n]);
  });
});

describe("Committee key pages", () => {
  test("a full committee of 256: keys on two pages, non-signers on both are subtracted", async () => {
    const { rollup, chain, keys, domain, committee, wallets } = await deploySystem(viem, { n: 256, seed: "pages" });
    assert.equal((await committee.read.epochMembers([1n])).length, 256);
    for (let i = 0; i < 3; i++) chain.extend();
    // Drop members on both pages, including the first and the last bit of the bitmap.
    const dropped = new Set([0, 5, 127, 128, 255]);
    const signers = keys.map((_, i) => i).filter((i) => !dropped.has(i));
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1, signers)), rollup, "BatchSettled", [1n, 1n, 1n]);
    // The same QC claiming member 255 signed (it did not) must fail.
    const [headers, data] = chain.settleArgs(keys, 2, 2);
    const proof = commitProof(keys, domain, chain.headers[2]!, chain.headers[3]!, signers);
    const lying = { ...proof, childQc: { ...proof.childQc, signers: proof.childQc.signers | (1n << 255n) } };
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle([headers, data, lying]), rollup, "InvalidCommitProof", [2n, chain.hashes[2]!, 1n]);
    // A 257th member does not fit, until a seat frees: then the seat is reused.
    const { args } = application(committee.address, wallets[7]!.account.address, "257th");
    await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: wallets[7]!.account });
    await viem.assertions.revertWithCustomErrorWithArgs(committee.write.admit([256n]), committee, "CommitteeFull", [256n]);
    await committee.write.remove([5n]);
    await viem.assertions.emitWithArgs(committee.write.admit([256n]), committee, "MemberAdmitted", [256n]);
  });
});
