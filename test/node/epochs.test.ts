/** Where a member switches committee epochs (src/node/epochs.ts): the pure parts. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createBlsSigner, createGenesisBlock, hashBlock, type Block, type Proposal } from "../../src/consensus/index.ts";
import { voteDigestOf, proposalDigestOf } from "../../src/consensus/digests.ts";
import { bitmapFromIndices } from "../../src/crypto/index.ts";
import {
  boundaryIndex,
  decodeEpoch,
  decodeEpochChangeProof,
  encodeEpoch,
  encodeEpochChangeProof,
  EpochError,
  genesisEpoch,
  isEpochSuffix,
  nextEpochStart,
} from "../../src/node/epochs.ts";
import { committee } from "../fixtures/keys.ts";

/** Committed blocks 1..8: l1Origin 10, 10, 11, 12, 12, 15, 16, 16. */
const origins = [10n, 10n, 11n, 12n, 12n, 15n, 16n, 16n];
const run = origins.map((l1Origin, i) => ({ block: { header: { number: BigInt(i + 1), l1Origin } } as unknown as Block }));
const end = (l1Block: bigint) => ({ epoch: 2n, members: [0, 1, 2], l1Block });

describe("epoch boundaries", () => {
  test("the epoch-change block is the first block whose l1Origin reaches the epoch's L1 block, whatever follows it", () => {
    assert.equal(boundaryIndex(run, end(11n)), 2, "block 3 (origin 11)");
    assert.equal(boundaryIndex(run, end(12n)), 3, "block 4 (origin 12), not block 5 with the same origin");
    assert.equal(boundaryIndex(run, end(13n)), 5, "no block has origin 13: block 6 (origin 15)");
    assert.equal(boundaryIndex(run, end(17n)), -1, "not reached yet");
  });

  test("a child of the epoch-change block or of its descendants is in the old epoch's suffix; nothing is without a next epoch", () => {
    assert.equal(isEpochSuffix(run[3]!.block.header, end(12n)), true);
    assert.equal(isEpochSuffix(run[4]!.block.header, end(12n)), true);
    assert.equal(isEpochSuffix(run[2]!.block.header, end(12n)), false);
    assert.equal(isEpochSuffix(run[7]!.block.header, undefined), false);
  });

  test("the next epoch is the one after the current, in config indexes; one naming unknown members is refused", () => {
    const current = genesisEpoch(1n, [0, 1, 2, 3]);
    const started = [
      { epoch: 1n, members: [0, 1, 2, 3], l1Block: 2n },
      { epoch: 2n, members: [0, 1, 2], l1Block: 40n },
    ];
    assert.deepEqual(nextEpochStart(current, started, 4), { epoch: 2n, members: [0, 1, 2], l1Block: 40n });
    assert.equal(nextEpochStart({ ...current, epoch: 2n }, started, 4), undefined);
    assert.throws(() => nextEpochStart(current, [{ epoch: 2n, members: [0, 1, 4], l1Block: 40n }], 4), (e: unknown) => e instanceof EpochError && /names member ids 4/.test(e.message));
  });

  test("the epoch record round-trips, and a damaged one is refused", () => {
    const state = { epoch: 2n, members: [0, 2, 3], boundary: { number: 57n, hash: `0x${"ab".repeat(32)}` as const, view: 123n } };
    assert.deepEqual(decodeEpoch(encodeEpoch(state)), state);
    assert.deepEqual(decodeEpoch(encodeEpoch(genesisEpoch(1n, [0, 1, 2, 3]))), { epoch: 1n, members: [0, 1, 2, 3] });
    assert.throws(() => decodeEpoch('{"epoch":"2","members":[]}'), /members/);
    assert.throws(() => decodeEpoch('{"epoch":"x","members":[0]}'), /epoch must be a decimal/);
    assert.throws(() => decodeEpoch('{"epoch":"2","members":[0],"boundary":{"number":"1","hash":"0x12","view":"3"}}'), /boundary.hash/);
  });

  test("an epoch-change proof round-trips through its stored form with the old epoch's signer", () => {
    const keys = committee(4, "epochs");
    const signers = keys.map((k) => createBlsSigner(k, keys.map((x) => x.publicKey)));
    const domain = { chainId: 901n, rollup: "0x00000000000000000000000000000000000face1" as const, epoch: 1n };
    const genesis = createGenesisBlock();
    const child = { ...genesis, header: { ...genesis.header, number: 1n, view: 1n, parentHash: hashBlock(domain, genesis) } };
    const proposal: Proposal = { block: child, proposer: 1, signature: signers[1]!.sign(proposalDigestOf(domain, 1n, hashBlock(domain, child))) };
    const digest = voteDigestOf(domain, 1n, hashBlock(domain, child));
    const qc = { view: 1n, blockHash: hashBlock(domain, child), signers: bitmapFromIndices([0, 1, 2], 4), signature: signers[0]!.aggregate([0, 1, 2].map((i) => signers[i]!.sign(digest))) };
    const decoded = decodeEpochChangeProof(encodeEpochChangeProof({ epoch: 1n, proposals: [proposal], qc }), signers[3]!);
    assert.equal(decoded.epoch, 1n);
    assert.equal(hashBlock(domain, decoded.proposals[0]!.block), hashBlock(domain, child));
    assert.equal(decoded.qc.signature?.toHex(), qc.signature.toHex());
    assert.throws(() => decodeEpochChangeProof('{"epoch":"1","response":{"kind":"qc"},"qc":{}}', signers[3]!));
  });
});
