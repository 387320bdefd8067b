/** Block pacing: held sends leave in order, after the interval measured from the newest block. */
import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { ProposalPacer } from "../../src/node/pacer.ts";

test("an empty proposal is held for the empty-block interval after the parent arrived, with everything sent after it", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 10_000 });
  try {
    const pacer = new ProposalPacer({ minBlockIntervalMs: 50, emptyBlockIntervalMs: 400 });
    const sent: string[] = [];
    pacer.noteBlock(7n);
    pacer.send(() => sent.push("vote-7"));
    pacer.sendProposal(() => sent.push("proposal-8"), "idle");
    pacer.send(() => sent.push("vote-8"));
    assert.deepEqual(sent, ["vote-7"]);
    assert.ok(pacer.holding);
    mock.timers.tick(399);
    assert.deepEqual(sent, ["vote-7"]);
    mock.timers.tick(1);
    assert.deepEqual(sent, ["vote-7", "proposal-8", "vote-8"]);
    assert.ok(!pacer.holding);
  } finally {
    mock.timers.reset();
  }
});

test("transactions arriving during an empty hold shorten it to the minimum interval", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 10_000 });
  try {
    const pacer = new ProposalPacer({ minBlockIntervalMs: 50, emptyBlockIntervalMs: 400 });
    const sent: string[] = [];
    pacer.noteBlock(3n);
    pacer.sendProposal(() => sent.push("proposal-4"), "idle");
    mock.timers.tick(10);
    pacer.notifyWork();
    mock.timers.tick(40);
    assert.deepEqual(sent, ["proposal-4"]);
  } finally {
    mock.timers.reset();
  }
});

test("a proposal whose interval has already passed leaves at once; an older block does not restart the interval", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 10_000 });
  try {
    const pacer = new ProposalPacer({ minBlockIntervalMs: 50, emptyBlockIntervalMs: 400 });
    const sent: string[] = [];
    pacer.noteBlock(5n);
    mock.timers.tick(60);
    pacer.noteBlock(4n); // a synced ancestor, not the newest block
    pacer.sendProposal(() => sent.push("proposal-6"), "transactions");
    assert.deepEqual(sent, ["proposal-6"]);
  } finally {
    mock.timers.reset();
  }
});

test("a block with no transactions above uncommitted ones leaves at once: the two views that commit them are not paced at the idle interval", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 10_000 });
  try {
    const pacer = new ProposalPacer({ minBlockIntervalMs: 50, emptyBlockIntervalMs: 400 });
    const sent: string[] = [];
    pacer.noteBlock(9n); // the block with the transfer, just accepted
    pacer.sendProposal(() => sent.push("proposal-10"), "certifying");
    pacer.send(() => sent.push("vote-10"));
    assert.deepEqual(sent, ["proposal-10", "vote-10"]);
    assert.ok(!pacer.holding);
    // With transactions it waits the minimum interval (batching), idle the empty-block interval.
    pacer.noteBlock(10n);
    pacer.sendProposal(() => sent.push("proposal-11"), "transactions");
    assert.ok(pacer.holding);
    mock.timers.tick(50);
    assert.deepEqual(sent, ["proposal-10", "vote-10", "proposal-11"]);
  } finally {
    mock.timers.reset();
  }
});

test("what need not wait (the proposal's QC) leaves at once when the proposal is held, and not at all when it is not", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 10_000 });
  try {
    const pacer = new ProposalPacer({ minBlockIntervalMs: 50, emptyBlockIntervalMs: 400 });
    const sent: string[] = [];
    pacer.noteBlock(7n);
    pacer.sendProposal(() => sent.push("proposal-8"), "transactions", () => sent.push("qc-7"));
    assert.deepEqual(sent, ["qc-7"], "the QC leaves while the proposal is held");
    pacer.sendProposal(() => sent.push("proposal-9"), "transactions", () => sent.push("qc-8"));
    assert.deepEqual(sent, ["qc-7", "qc-8"], "queued behind a held proposal: its QC leaves too");
    mock.timers.tick(50);
    assert.deepEqual(sent, ["qc-7", "qc-8", "proposal-8"], "each early message is sent once, and the second proposal is held in turn");
    mock.timers.tick(50);
    assert.deepEqual(sent, ["qc-7", "qc-8", "proposal-8", "proposal-9"]);
    mock.timers.tick(100);
    pacer.sendProposal(() => sent.push("proposal-10"), "certifying", () => sent.push("qc-9"));
    assert.deepEqual(sent.slice(4), ["proposal-10"], "not held: the proposal carries the QC itself");
  } finally {
    mock.timers.reset();
  }
});

test("a light block (few transactions) is held half the interval, a full one the whole interval", () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 10_000 });
  try {
    const pacer = new ProposalPacer({ minBlockIntervalMs: 100, emptyBlockIntervalMs: 1_000 });
    const sent: string[] = [];
    pacer.noteBlock(1n);
    pacer.sendProposal(() => sent.push("light-2"), "light");
    mock.timers.tick(49);
    assert.equal(sent.length, 0);
    mock.timers.tick(1);
    assert.deepEqual(sent, ["light-2"], "half of minBlockIntervalMs");
    pacer.noteBlock(2n);
    pacer.sendProposal(() => sent.push("full-3"), "transactions");
    mock.timers.tick(99);
    assert.deepEqual(sent, ["light-2"]);
    mock.timers.tick(1);
    assert.deepEqual(sent, ["light-2", "full-3"], "the whole interval");
  } finally {
    mock.timers.reset();
  }
});
