/**
 * QC and TC verification: cheap checks (structure, membership, quorum) refuse before any
 * pairing; a certificate that passes them is refused only by the pairing.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { verifyQc, verifyTc, type QC, type TC } from "../../src/consensus/index.ts";
import { timeoutDigest, voteDigest } from "../../src/protocol/digests.ts";
import { SIM_DOMAIN } from "../../src/sim/index.ts";
import { committee, countingSigner, genesisHash } from "../support/fixtures.ts";

const c = committee(4);
const blockHash = `0x${"ab".repeat(32)}` as const;
const digest = voteDigest(SIM_DOMAIN, 3n, blockHash);
const sigs = c.signers.map((s) => s.sign(digest));

function ctxWithCount(genesisView = 0n) {
  const counting = countingSigner(c.verifier);
  return { ctx: { domain: SIM_DOMAIN, signer: counting.signer, genesisHash, genesisView }, pairings: counting.pairings };
}

describe("QC verification", () => {
  const good: QC = { view: 3n, blockHash, signers: 0b1011n, signature: c.verifier.aggregate([sigs[0]!, sigs[1]!, sigs[3]!]) };

  test("a quorum QC verifies; the genesis QC verifies without signatures", () => {
    const { ctx } = ctxWithCount();
    assert.equal(verifyQc(ctx, good), null);
    assert.equal(verifyQc(ctx, { view: 0n, blockHash: genesisHash, signers: 0n, signature: null }), null);
  });

  test("after an epoch change the genesis QC sits at the boundary block's view; below it only the genesis QC passes", () => {
    const { ctx, pairings } = ctxWithCount(40n);
    assert.equal(verifyQc(ctx, { view: 40n, blockHash: genesisHash, signers: 0n, signature: null }), null);
    assert.match(verifyQc(ctx, { view: 0n, blockHash: genesisHash, signers: 0n, signature: null }) ?? "", /genesis QC/);
    assert.match(verifyQc(ctx, { ...good, view: 39n }) ?? "", /at or below genesis view 40/);
    assert.equal(verifyQc(ctx, { ...good, view: 41n }) === null, false, "a QC over view 41 is checked against its signatures (signed for view 3)");
    assert.equal(pairings(), 1);
  });

  test("a view-0 QC for any other block, or a QC without signature, is refused with no pairing", () => {
    const { ctx, pairings } = ctxWithCount();
    assert.match(verifyQc(ctx, { view: 0n, blockHash, signers: 0n, signature: null }) ?? "", /genesis/);
    assert.match(verifyQc(ctx, { ...good, signature: null }) ?? "", /no signature/);
    assert.equal(pairings(), 0);
  });

  test("membership, then quorum size, then the pairing", () => {
    const { ctx } = ctxWithCount();
    assert.match(verifyQc(ctx, { ...good, signers: 0b10011n }) ?? "", /non-member/);
    assert.match(verifyQc(ctx, { ...good, signers: 0b0011n }) ?? "", /quorum/);
    assert.match(verifyQc(ctx, { ...good, signers: 0b0111n }) ?? "", /does not verify/);
    assert.match(verifyQc(ctx, { ...good, view: 4n }) ?? "", /does not verify/);
  });
});

describe("TC verification", () => {
  const members = [0, 2, 3];
  const highQcViews = [0n, 0n, 0n];
  const signature = c.verifier.aggregate(members.map((m, k) => c.signers[m]!.sign(timeoutDigest(SIM_DOMAIN, 5n, highQcViews[k]!))));
  const genesisQc: QC = { view: 0n, blockHash: genesisHash, signers: 0n, signature: null };
  const good: TC = { view: 5n, signers: 0b1101n, highQcViews, signature, highQc: genesisQc };

  test("a TC over n - f timeouts verifies", () => {
    assert.equal(verifyTc(ctxWithCount().ctx, good), null);
  });

  test("structural faults are refused before any pairing", () => {
    const { ctx, pairings } = ctxWithCount();
    assert.match(verifyTc(ctx, { ...good, highQcViews: [0n, 0n] }) ?? "", /one high-QC view per signer/);
    assert.match(verifyTc(ctx, { ...good, highQcViews: [0n, 5n, 0n] }) ?? "", /names high-QC view 5/);
    assert.match(verifyTc(ctx, { ...good, highQcViews: [0n, 2n, 0n] }) ?? "", /not the highest/);
    assert.equal(pairings(), 0);
  });

  test("a TC whose signers signed other high-QC views fails the pairing", () => {
    const { ctx } = ctxWithCount();
    const lying: TC = { ...good, highQcViews: [0n, 0n, 1n], highQc: { ...genesisQc } };
    assert.match(verifyTc(ctx, lying) ?? "", /not the highest/);
    assert.match(verifyTc(ctx, { ...good, view: 6n }) ?? "", /does not verify/);
  });
});
