/**
 * The escape hatch on L1 (issue 10, item 3): when exit mode may start (ExitWindow), what it
 * refuses (deposits, forced transactions, settlement), and the account-proof claims the Bridge
 * pays in it (EscapeHatch), with L2 states made by src/execution's own state code.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { fromRlp, getAddress, keccak256, maxUint256, parseEther, toHex, type Address, type Hex } from "viem";
import { MemoryState } from "../../../src/execution/state.ts";
import { hashHeader } from "../../../src/protocol/header.ts";
import { toSolidityHeader } from "../../../src/protocol/solidity.ts";
import { commitProof, deploySystem, L2_CHAIN_ID } from "../fixtures.ts";

const { viem, networkHelpers } = await network.create();

const DEADLINE = 64n;
const EXIT_WINDOW = 7200n;
const TX: Hex = "0x02f86b8203858084b2d05e00850bdfd63e0082520894000000000000000000000000000000000000dead0180c0";

/**
 * A system whose finalized head (block 1) holds `balances`, and whose next block (2, certified
 * but never settled) holds other ones; one deposit of 100 ETH (Inbox entry 0) is owed.
 */
async function exitableSystem() {
  const system = await deploySystem(viem, { n: 4, inclusionDeadline: DEADLINE });
  const { wallets, bridge, rollup, chain, keys, publicClient } = system;
  const [alice, bob, carol] = [wallets[5]!, wallets[6]!, wallets[7]!];
  const finalized = MemoryState.fromAccounts([
    [alice.account.address, { nonce: 3n, balance: parseEther("1.5") }],
    [bob.account.address, { nonce: 0n, balance: 12_345n }],
  ]);
  const later = MemoryState.fromAccounts([
    [alice.account.address, { nonce: 4n, balance: parseEther("9") }],
    [bob.account.address, { nonce: 0n, balance: 12_345n }],
  ]);
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await bridge.write.deposit([carol.account.address], { value: parseEther("100") }) });
  chain.extend({ stateRoot: finalized.stateRoot() });
  chain.extend({ stateRoot: later.stateRoot() });
  chain.extend();
  await rollup.write.settle(chain.settleArgs(keys, 1, 1));
  const allowedFrom = receipt.blockNumber + DEADLINE + EXIT_WINDOW;
  return { ...system, alice, bob, carol, finalized, later, allowedFrom };
}

/** The block the next transaction lands in (the devnet automines one transaction per block). */
async function nextBlock(publicClient: { getBlockNumber(): Promise<bigint> }): Promise<bigint> {
  return (await publicClient.getBlockNumber()) + 1n;
}

async function mineUntil(publicClient: { getBlockNumber(): Promise<bigint> }, block: bigint): Promise<void> {
  const now = await publicClient.getBlockNumber();
  if (block > now) await networkHelpers.mine(Number(block - now));
}

describe("Rollup.enterExitMode", () => {
  test("refused until the owed Inbox entry is EXIT_WINDOW blocks past due, allowed from that block on", async () => {
    const { rollup, bridge, publicClient, allowedFrom, finalized } = await exitableSystem();
    assert.equal(await rollup.read.exitWindow(), EXIT_WINDOW);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.enterExitMode(), rollup, "ExitModeNotAllowed", [0n, allowedFrom, await nextBlock(publicClient)]);
    // The last block it is refused in: the entry is due (b + D) and the window runs to its end.
    await mineUntil(publicClient, allowedFrom - 2n);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.enterExitMode(), rollup, "ExitModeNotAllowed", [0n, allowedFrom, allowedFrom - 1n]);
    await mineUntil(publicClient, allowedFrom - 1n);
    assert.equal(await nextBlock(publicClient), allowedFrom);
    await viem.assertions.emitWithArgs(rollup.write.enterExitMode(), rollup, "ExitModeEntered", [1n, finalized.stateRoot(), 0n, false]);
    assert.equal(await rollup.read.exitMode(), true);
    assert.deepEqual(await bridge.read.exitState(), [true, 1n, finalized.stateRoot(), 0n]);
  });

  test("with no Inbox entry owed it is never allowed, however long settlement stops", async () => {
    const { rollup, chain, keys, publicClient } = await deploySystem(viem, { n: 4, inclusionDeadline: DEADLINE });
    chain.extend();
    chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    await networkHelpers.mine(Number(2n * EXIT_WINDOW));
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.enterExitMode(), rollup, "ExitModeNotAllowed", [0n, maxUint256, await nextBlock(publicClient)]);
  });

  test("a forced transaction posted by anyone starts the window when nothing else is owed", async () => {
    const { rollup, bridge, publicClient, wallets } = await deploySystem(viem, { n: 4, inclusionDeadline: DEADLINE });
    const posted = await publicClient.waitForTransactionReceipt({ hash: await bridge.write.forceInclude([TX], { account: wallets[9]!.account }) });
    await mineUntil(publicClient, posted.blockNumber + DEADLINE + EXIT_WINDOW - 1n);
    await viem.assertions.emitWithArgs(rollup.write.enterExitMode({ account: wallets[9]!.account }), rollup, "ExitModeEntered", [0n, (await rollup.read.finalizedBlock([0n]))[1], 0n, false]);
  });

  test("after a proven safety violation froze settlement it is allowed at once", async () => {
    const { rollup, chain, keys, domain } = await deploySystem(viem, { n: 4, inclusionDeadline: DEADLINE });
    for (let i = 0; i < 4; i++) chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 2));
    const fork = { ...chain.headers[2]!, stateRoot: keccak256(toHex("fork")) };
    const forkChild = { ...chain.headers[3]!, parentHash: hashHeader(L2_CHAIN_ID, rollup.address, fork) };
    await rollup.write.settle([[toSolidityHeader(fork)], [chain.data[2]!], commitProof(keys, domain, fork, forkChild)]);
    assert.equal(await rollup.read.frozen(), true);
    // The finalized head stays the honest block 2: the conflicting one was never final.
    await viem.assertions.emitWithArgs(rollup.write.enterExitMode(), rollup, "ExitModeEntered", [2n, chain.headers[2]!.stateRoot, 0n, true]);
  });

  test("in exit mode deposits, forced transactions, settlement and a second entry are refused", async () => {
    const { rollup, bridge, chain, keys, publicClient, allowedFrom, carol } = await exitableSystem();
    await mineUntil(publicClient, allowedFrom);
    await rollup.write.enterExitMode();
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.deposit([carol.account.address], { value: 1n }), bridge, "InboxClosed", []);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.forceInclude([TX]), bridge, "InboxClosed", []);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.settle(chain.settleArgs(keys, 2, 2)), rollup, "ExitModeActive", []);
    await viem.assertions.revertWithCustomErrorWithArgs(rollup.write.enterExitMode(), rollup, "ExitModeActive", []);
  });

  test("only the Rollup opens the Bridge's exit", async () => {
    const { bridge, wallets } = await deploySystem(viem, { n: 4 });
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.openExit([0n, keccak256("0x01"), 0n], { account: wallets[3]!.account }), bridge, "CallerNotRollup", [wallets[3]!.account.address]);
  });
});

