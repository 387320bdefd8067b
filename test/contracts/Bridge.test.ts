import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, parseEther, toHex, zeroAddress, zeroHash, type Hex } from "viem";
import { accumulateInboxHash, INBOX_DEPOSIT, INBOX_FORCED_TX, type InboxEntry } from "../../src/protocol/inbox.ts";
import { withdrawalLeaf, withdrawalProof, withdrawalsRoot, type Withdrawal } from "../../src/protocol/withdrawals.ts";
import { deploySystem } from "./fixtures.ts";

const { viem } = await network.create();

describe("Inbox", () => {
  test("deposits and forced transactions extend the hash chain exactly as src/protocol/inbox.ts", async () => {
    const { bridge, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    const [alice, bob] = [wallets[5]!, wallets[6]!];
    let acc: Hex = zeroHash;
    const tx: Hex = "0x02f86b8203858084b2d05e00850bdfd63e0082520894000000000000000000000000000000000000dead0180c0";
    const steps = [
      { call: () => bridge.write.deposit([bob.account.address], { value: parseEther("2"), account: alice.account }), kind: INBOX_DEPOSIT, sender: alice, recipient: bob.account.address, value: parseEther("2"), data: "0x" as Hex },
      { call: () => bridge.write.forceInclude([tx], { account: bob.account }), kind: INBOX_FORCED_TX, sender: bob, recipient: zeroAddress, value: 0n, data: tx },
      { call: () => bridge.write.deposit([alice.account.address], { value: 7n, account: bob.account }), kind: INBOX_DEPOSIT, sender: bob, recipient: alice.account.address, value: 7n, data: "0x" as Hex },
    ] as const;
    for (const [i, step] of steps.entries()) {
      const { blockNumber } = await publicClient.waitForTransactionReceipt({ hash: await step.call() });
      const entry: InboxEntry = { index: BigInt(i), kind: step.kind, sender: step.sender.account.address, recipient: step.recipient, value: step.value, data: step.data, l1Block: blockNumber };
      acc = accumulateInboxHash(acc, entry);
      assert.equal(await bridge.read.accumulatedHash([BigInt(i + 1)]), acc, `entry ${i}`);
      assert.equal(await bridge.read.entryL1Block([BigInt(i)]), blockNumber);
    }
    assert.equal(await bridge.read.inboxCount(), 3n);
    assert.equal(await publicClient.getBalance({ address: bridge.address }), parseEther("2") + 7n, "the Bridge holds deposited ETH");
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.read.accumulatedHash([4n]), bridge, "InboxCursorOutOfRange", [4n, 3n]);
  });

  test("refuses empty deposits, deposits to nobody and empty forced transactions", async () => {
    const { bridge, wallets } = await deploySystem(viem, { n: 4 });
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.deposit([wallets[1]!.account.address]), bridge, "ZeroDeposit", []);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.deposit([zeroAddress], { value: 1n }), bridge, "ZeroRecipient", []);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.forceInclude(["0x"]), bridge, "EmptyForcedTransaction", []);
    const huge = `0x${"ab".repeat(32 * 1024 + 1)}` as const;
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.forceInclude([huge]), bridge, "ForcedTransactionTooLarge", [32n * 1024n + 1n, 32n * 1024n]);
  });
});

describe("Bridge withdrawals", () => {
  test("a withdrawal in a finalized block is paid once against its Merkle proof", async () => {
    const { bridge, rollup, chain, keys, wallets, publicClient } = await deploySystem(viem, { n: 4 });
    await bridge.write.deposit([wallets[1]!.account.address], { value: parseEther("10") });
    const recipients = wallets.slice(10, 15).map((w) => w.account.address);
    const withdrawals: Withdrawal[] = recipients.map((recipient, i) => ({ blockNumber: 1n, index: BigInt(i), recipient, amount: parseEther("1") + BigInt(i) }));
    const leaves = withdrawals.map(withdrawalLeaf);
    chain.extend({ withdrawalsRoot: withdrawalsRoot(leaves) });
    chain.extend();
    const w = withdrawals[4]!; // the odd leaf out: carried up unchanged at the first level
    const proof = withdrawalProof(leaves, 4);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bridge.write.claimWithdrawal([1n, w.index, w.recipient, w.amount, proof]),
      bridge,
      "BlockNotFinalized",
      [1n],
    );
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    await viem.assertions.revertWithCustomErrorWithArgs(
      bridge.write.claimWithdrawal([1n, w.index, w.recipient, w.amount + 1n, proof]),
      bridge,
      "InvalidWithdrawalProof",
      [1n, 4n, chain.headers[1]!.withdrawalsRoot],
    );
    await viem.assertions.balancesHaveChanged(bridge.write.claimWithdrawal([1n, w.index, w.recipient, w.amount, proof]), [
      { address: w.recipient, amount: w.amount },
      { address: bridge.address, amount: -w.amount },
    ]);
    assert.equal(await bridge.read.isClaimed([1n, w.index, w.recipient, w.amount]), true);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bridge.write.claimWithdrawal([1n, w.index, w.recipient, w.amount, proof]),
      bridge,
      "WithdrawalAlreadyClaimed",
      [1n, 4n],
    );
    const first = withdrawals[0]!;
    await viem.assertions.emitWithArgs(
      bridge.write.claimWithdrawal([1n, 0n, first.recipient, first.amount, withdrawalProof(leaves, 0)]),
      bridge,
      "WithdrawalClaimed",
      [1n, 0n, first.recipient, first.amount],
    );
    assert.equal(await publicClient.getBalance({ address: bridge.address }), parseEther("10") - w.amount - first.amount);
  });

  test("a block with no withdrawals pays nothing", async () => {
    const { bridge, rollup, chain, keys, wallets } = await deploySystem(viem, { n: 4 });
    chain.extend();
    chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    const recipient = wallets[3]!.account.address;
    await viem.assertions.revertWithCustomErrorWithArgs(
      bridge.write.claimWithdrawal([1n, 0n, recipient, 1n, [keccak256(toHex("x"))]]),
      bridge,
      "InvalidWithdrawalProof",
      [1n, 0n, zeroHash],
    );
  });
});
