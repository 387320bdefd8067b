/** Where a member switches committee epochs (src/node/epochs.ts): the pure parts. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Block } from "../../src/consensus/index.ts";
import { decodeEpoch, encodeEpoch, EpochError, findBoundary, genesisEpoch, nextEpochStart } from "../../src/node/epochs.ts";

/** Committed blocks 1..8: l1Origin 10, 10, 11, 12, 12, 15, 16, 16 at views 1, 2, 4, 5, 7, 8, 10, 11. */
const origins = [10n, 10n, 11n, 12n, 12n, 15n, 16n, 16n];
const views = [1n, 2n, 4n, 5n, 7n, 8n, 10n, 11n];
const blockAt = (n: bigint): Block | undefined =>
  n >= 1n && n <= 8n ? ({ header: { number: n, l1Origin: origins[Number(n) - 1]!, view: views[Number(n) - 1]! } } as unknown as Block) : undefined;

describe("epoch boundaries", () => {
  test("the boundary is the first committed block at or past the epoch's L1 block whose child has the next view", () => {
    assert.equal(findBoundary(11n, 0n, 8n, blockAt)?.header.number, 3n, "block 3 (origin 11, view 4) has child 4 at view 5");
    assert.equal(findBoundary(12n, 0n, 8n, blockAt)?.header.number, 5n, "block 4's child is at view 7, not 6: block 5 (view 7, child at 8)");
    assert.equal(findBoundary(13n, 0n, 8n, blockAt)?.header.number, 7n, "no block has origin 13; block 6's child skips a view");
    assert.equal(findBoundary(12n, 5n, 8n, blockAt)?.header.number, 7n, "the search starts above `from`");
  });

  test("the committed head qualifies by itself: it was committed through its child's QC, at the next view", () => {
    assert.equal(findBoundary(16n, 0n, 7n, blockAt)?.header.number, 7n);
  });

  test("no boundary while the committed chain has not reached it", () => {
    assert.equal(findBoundary(17n, 0n, 8n, blockAt), undefined);
    assert.equal(findBoundary(15n, 0n, 5n, blockAt), undefined, "block 6 is not committed yet");
  });

  test("the next epoch is the one after the current, in config indexes; one naming unknown members is refused", () => {
    const current = genesisEpoch(1n, 4);
    const started = [
      { epoch: 1n, members: [0, 1, 2, 3], l1Block: 2n },
      { epoch: 2n, members: [0, 1, 2], l1Block: 40n },
    ];
    assert.deepEqual(nextEpochStart(current, started, 4), { start: started[1], members: [0, 1, 2] });
    assert.equal(nextEpochStart({ ...current, epoch: 2n }, started, 4), undefined);
    assert.throws(() => nextEpochStart(current, [{ epoch: 2n, members: [0, 1, 4], l1Block: 40n }], 4), (e: unknown) => e instanceof EpochError && /names member ids 4/.test(e.message));
  });

  test("the epoch record round-trips, and a damaged one is refused", () => {
    const state = { epoch: 2n, members: [0, 2, 3], boundary: { number: 57n, hash: `0x${"ab".repeat(32)}` as const, view: 123n } };
    assert.deepEqual(decodeEpoch(encodeEpoch(state)), state);
    assert.deepEqual(decodeEpoch(encodeEpoch(genesisEpoch(1n, 4))), { epoch: 1n, members: [0, 1, 2, 3] });
    assert.throws(() => decodeEpoch('{"epoch":"2","members":[]}'), /members/);
    assert.throws(() => decodeEpoch('{"epoch":"x","members":[0]}'), /epoch must be a decimal/);
    assert.throws(() => decodeEpoch('{"epoch":"2","members":[0],"boundary":{"number":"1","hash":"0x12","view":"3"}}'), /boundary.hash/);
  });
});