describe("Bridge.claimBalance", () => {
  test("before exit mode there is nothing to claim", async () => {
    const { bridge, alice, finalized } = await exitableSystem();
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.claimBalance([alice.account.address, 1n, finalized.proveAccount(alice.account.address).accountProof], { account: alice.account }), bridge, "ExitModeNotActive", []);
  });

  test("pays each account exactly its balance in the finalized state, to its own address, once", async () => {
    const { rollup, bridge, publicClient, allowedFrom, alice, bob, finalized, wallets } = await exitableSystem();
    await mineUntil(publicClient, allowedFrom);
    await rollup.write.enterExitMode();
    for (const account of [alice, bob]) {
      const address = account.account.address;
      const amount = finalized.getAccount(address.toLowerCase() as Address).balance;
      const proof = finalized.proveAccount(address).accountProof;
      const [before, bridgeBefore] = await Promise.all([publicClient.getBalance({ address }), publicClient.getBalance({ address: bridge.address })]);
      // Alice pays her own gas; Bob's claim is submitted by someone else (a relayer): he is paid all the same.
      const submitter = account === alice ? alice.account : wallets[12]!.account;
      const hash = await bridge.write.claimBalance([address, 1n, proof], { account: submitter });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const gas = submitter.address === address ? receipt.gasUsed * receipt.effectiveGasPrice : 0n;
      assert.equal((await publicClient.getBalance({ address })) - before + gas, amount, `${address} receives exactly its L2 balance`);
      assert.equal(bridgeBefore - (await publicClient.getBalance({ address: bridge.address })), amount);
      const events = await publicClient.getContractEvents({ address: bridge.address, abi: bridge.abi, eventName: "BalanceEscaped", blockHash: receipt.blockHash });
      assert.deepEqual(events.map((e) => e.args), [{ account: getAddress(address), blockNumber: 1n, amount }]);
      assert.equal(await bridge.read.hasEscaped([address]), true);
      await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.claimBalance([address, 1n, proof], { account: account.account }), bridge, "BalanceAlreadyEscaped", [getAddress(address)]);
    }
  });

  test("a claim against a block that is not the finalized head, or with its state's proof, is refused", async () => {
    const { rollup, bridge, publicClient, allowedFrom, alice, finalized, later } = await exitableSystem();
    await mineUntil(publicClient, allowedFrom);
    await rollup.write.enterExitMode();
    const unsettled = later.proveAccount(alice.account.address).accountProof; // block 2: certified, never settled
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.claimBalance([alice.account.address, 2n, unsettled], { account: alice.account }), bridge, "NotExitBlock", [2n, 1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.claimBalance([alice.account.address, 0n, unsettled], { account: alice.account }), bridge, "NotExitBlock", [0n, 1n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      bridge.write.claimBalance([alice.account.address, 1n, unsettled], { account: alice.account }),
      bridge,
      "ProofNodeMismatch",
      [0n, finalized.stateRoot(), keccak256(unsettled[0]!)],
    );
    assert.equal(await bridge.read.hasEscaped([alice.account.address]), false);
  });

  test("one account's proof does not pay another account, and an absent account has nothing to claim", async () => {
    const { rollup, bridge, publicClient, allowedFrom, alice, carol, finalized } = await exitableSystem();
    await mineUntil(publicClient, allowedFrom);
    await rollup.write.enterExitMode();
    await viem.assertions.revertWithCustomErrorWithArgs(
      bridge.write.claimBalance([carol.account.address, 1n, finalized.proveAccount(carol.account.address).accountProof], { account: carol.account }),
      bridge,
      "NothingToEscape",
      [carol.account.address, 1n],
    );
    // Alice's proof claimed for Carol is checked against Carol's key: its path leaves the proof.
    const proof = finalized.proveAccount(alice.account.address).accountProof;
    const attempt = bridge.write.claimBalance([carol.account.address, 1n, proof], { account: carol.account });
    const [node] = proof.map((n) => fromRlp(n, "hex") as Hex[]);
    const carolNibble = parseInt(keccak256(carol.account.address).slice(2, 3), 16);
    const aliceNibble = parseInt(keccak256(alice.account.address).slice(2, 3), 16);
    if (node!.length === 17 && carolNibble !== aliceNibble) {
      if (node![carolNibble] === "0x") await viem.assertions.revertWithCustomErrorWithArgs(attempt, bridge, "ProofHasExtraNodes", [1n, BigInt(proof.length)]);
      else await viem.assertions.revertWithCustomErrorWithArgs(attempt, bridge, "ProofNodeMismatch", [1n, node![carolNibble]!, keccak256(proof[1]!)]);
    } else {
      await viem.assertions.revertWithCustomError(attempt, bridge, "ProofNodeMismatch");
    }
    assert.equal(await bridge.read.hasEscaped([alice.account.address]), false);
  });
});

