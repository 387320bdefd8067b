/** A small chain for block tests: genesis with three funded users, and build/execute on a parent. */
import assert from "node:assert/strict";
import type { Address, Hex } from "viem";
import { buildBlock, type BuildBlockInput } from "../../src/execution/build.ts";
import { ExecutionError, type ExecutionErrorCode } from "../../src/execution/errors.ts";
import { executeBlock, type ExecuteBlockInput } from "../../src/execution/execute.ts";
import { createGenesis } from "../../src/execution/genesis.ts";
import type { State } from "../../src/execution/state.ts";
import { hashHeader, type Header } from "../../src/protocol/header.ts";
import { INBOX_DEPOSIT, INBOX_FORCED_TX, type InboxEntry } from "../../src/protocol/inbox.ts";
import { ETHER, key, keys, testConfig, type Key } from "./fixtures.ts";

export const ROLLUP: Address = "0x00000000000000000000000000000000000c0ffe";
export const config = testConfig();
export const proposer = key("proposer");
export const [alice, bob, carol] = keys(3) as [Key, Key, Key];
export const totalSupply = (state: State, who: Address[]) => who.reduce((sum, a) => sum + state.getAccount(a).balance, 0n);

export function genesis(balances: [Key, bigint][] = [[alice, ETHER], [bob, ETHER], [carol, ETHER]]) {
  return createGenesis({ config, timestamp: 1_000n, l1Origin: 10n, balances: balances.map(([k, b]) => [k.address, b] as const) });
}

/** BLOCKHASH in these blocks knows the parent only, unless a test gives more. */
const parentOnly = (parent: Header) => {
  const hash = hashHeader(config.chainId, ROLLUP, parent);
  return (n: bigint) => (n === parent.number ? hash : undefined);
};

export function buildOn(parent: Header, state: State, overrides: Partial<BuildBlockInput> = {}) {
  return buildBlock({
    config, parent, parentHash: hashHeader(config.chainId, ROLLUP, parent), blockHashes: parentOnly(parent), state, view: parent.view + 1n,
    timestamp: parent.timestamp + 1n, proposer: proposer.address, l1Origin: parent.l1Origin, l1OriginHash: parent.l1OriginHash, inbox: [], mempool: [], ...overrides,
  });
}

export function executeOn(parent: Header, state: State, block: { header: Header; blockData: Hex }, overrides: Partial<ExecuteBlockInput> = {}) {
  return executeBlock({
    config, parent, parentHash: hashHeader(config.chainId, ROLLUP, parent), blockHashes: parentOnly(parent), state, header: block.header, blockData: block.blockData, inbox: [], ...overrides,
  });
}

export function refusedWith(code: ExecutionErrorCode, run: () => unknown, detail?: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ExecutionError, `expected ExecutionError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (detail) assert.match(e.message, detail);
    return true;
  });
}

export function deposit(index: bigint, recipient: Address, value: bigint, l1Block = 10n): InboxEntry {
  return { index, kind: INBOX_DEPOSIT, sender: carol.address, recipient, value, data: "0x", l1Block };
}
export function forced(index: bigint, raw: Hex, l1Block = 10n): InboxEntry {
  return { index, kind: INBOX_FORCED_TX, sender: carol.address, recipient: "0x0000000000000000000000000000000000000000", value: 0n, data: raw, l1Block };
}
