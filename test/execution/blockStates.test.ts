/** States of uncommitted blocks: children execute on their parent's, commits apply in order, forks vanish. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Hex } from "viem";
import { BlockStates, STATE_HISTORY_BLOCKS } from "../../src/execution/blockStates.ts";
import { hashHeader, type Header } from "../../src/protocol/header.ts";
import { transfer } from "./fixtures.ts";
import { alice, bob, buildOn, carol, config, executeOn, genesis, ROLLUP } from "./chain.ts";

const hashOf = (header: Header): Hex => hashHeader(config.chainId, ROLLUP, header);

describe("BlockStates", () => {
  test("a chain of uncommitted blocks, a fork, then commits in two steps", () => {
    const g = genesis();
    const states = new BlockStates(g.state, { hash: hashOf(g.header), header: g.header });
    const root0 = g.state.stateRoot();

    // b1 <- b2 <- b3 on one branch, f2 a fork off b1 (a proposal that lost its view).
    const b1 = buildOn(g.header, states.stateAfter(hashOf(g.header)), { mempool: [transfer(alice, { nonce: 0n, to: bob.address, value: 10n })] });
    states.add(hashOf(b1.header), b1);
    const b2 = buildOn(b1.header, states.stateAfter(hashOf(b1.header)), { mempool: [transfer(alice, { nonce: 1n, to: bob.address, value: 20n })] });
    states.add(hashOf(b2.header), b2);
    const f2 = buildOn(b1.header, states.stateAfter(hashOf(b1.header)), { mempool: [transfer(carol, { nonce: 0n, to: bob.address, value: 99n })], view: 5n });
    states.add(hashOf(f2.header), f2);
    // A member re-executes b3 on the state after b2 (two uncommitted layers).
    const b3 = buildOn(b2.header, states.stateAfter(hashOf(b2.header)), { mempool: [transfer(bob, { nonce: 0n, to: carol.address, value: 1n })], view: 6n });
    const validated = executeOn(b2.header, states.stateAfter(hashOf(b2.header)), b3);
    states.add(hashOf(b3.header), validated);

    assert.equal(g.state.stateRoot(), root0, "nothing is committed yet");
    assert.equal(states.stateAfter(hashOf(b3.header)).stateRoot(), b3.header.stateRoot);
    assert.equal(states.stateAfter(hashOf(f2.header)).stateRoot(), f2.header.stateRoot);

    // Consensus commits b2 (and with it b1): the fork f2 is dropped, b3 stays pending on top.
    assert.deepEqual(states.commit(hashOf(b2.header)).map((r) => r.header.number), [1n, 2n]);
    assert.equal(g.state.stateRoot(), b2.header.stateRoot);
    assert.equal(states.committedHead.hash, hashOf(b2.header));
    assert.equal(states.has(hashOf(f2.header)), false);
    assert.equal(states.has(hashOf(b3.header)), true);
    assert.equal(states.stateAfter(hashOf(b3.header)).stateRoot(), b3.header.stateRoot, "b3's state is still right after its ancestors committed");

    assert.deepEqual(states.commit(hashOf(b3.header)).map((r) => r.header.number), [3n]);
    assert.equal(g.state.stateRoot(), b3.header.stateRoot);
    assert.equal(g.state.getAccount(bob.address).balance, states.stateAfter(hashOf(b3.header)).getAccount(bob.address).balance);
    assert.deepEqual(states.commit(hashOf(b3.header)), [], "committing the head again does nothing");
  });

  test("block hashes on a branch: its uncommitted blocks, then the committed chain, never a fork's", () => {
    const g = genesis();
    const states = new BlockStates(g.state, { hash: hashOf(g.header), header: g.header });
    const b1 = buildOn(g.header, g.state);
    states.add(hashOf(b1.header), b1);
    const b2 = buildOn(b1.header, states.stateAfter(hashOf(b1.header)));
    states.add(hashOf(b2.header), b2);
    const f2 = buildOn(b1.header, states.stateAfter(hashOf(b1.header)), { view: 9n });
    states.add(hashOf(f2.header), f2);
    const b3 = buildOn(b2.header, states.stateAfter(hashOf(b2.header)));
    states.add(hashOf(b3.header), b3);
    const committed = new Map<bigint, Hex>();
    const canonical = (n: bigint) => committed.get(n);

    const onBranch = (tip: Header) => [0n, 1n, 2n, 3n, 4n].map((n) => states.hashOnBranch(hashOf(tip), n, canonical));
    assert.deepEqual(onBranch(b3.header), [hashOf(g.header), hashOf(b1.header), hashOf(b2.header), hashOf(b3.header), undefined]);
    assert.deepEqual(onBranch(f2.header), [hashOf(g.header), hashOf(b1.header), hashOf(f2.header), undefined, undefined], "the fork's own block 2, not b2");
    assert.equal(states.hashOnBranch("0x" + "ab".repeat(32) as Hex, 0n, canonical), undefined, "an unknown tip");

    // Once b2 commits, blocks up to it come from the committed chain.
    states.commit(hashOf(b2.header));
    [g.header, b1.header, b2.header].forEach((h) => committed.set(h.number, hashOf(h)));
    assert.deepEqual(onBranch(b3.header), [hashOf(g.header), hashOf(b1.header), hashOf(b2.header), hashOf(b3.header), undefined]);
  });

  test("the states after the last STATE_HISTORY_BLOCKS commits stay readable, each as it was; older ones are let go", () => {
    const g = genesis();
    const states = new BlockStates(g.state, { hash: hashOf(g.header), header: g.header });
    const start = g.state.getAccount(bob.address).balance;
    let parent = g.header;
    const total = STATE_HISTORY_BLOCKS + 5;
    for (let i = 0; i < total; i++) {
      // Every block pays bob 1 wei more; commits come one and two blocks at a time.
      const b = buildOn(parent, states.stateAfter(hashOf(parent)), { mempool: [transfer(alice, { nonce: BigInt(i), to: bob.address, value: 1n })], view: BigInt(i + 1) });
      states.add(hashOf(b.header), b);
      if (i % 2 === 1 || i === total - 1) states.commit(hashOf(b.header));
      parent = b.header;
    }
    const head = BigInt(total);
    assert.equal(states.oldestState, head - BigInt(STATE_HISTORY_BLOCKS) + 1n);
    for (const n of [head, head - 1n, states.oldestState]) assert.equal(states.stateAt(n)?.getAccount(bob.address).balance, start + n, `bob's balance after block ${n}`);
    assert.equal(states.stateAt(states.oldestState - 1n), undefined);
    assert.equal(states.stateAt(0n), undefined);
    assert.equal(states.stateAt(head + 1n), undefined);
  });

  test("unknown parents and non-descendants are refused", () => {
    const g = genesis();
    const states = new BlockStates(g.state, { hash: hashOf(g.header), header: g.header });
    const b1 = buildOn(g.header, g.state);
    assert.throws(() => states.add(hashOf(b1.header), { ...b1, header: { ...b1.header, parentHash: `0x${"11".repeat(32)}` } }), RangeError);
    assert.throws(() => states.stateAfter(`0x${"22".repeat(32)}`), RangeError);
    assert.throws(() => states.commit(`0x${"22".repeat(32)}`), RangeError);
  });

  test("uncommitted work: a block with a transfer, and every block above it until it commits", () => {
    const g = genesis();
    const states = new BlockStates(g.state, { hash: hashOf(g.header), header: g.header });
    const b1 = buildOn(g.header, states.stateAfter(hashOf(g.header)), { mempool: [transfer(alice, { nonce: 0n, to: bob.address, value: 10n })] });
    states.add(hashOf(b1.header), b1);
    const b2 = buildOn(b1.header, states.stateAfter(hashOf(b1.header)));
    states.add(hashOf(b2.header), b2);
    const b3 = buildOn(b2.header, states.stateAfter(hashOf(b2.header)), { view: 3n });
    states.add(hashOf(b3.header), b3);
    assert.equal(states.carriesWork(hashOf(b1.header)), true);
    assert.equal(states.carriesWork(hashOf(b2.header)), false);
    assert.equal(states.uncommittedWork(hashOf(b3.header)), true, "b1's transfer waits below b3");
    assert.equal(states.uncommittedWork(hashOf(g.header)), false, "the genesis head carries none");
    states.commit(hashOf(b1.header));
    // The leader that commits b1 (on the QC over b2) proposes b3 carrying that QC: the others
    // commit b1 only when b3 reaches them, so b3 still counts as certifying work.
    assert.equal(states.uncommittedWork(hashOf(b3.header)), true, "b1, just committed here, is the head");
    states.commit(hashOf(b2.header));
    assert.equal(states.uncommittedWork(hashOf(b3.header)), false, "once an empty block is the head, nothing waits");
  });
});
