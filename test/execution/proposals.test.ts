/** Every member re-executes a proposal: each kind of wrong block is refused with its own code. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keccak256, type Hex } from "viem";
import { encodeBlockData } from "../../src/execution/blockData.ts";
import type { ExecutionErrorCode } from "../../src/execution/errors.ts";
import type { ExecuteBlockInput } from "../../src/execution/execute.ts";
import type { Header } from "../../src/protocol/header.ts";
import { WITHDRAWAL_ADDRESS } from "../../src/protocol/withdrawals.ts";
import { GWEI, signTransaction, testConfig, transfer } from "./fixtures.ts";
import { alice, bob, buildOn, carol, deposit, executeOn, genesis, refusedWith } from "./chain.ts";

describe("executeBlock refuses a wrong proposal, naming what is wrong", () => {
  const g = genesis();
  const inbox = [deposit(0n, carol.address, 1n)];
  const built = buildOn(g.header, g.state, {
    inbox,
    mempool: [transfer(alice, { nonce: 0n, to: bob.address, value: 1n }), transfer(bob, { nonce: 0n, to: WITHDRAWAL_ADDRESS, value: 9n })],
  });
  const tamper = (fields: Partial<Header>, code: ExecutionErrorCode, overrides: Partial<ExecuteBlockInput> = {}) =>
    refusedWith(code, () => executeOn(g.header, g.state, { header: { ...built.header, ...fields }, blockData: built.blockData }, { inbox, ...overrides }));
  const other = `0x${"ab".repeat(32)}` as Hex;

  test("the untampered block passes", () => assert.deepEqual(executeOn(g.header, g.state, built, { inbox }).header, built.header));
  test("STATE_ROOT_MISMATCH", () => tamper({ stateRoot: other }, "STATE_ROOT_MISMATCH"));
  test("TRANSACTIONS_ROOT_MISMATCH", () => tamper({ transactionsRoot: other }, "TRANSACTIONS_ROOT_MISMATCH"));
  test("RECEIPTS_ROOT_MISMATCH", () => tamper({ receiptsRoot: other }, "RECEIPTS_ROOT_MISMATCH"));
  test("WITHDRAWALS_ROOT_MISMATCH", () => tamper({ withdrawalsRoot: other }, "WITHDRAWALS_ROOT_MISMATCH"));
  test("DATA_HASH_MISMATCH", () => tamper({ dataHash: other }, "DATA_HASH_MISMATCH"));
  test("GAS_USED_MISMATCH", () => tamper({ gasUsed: 21_000n }, "GAS_USED_MISMATCH"));
  test("BASE_FEE_MISMATCH", () => tamper({ baseFee: GWEI }, "BASE_FEE_MISMATCH"));
  test("INBOX_HASH_MISMATCH", () => tamper({ inboxHash: other }, "INBOX_HASH_MISMATCH"));
  test("INBOX_ENTRIES_MISSING: consumes an entry this member does not know", () => tamper({ inboxCursor: 2n }, "INBOX_ENTRIES_MISSING"));
  test("INBOX_ENTRIES_MISSING: cursor moving backwards is caught as well", () =>
    refusedWith("INBOX_ENTRIES_MISSING", () => executeOn({ ...g.header, inboxCursor: 5n }, g.state, built, { inbox, parentHash: built.header.parentHash }), /backwards/));
  test("INBOX_ENTRY_TOO_NEW: entry from after the block's l1Origin", () =>
    tamper({}, "INBOX_ENTRY_TOO_NEW", { inbox: [deposit(0n, carol.address, 1n, 11n)] }));
  test("INBOX_LIMIT_EXCEEDED", () => tamper({}, "INBOX_LIMIT_EXCEEDED", { config: testConfig({ maxInboxEntriesPerBlock: 0 }) }));
  test("WRONG_PARENT: number or parent hash", () => {
    tamper({ number: 2n }, "WRONG_PARENT");
    tamper({ parentHash: other }, "WRONG_PARENT");
  });
  test("TIMESTAMP_BEFORE_PARENT", () => tamper({ timestamp: 999n }, "TIMESTAMP_BEFORE_PARENT"));
  test("L1_ORIGIN_BEFORE_PARENT", () => tamper({ l1Origin: 9n }, "L1_ORIGIN_BEFORE_PARENT"));
  test("a different proposer changes who gets the tips: STATE_ROOT_MISMATCH", () => tamper({ proposer: carol.address }, "STATE_ROOT_MISMATCH"));

  const withData = (raws: Hex[], overrides: Partial<ExecuteBlockInput> = {}) => {
    const blockData = encodeBlockData(raws);
    return () => executeOn(g.header, g.state, { header: { ...built.header, dataHash: keccak256(blockData) }, blockData }, { inbox, ...overrides });
  };
  const raws = built.transactions.map((t) => t.raw);

  test("reordered transactions: the roots differ", () => refusedWith("TRANSACTIONS_ROOT_MISMATCH", withData([...raws].reverse())));
  test("a dropped transaction: gas used differs", () => refusedWith("GAS_USED_MISMATCH", withData(raws.slice(0, 1))));
  test("an invalid transaction (nonce gap) in the block", () =>
    refusedWith("INVALID_BLOCK_TRANSACTION", withData([...raws, signTransaction(carol, { nonce: 3n })]), /transaction 2 .*NONCE_TOO_HIGH/));
  test("a transaction with a bad signature in the block", () =>
    refusedWith("INVALID_BLOCK_TRANSACTION", withData([...raws, signTransaction(carol, { r: 5n })]), /INVALID_SIGNATURE/));
  test("the same transaction twice", () => refusedWith("INVALID_BLOCK_TRANSACTION", withData([raws[0]!, ...raws]), /NONCE_TOO_LOW/));
  test("BLOCK_TX_LIMIT_EXCEEDED", () => refusedWith("BLOCK_TX_LIMIT_EXCEEDED", withData(raws, { config: testConfig({ maxTransactionsPerBlock: 1 }) })));
  test("BLOCK_GAS_LIMIT_EXCEEDED (genesis parent: the base fee does not depend on the limit)", () =>
    refusedWith("INVALID_BLOCK_TRANSACTION", withData(raws, { config: testConfig({ blockGasLimit: 21_000n }) }), /BLOCK_GAS_LIMIT_EXCEEDED/));
  test("INVALID_BLOCK_DATA: not RLP, not a list, not canonical", () => {
    for (const blockData of ["0xc3", "0x83010203", "0xb801aa"] as Hex[]) {
      refusedWith("INVALID_BLOCK_DATA", () =>
        executeOn(g.header, g.state, { header: { ...built.header, dataHash: keccak256(blockData) }, blockData }, { inbox }));
    }
  });

  test("a refused proposal leaves the committed state as it was", () => {
    assert.equal(g.state.stateRoot(), g.header.stateRoot);
  });
});
