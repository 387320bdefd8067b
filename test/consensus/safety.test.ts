/** The voting rule of two-chain HotStuff, as a pure function of the safety state. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { zeroHash, type Hex } from "viem";
import { createGenesisBlock, isSafeToVote, type Block, type QC, type SafetyState, type Sig, type TC } from "../../src/consensus/index.ts";

const sig: Sig = { toHex: (): Hex => "0x00" };
const qc = (view: bigint): QC => ({ view, blockHash: zeroHash, signers: 0b111n, signature: sig });
const block = (view: bigint, justifyView: bigint): Block => {
  const g = createGenesisBlock();
  return { ...g, header: { ...g.header, view, number: 1n }, justify: qc(justifyView) };
};
const tc = (view: bigint, highQcViews: bigint[]): TC => ({ view, signers: 0b111n, highQcViews, signature: sig, highQc: qc(highQcViews.reduce((a, b) => (a > b ? a : b), 0n)) });
const state = (lastVotedView: bigint): SafetyState => ({ lastVotedView, lastProposedView: 0n, lastTimeoutView: 0n, lastTimeout: null, highQc: qc(0n) });

describe("voting rule", () => {
  test("votes for a block that extends the QC of the previous view", () => {
    assert.equal(isSafeToVote(state(4n), block(5n, 4n), undefined), true);
  });

  test("never votes twice in one view, nor in an earlier view", () => {
    assert.equal(isSafeToVote(state(5n), block(5n, 4n), undefined), false);
    assert.equal(isSafeToVote(state(6n), block(5n, 4n), undefined), false);
  });

  test("after a timed-out view, votes only with a TC of the previous view", () => {
    assert.equal(isSafeToVote(state(3n), block(5n, 3n), undefined), false);
    assert.equal(isSafeToVote(state(3n), block(5n, 3n), tc(3n, [3n, 2n, 1n])), false, "TC of the wrong view");
    assert.equal(isSafeToVote(state(3n), block(5n, 3n), tc(4n, [3n, 2n, 1n])), true);
  });

  test("the TC path requires the block to extend a QC at least as high as every QC in the TC", () => {
    assert.equal(isSafeToVote(state(3n), block(5n, 2n), tc(4n, [3n, 2n, 1n])), false);
    assert.equal(isSafeToVote(state(3n), block(5n, 3n), tc(4n, [3n, 3n, 3n])), true);
  });
});
