/**
 * Forced inclusion as DESIGN §5 states it: an Inbox entry posted in L1 block b is in a settled
 * block by L1 block b + D (D = inclusionDeadline), whatever l1Origin the committee gives its
 * headers. Each test is named after the way around it that the contracts used to leave open.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { parseEther, zeroHash, type Hex } from "viem";
import { accumulateInboxHash, INBOX_DEPOSIT, type InboxEntry } from "../../src/protocol/inbox.ts";
import { toSolidityHeader } from "../../src/protocol/solidity.ts";
import { hashHeader } from "../../src/protocol/header.ts";
import { MAX_INCLUSION_DEADLINE, MIN_INCLUSION_DEADLINE } from "../../src/deployment/contracts.ts";
import { deploySystem, commitProof, l1Origin, L2_CHAIN_ID, UNBONDING_DELAY } from "./fixtures.ts";

const { viem, networkHelpers } = await network.create();

const D = 5n;

/** A system with one deposit posted in L1 block b, and the entry as TypeScript hashes it. */
async function withDeposit() {
  const system = await deploySystem(viem, { n: 4, inclusionDeadline: D });
  const { bridge, publicClient, wallets } = system;
  const sender = wallets[5]!;
  const recipient = wallets[6]!.account.address;
  const hash = await bridge.write.deposit([recipient], { value: 5n, account: sender.account });
  const { blockNumber: b } = await publicClient.waitForTransactionReceipt({ hash });
  const entry: InboxEntry = { index: 0n, kind: INBOX_DEPOSIT, sender: sender.account.address, recipient, value: 5n, data: "0x", l1Block: b };
  return { ...system, b, acc: accumulateInboxHash(zeroHash, entry) };
}

/** Mines so that the next transaction lands in L1 block `target`. */
async function landNextAt(publicClient: { getBlockNumber(): Promise<bigint> }, target: bigint) {
  const now = await publicClient.getBlockNumber();
  assert.ok(target > now, `block ${target} is already past (now ${now})`);
  if (target - now > 1n) await networkHelpers.mine(target - now - 1n);
}

describe("forced inclusion is due by b + D exactly", () => {
  test("a settle at b + D that leaves the entry out reverts naming the entry, however recent the headers' l1Origin", async () => {
    const { rollup, chain, keys, b, publicClient } = await withDeposit();
    // Headers whose l1Origin (b + 1) makes the entry due only at l1Origin b + D: before the fix,
    // the committee could keep it out until L1 block b + 1 + D - 1 = b + 2D - 1 ... and settle.
    await landNextAt(publicClient, b + 2n);
    chain.extend(await l1Origin(publicClient, b + 1n));
    chain.extend(await l1Origin(publicClient, b + 1n));
    await landNextAt(publicClient, b + D);
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle(chain.settleArgs(keys, 1, 1)),
      rollup,
      "DueInboxEntryNotSettled",
      [0n, b + D, b + D],
    );
  });

  test("a settle at b + D - 1 without the entry is fine, and at b + D with it consumed too", async () => {
    const { rollup, chain, keys, b, acc, publicClient } = await withDeposit();
    await landNextAt(publicClient, b + 2n);
    chain.extend(await l1Origin(publicClient, b + 1n));
    chain.extend({ ...(await l1Origin(publicClient, b + 1n)), inboxCursor: 1n, inboxHash: acc });
    chain.extend({ ...(await l1Origin(publicClient, b + 1n)), inboxCursor: 1n, inboxHash: acc });
    await landNextAt(publicClient, b + D - 1n);
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 1, 1)), rollup, "BatchSettled", [1n, 1n, 1n]);
    // L1 block b + D: the entry is due, and the batch consumes it.
    await viem.assertions.emitWithArgs(rollup.write.settle(chain.settleArgs(keys, 2, 2)), rollup, "BatchSettled", [2n, 2n, 1n]);
    assert.equal(await publicClient.getBlockNumber(), b + D);
  });

  test("an entry no header is due for yet is still due at b + D (the window is D, not 2D - 1)", async () => {
    const { rollup, chain, keys, b, publicClient } = await withDeposit();
    // l1Origin b + D - 1 owes no entry and kept the last header fresh until b + 2D - 2: the
    // entry could stay out of the settled chain through L1 block b + 2D - 2.
    await landNextAt(publicClient, b + D);
    chain.extend(await l1Origin(publicClient, b + D - 1n));
    chain.extend(await l1Origin(publicClient, b + D - 1n));
    await landNextAt(publicClient, b + 2n * D - 2n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      rollup.write.settle(chain.settleArgs(keys, 1, 1)),
      rollup,
      "DueInboxEntryNotSettled",
      [0n, b + D, b + 2n * D - 2n],
    );
  });
});

describe("an inclusionDeadline of 0 or an overflowing one is refused at deployment", () => {
  test("the deploy script's range is the Rollup's", async () => {
    const { rollup } = await deploySystem(viem, { n: 4 });
    assert.equal(await rollup.read.MIN_INCLUSION_DEADLINE(), MIN_INCLUSION_DEADLINE);
    assert.equal(await rollup.read.MAX_INCLUSION_DEADLINE(), MAX_INCLUSION_DEADLINE);
  });

  for (const deadline of [0n, 2n ** 256n - 1n, 2n ** 64n]) {
    test(`inclusionDeadline ${deadline}`, async () => {
      const { rollup, genesis } = await deploySystem(viem, { n: 4 });
      // A fresh Committee (the deployed one is sealed to its Rollup), and the Rollup constructor.
      const [governance] = await viem.getWalletClients();
      const other = await viem.deployContract("Committee", [L2_CHAIN_ID, parseEther("1"), UNBONDING_DELAY, governance!.account.address]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract("Rollup", [other.address, L2_CHAIN_ID, toSolidityHeader(genesis), deadline]),
        rollup,
        "InvalidInclusionDeadline",
        [deadline, 2n, 216_000n],
      );
    });
  }
});

describe("after a safety-violation freeze, deposit and forceInclude refuse money that can never settle", () => {
  test("both revert with InboxClosed once settlement froze", async () => {
    const { rollup, bridge, chain, keys, domain, wallets } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 4; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 2));
    const fork = { ...chain.headers[2]!, stateRoot: zeroHash };
    const forkHash = hashHeader(L2_CHAIN_ID, rollup.address, fork);
    const proof = commitProof(keys, domain, fork, { ...chain.headers[3]!, parentHash: forkHash });
    await rollup.write.settle([[toSolidityHeader(fork)], [chain.data[2]!], proof]);
    assert.equal(await rollup.read.frozen(), true);
    const tx: Hex = "0x02f86b8203858084b2d05e00850bdfd63e0082520894000000000000000000000000000000000000dead0180c0";
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.deposit([wallets[6]!.account.address], { value: parseEther("1") }), bridge, "InboxClosed", []);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.forceInclude([tx]), bridge, "InboxClosed", []);
    assert.equal(await bridge.read.inboxClosed(), true);
  });

  test("only the Rollup closes the Inbox", async () => {
    const { bridge, wallets } = await deploySystem(viem, { n: 4 });
    const stranger = wallets[7]!.account;
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.closeInbox({ account: stranger }), bridge, "CallerNotRollup", [stranger.address]);
    assert.equal(await bridge.read.inboxClosed(), false);
  });
});