describe("Bridge.refundDeposit", () => {
  test("a deposit the finalized state never minted goes back to its L1 sender, once; a wrong one is refused", async () => {
    const { rollup, bridge, publicClient, allowedFrom, carol, wallets } = await exitableSystem();
    const [entry] = await publicClient.getContractEvents({ address: bridge.address, abi: bridge.abi, eventName: "InboxEntryAppended", fromBlock: 0n });
    const { sender, recipient, value, l1Block } = entry!.args as { sender: Address; recipient: Address; value: bigint; l1Block: bigint };
    assert.equal(recipient, getAddress(carol.account.address));
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.refundDeposit([0n, sender, recipient, value, l1Block]), bridge, "ExitModeNotActive", []);
    await mineUntil(publicClient, allowedFrom);
    await rollup.write.enterExitMode();
    const stranger = wallets[11]!.account;
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.refundDeposit([0n, sender, recipient, value + 1n, l1Block], { account: stranger }), bridge, "NotADeposit", [0n]);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.refundDeposit([0n, stranger.address, recipient, value, l1Block], { account: stranger }), bridge, "NotADeposit", [0n]);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.refundDeposit([1n, sender, recipient, value, l1Block], { account: stranger }), bridge, "NotADeposit", [1n]);
    const before = await publicClient.getBalance({ address: sender });
    // Anyone may submit it: the ETH goes to the depositor, not to whoever sends the call.
    await viem.assertions.emitWithArgs(bridge.write.refundDeposit([0n, sender, recipient, value, l1Block], { account: stranger }), bridge, "DepositRefunded", [0n, sender, value]);
    assert.equal((await publicClient.getBalance({ address: sender })) - before, value);
    assert.equal(await bridge.read.isRefunded([0n]), true);
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.refundDeposit([0n, sender, recipient, value, l1Block], { account: stranger }), bridge, "DepositAlreadyRefunded", [0n]);
  });

  test("a deposit the finalized chain consumed is an L2 balance, not a refund", async () => {
    const { rollup, bridge, chain, keys, wallets, publicClient } = await deploySystem(viem, { n: 4, inclusionDeadline: DEADLINE });
    await bridge.write.deposit([wallets[5]!.account.address], { value: parseEther("2") });
    const [entry] = await publicClient.getContractEvents({ address: bridge.address, abi: bridge.abi, eventName: "InboxEntryAppended", fromBlock: 0n });
    const { sender, recipient, value, l1Block, accumulatedHash } = entry!.args as { sender: Address; recipient: Address; value: bigint; l1Block: bigint; accumulatedHash: Hex };
    chain.extend({ inboxCursor: 1n, inboxHash: accumulatedHash });
    chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    const posted = await publicClient.waitForTransactionReceipt({ hash: await bridge.write.forceInclude([TX]) });
    await mineUntil(publicClient, posted.blockNumber + DEADLINE + EXIT_WINDOW - 1n);
    await rollup.write.enterExitMode();
    await viem.assertions.revertWithCustomErrorWithArgs(bridge.write.refundDeposit([0n, sender, recipient, value, l1Block]), bridge, "DepositConsumed", [0n, 1n]);
  });
});
