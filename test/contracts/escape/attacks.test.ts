/**
 * The escape-hatch findings of issue 10, as attacks on the users' funds: each test fails on a
 * Rollup without exit mode (the commit before the fix shows it) and passes with it.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { keccak256, parseEther, toHex, type Address } from "viem";
import { MemoryState } from "../../../src/execution/state.ts";
import { hashHeader } from "../../../src/protocol/header.ts";
import { toSolidityHeader } from "../../../src/protocol/solidity.ts";
import { commitProof, deploySystem, L2_CHAIN_ID } from "../fixtures.ts";

const { viem, networkHelpers } = await network.create();

describe("escape hatch attacks (issue 10)", () => {
  test("committee stops settling: users' funds in the Bridge are not locked forever", async () => {
    const { rollup, bridge, chain, keys, wallets, publicClient } = await deploySystem(viem, { n: 4, inclusionDeadline: 64n });
    const user = wallets[5]!;
    // The user's deposit is minted on L2 and settled: the finalized state holds their 2 ETH.
    await bridge.write.deposit([user.account.address], { value: parseEther("2") });
    const l2 = MemoryState.fromAccounts([[user.account.address, { nonce: 0n, balance: parseEther("2") }]]);
    const entry = (await publicClient.getContractEvents({ address: bridge.address, abi: bridge.abi, eventName: "InboxEntryAppended" }))[0]!;
    chain.extend({ stateRoot: l2.stateRoot(), inboxCursor: 1n, inboxHash: entry.args.accumulatedHash! });
    chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    // Then the committee stops: a forced transaction is never settled, for a day and more.
    await bridge.write.forceInclude(["0x01"], { account: user.account });
    await networkHelpers.mine(64 + 7200);
    await rollup.write.enterExitMode({ account: user.account });
    const before = await publicClient.getBalance({ address: user.account.address });
    const receipt = await publicClient.waitForTransactionReceipt({
      hash: await bridge.write.claimBalance([user.account.address, 1n, l2.proveAccount(user.account.address).accountProof], { account: user.account }),
    });
    const after = await publicClient.getBalance({ address: user.account.address });
    assert.equal(after - before + receipt.gasUsed * receipt.effectiveGasPrice, parseEther("2"));
    assert.equal(await bridge.read.hasEscaped([user.account.address as Address]), true);
  });

  test("rollup frozen on a safety violation: deposits that can never settle are refused", async () => {
    const { rollup, bridge, chain, keys, domain, wallets } = await deploySystem(viem, { n: 4 });
    for (let i = 0; i < 4; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 2));
    const fork = { ...chain.headers[2]!, stateRoot: keccak256(toHex("fork")) };
    const forkChild = { ...chain.headers[3]!, parentHash: hashHeader(L2_CHAIN_ID, rollup.address, fork) };
    await rollup.write.settle([[toSolidityHeader(fork)], [chain.data[2]!], commitProof(keys, domain, fork, forkChild)]);
    assert.equal(await rollup.read.frozen(), true);
    await rollup.write.enterExitMode({ account: wallets[9]!.account });
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.deposit([wallets[5]!.account.address], { value: parseEther("1") }), bridge, "InboxClosed", []);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.forceInclude(["0x01"]), bridge, "InboxClosed", []);
  });
});
