/**
 * Headers bind the l1Origin block's hash, and L1 checks it (Rollup.settle, with `blockhash`):
 * an L2 chain built on an L1 block that a reorg replaced does not settle.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { deploySystem } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();

describe("an L1 reorg of the l1Origin block makes a settle revert", () => {
  test("headers built on an L1 block a reorg replaced are refused; rebuilt on the block that replaced it, they settle", async () => {
    const { rollup, chain, keys, publicClient } = await deploySystem(viem, { n: 4 });
    // The committee reads L1 block `origin` ...
    const beforeReorg = await networkHelpers.takeSnapshot();
    await networkHelpers.mine(1);
    const origin = await publicClient.getBlockNumber();
    const orphaned = (await publicClient.getBlock({ blockNumber: origin })).hash;
    // ... and L1 reorganises: another block (here: another timestamp) takes its height.
    await beforeReorg.restore();
    await networkHelpers.time.increase(7);
    assert.equal(await publicClient.getBlockNumber(), origin);
    const canonical = (await publicClient.getBlock({ blockNumber: origin })).hash;
    assert.notEqual(orphaned, canonical);
    await networkHelpers.mine(1);

    chain.extend({ l1Origin: origin, l1OriginHash: orphaned });
    chain.extend({ l1Origin: origin, l1OriginHash: orphaned });
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle(chain.settleArgs(keys, 1, 1)),
      rollup,
      "L1OriginHashMismatch",
      [1n, origin, canonical, orphaned],
    );

    chain.headers.splice(1);
    chain.hashes.splice(1);
    chain.data.splice(1);
    chain.extend({ l1Origin: origin, l1OriginHash: canonical });
    chain.extend({ l1Origin: origin, l1OriginHash: canonical });
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), rollup, "BatchSettled", [1n, 1n, 1n]);
  });
});
