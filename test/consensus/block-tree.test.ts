/** The block tree: ancestry from the committed root, and pruning of every branch it cannot reach. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Hex } from "viem";
import { BlockTree, type TreeEntry } from "../../src/consensus/block-tree.ts";
import { createGenesisBlock, type Proposal } from "../../src/consensus/index.ts";

const h = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const genesis = createGenesisBlock();
const sig = { toHex: (): Hex => "0x00" };

function entry(hash: number, parent: number, number: bigint): TreeEntry {
  const block = { ...genesis, header: { ...genesis.header, number, view: number, parentHash: h(parent) } };
  const proposal: Proposal = { block, proposer: 0, signature: sig };
  return { hash: h(hash), block, proposal };
}

describe("block tree", () => {
  // 0 <- 1 <- 2 <- 3, and a fork 1 <- 12 <- 13
  function build(): BlockTree {
    const tree = new BlockTree({ hash: h(0), block: genesis, proposal: null }, 16);
    for (const e of [entry(1, 0, 1n), entry(2, 1, 2n), entry(3, 2, 3n), entry(12, 1, 2n), entry(13, 12, 3n)]) tree.insert(e);
    return tree;
  }

  test("pathFromRoot lists the blocks a commit finalizes, oldest first", () => {
    assert.deepEqual(build().pathFromRoot(h(3)).map((e) => e.hash), [h(1), h(2), h(3)]);
  });

  test("committing a block prunes the forks that do not descend from it, keeps its descendants", () => {
    const tree = build();
    tree.commit(h(2));
    assert.equal(tree.root.hash, h(2));
    assert.ok(tree.has(h(3)));
    for (const gone of [0, 1, 12, 13]) assert.ok(!tree.has(h(gone)), `block ${gone} survived pruning`);
    assert.deepEqual(tree.pathFromRoot(h(13)), []);
    assert.equal(tree.extendsRoot(h(3)), true);
  });

  test("committed blocks stay in the archive for sync, bounded by height and count", () => {
    const tree = build();
    tree.commit(h(3));
    assert.deepEqual(tree.proposalsFrom(h(3), 10, 0n, 1 << 20).map((p) => p.block.header.number), [3n, 2n, 1n]);
    assert.deepEqual(tree.proposalsFrom(h(3), 10, 1n, 1 << 20).map((p) => p.block.header.number), [3n, 2n]);
    assert.deepEqual(tree.proposalsFrom(h(3), 1, 0n, 1 << 20).map((p) => p.block.header.number), [3n]);
  });
});
