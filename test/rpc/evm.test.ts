/**
 * The RPC methods that need the EVM or contract state (eth_call, eth_estimateGas, eth_getCode,
 * eth_getStorageAt, eth_getProof's storage proofs), against a committed state holding the test
 * contracts (test/fixtures/evm), through a context that simulates the way the node's does.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeFunctionResult, encodeFunctionData, getContractAddress, keccak256, toHex, zeroHash, type Address, type Hex } from "viem";
import { simulateEvmTransaction } from "../../src/execution/evmBridge.ts";
import { verifyStorageProof } from "../../src/execution/proof.ts";
import { MemoryState } from "../../src/execution/state.ts";
import { overrideState } from "../../src/execution/stateOverride.ts";
import type { RpcContext } from "../../src/rpc/context.ts";
import { RpcError } from "../../src/rpc/errors.ts";
import { eth_call } from "../../src/rpc/methods/eth_call.ts";
import { eth_estimateGas } from "../../src/rpc/methods/eth_estimateGas.ts";
import { eth_getCode } from "../../src/rpc/methods/eth_getCode.ts";
import { eth_getProof } from "../../src/rpc/methods/eth_getProof.ts";
import { eth_getStorageAt } from "../../src/rpc/methods/eth_getStorageAt.ts";
import { alice, bob, buildOn, config, genesis } from "../execution/chain.ts";
import { callData, compiled, deployData, deployStoreAndToken, STORE, TOKEN } from "../execution/contracts.ts";
import { transfer } from "../execution/fixtures.ts";

const g = genesis();
const [store, token] = [STORE, TOKEN];
const built = deployStoreAndToken(g, 5n);
g.state.commit(built.changes);
const head = built.header;

const ctx = {
  committedHeight: () => head.number,
  oldestState: () => head.number, // this fake keeps the head's state only
  finality: () => undefined,
  blockGasLimit: config.blockGasLimit,
  account: (a: Address) => g.state.getAccount(a.toLowerCase() as Address),
  code: (a: Address) => toHex(g.state.getCode(a.toLowerCase() as Address)),
  storage: (a: Address, slot: Hex) => g.state.getStorage(a.toLowerCase() as Address, slot),
  proveAccount: (a: Address, slots?: readonly Hex[]) => g.state.proveAccount(a, slots),
  simulate: (tx, _at, overrides = new Map()) => simulateEvmTransaction(overrideState(g.state.snapshot(), overrides), () => undefined, tx, { chainId: config.chainId, number: head.number, timestamp: head.timestamp, coinbase: head.proposer, baseFee: tx.maxFeePerGas === 0n ? 0n : head.baseFee, gasLimit: config.blockGasLimit }, { simulate: true }),
} as Partial<RpcContext> as RpcContext;

const rpcError = (code: number, message?: RegExp, data?: Hex) => (e: unknown) => {
  assert.ok(e instanceof RpcError, String(e));
  assert.equal(e.code, code, e.message);
  if (message !== undefined) assert.match(e.message, message);
  if (data !== undefined) assert.equal(e.data, data);
  return true;
};

describe("eth_call", () => {
  test("reads a view function at latest, pending and the head's number", async () => {
    for (const tag of ["latest", "pending", toHex(head.number)]) {
      const out = (await eth_call([{ to: token, data: callData("Token", "balanceOf", [alice.address]) }, tag], ctx)) as Hex;
      assert.equal(decodeFunctionResult({ abi: compiled.Token.abi, functionName: "balanceOf", data: out }), 1000n);
    }
  });

  test("runs a state-changing call without committing it, and a creation returning the runtime code", async () => {
    const out = (await eth_call([{ from: alice.address, to: token, data: callData("Token", "transfer", [bob.address, 1n]) }], ctx)) as Hex;
    assert.equal(decodeFunctionResult({ abi: compiled.Token.abi, functionName: "transfer", data: out }), true);
    assert.equal(g.state.getStorage(token, keccak256(`0x${bob.address.slice(2).padStart(64, "0")}${"0".repeat(64)}` as Hex)), 0n);
    const runtime = (await eth_call([{ from: bob.address, data: deployData("Store", [1n]) }], ctx)) as Hex;
    assert.equal(runtime, toHex(g.state.getCode(store)));
  });

  test("a revert is error 3 'execution reverted: <reason>' with the revert data, as geth answers", async () => {
    const data = callData("Token", "transfer", [alice.address, 1n]);
    const expected = encodeFunctionData({ abi: [{ type: "function", name: "Error", inputs: [{ type: "string" }], outputs: [] }], functionName: "Error", args: ["insufficient balance"] });
    await assert.rejects(eth_call([{ from: bob.address, to: token, data }], ctx) as Promise<unknown>, rpcError(3, /^execution reverted: insufficient balance$/, expected));
  });

  test("a call reads the state as of its start: a block committed while it runs does not show through", async () => {
    const state = MemoryState.fromAccounts([[store, { ...g.state.getAccount(store), code: g.state.getCode(store), storage: new Map([[zeroHash, 5n]]) }]]);
    const snapshot = state.snapshot();
    const call = { type: "eip1559", from: bob.address, to: store, nonce: 0n, value: 0n, gasLimit: 100_000n, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, data: callData("Store", "value"), accessList: [] } as const;
    const running = simulateEvmTransaction(snapshot, () => undefined, call, { chainId: config.chainId, number: head.number, timestamp: head.timestamp, coinbase: head.proposer, baseFee: 0n, gasLimit: config.blockGasLimit }, { simulate: true });
    state.commit(new Map([[store, { ...state.getAccount(store), storage: new Map([[zeroHash, 7n]]) }]]));
    assert.equal(state.getStorage(store, zeroHash), 7n);
    assert.equal(snapshot.getStorage(store, zeroHash), 5n, "a snapshot keeps its values after a commit");
    assert.deepEqual(snapshot.getAccount(store), state.getAccount(store));
    assert.deepEqual(snapshot.getCode(store), state.getCode(store));
    const outcome = await running;
    assert.equal(outcome.kind === "executed" && BigInt(outcome.returnData), 5n);
  });

  test("out of gas is -32000; gas under the intrinsic gas and an older block are refused before running", async () => {
    await assert.rejects(eth_call([{ to: store, data: callData("Store", "spin"), gas: "0x186a0" }], ctx) as Promise<unknown>, rpcError(-32000, /out of gas/));
    await assert.rejects(eth_call([{ to: store, data: callData("Store", "set", [1n]), gas: "0x5208" }], ctx) as Promise<unknown>, rpcError(-32000, /intrinsic gas too low/));
    await assert.rejects(eth_call([{ to: store, data: callData("Store", "value") }, "0x0"], ctx) as Promise<unknown>, rpcError(-32001, /not kept/));
  });
});

describe("eth_estimateGas", () => {
  test("a transfer is 21,000; a call or creation gets a limit it succeeds with, and not much more", async () => {
    assert.equal(await eth_estimateGas([{ from: alice.address, to: bob.address, value: "0x1" }], ctx), "0x5208");
    for (const request of [
      { from: alice.address, to: token, data: callData("Token", "transfer", [bob.address, 5n]) },
      { from: alice.address, to: store, data: callData("Store", "set", [0n]) },
      { from: alice.address, data: deployData("Token", [7n]) },
    ]) {
      const estimate = BigInt((await eth_estimateGas([request], ctx)) as Hex);
      const run = (gasLimit: bigint) => ctx.simulate({ type: "eip1559", from: alice.address, to: (request.to as Address | undefined) ?? null, nonce: 0n, value: 0n, gasLimit, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n, data: request.data, accessList: [] });
      const at = await run(estimate);
      assert.equal(at.kind === "executed" && at.status, "success", `${estimate} is enough`);
      const under = await run((estimate * 98n) / 100n);
      assert.equal(under.kind === "executed" && under.status, "reverted", `2% under ${estimate} is not (geth's 1.5% tolerance)`);
    }
  });

  test("a reverting transaction is refused with the revert reason", async () => {
    await assert.rejects(eth_estimateGas([{ from: bob.address, to: token, data: callData("Token", "transfer", [alice.address, 1n]) }], ctx) as Promise<unknown>, rpcError(3, /insufficient balance/));
  });
});

describe("state overrides (eth_call's and eth_estimateGas' third parameter, as geth)", () => {
  const word = (n: bigint) => toHex(n, { size: 32 });
  const balanceSlot = (who: Address) => keccak256(`0x${who.slice(2).padStart(64, "0")}${"0".repeat(64)}` as Hex);
  const balanceOf = async (who: Address, overrides?: unknown) =>
    decodeFunctionResult({ abi: compiled.Token.abi, functionName: "balanceOf", data: (await eth_call([{ to: token, data: callData("Token", "balanceOf", [who]) }, "latest", overrides], ctx)) as Hex });

  test("stateDiff changes the named slots and keeps the others; state replaces the whole storage", async () => {
    assert.equal(await balanceOf(bob.address, { [token]: { stateDiff: { [balanceSlot(bob.address)]: word(77n) } } }), 77n);
    assert.equal(await balanceOf(alice.address, { [token]: { stateDiff: { [balanceSlot(bob.address)]: word(77n) } } }), 1000n, "other slots as they are");
    assert.equal(await balanceOf(alice.address, { [token]: { state: { [balanceSlot(bob.address)]: word(77n) } } }), 0n, "state: every other slot reads 0");
    assert.equal(await balanceOf(alice.address), 1000n, "nothing was written");
    assert.equal(g.state.getStorage(token, balanceSlot(bob.address)), 0n);
  });

  test("code at another address, a balance that pays for the call, a nonce", async () => {
    const elsewhere = "0x00000000000000000000000000000000000000c0" as Address;
    const runtime = toHex(g.state.getCode(store));
    const value = await eth_call([{ to: elsewhere, data: callData("Store", "value") }, "latest", { [elsewhere]: { code: runtime, state: { [zeroHash]: word(9n) } } }], ctx);
    assert.equal(BigInt(value as Hex), 9n);
    const poor = "0x00000000000000000000000000000000000000c1" as Address;
    const send = { from: poor, to: bob.address, value: "0xde0b6b3a7640000" };
    await assert.rejects(eth_call([send, "latest"], ctx) as Promise<unknown>, rpcError(-32000, /insufficient funds/));
    assert.equal(await eth_call([send, "latest", { [poor]: { balance: "0xde0b6b3a7640000" } }], ctx), "0x");
    assert.equal(await eth_estimateGas([send, "latest", { [poor]: { balance: "0xde0b6b3a7640000", nonce: "0x5" } }], ctx), "0x5208");
  });

  test("refusals name the field: both state and stateDiff, a short slot, an unknown field, a bad address", async () => {
    const call = { to: token, data: callData("Token", "totalSupply") };
    for (const [overrides, message] of [
      [{ [token]: { state: {}, stateDiff: {} } }, /has both state and stateDiff/],
      [{ [token]: { stateDiff: { "0x01": word(1n) } } }, /stateDiff key 0x01 must be a 32-byte 0x slot/],
      [{ [token]: { stateDiff: { [zeroHash]: "0x1" } } }, /must be a 32-byte 0x value/],
      [{ [token]: { movePrecompileToAddress: bob.address } }, /movePrecompileToAddress is not a known field/],
      [{ "0x1234": { balance: "0x1" } }, /stateOverrides key must be a 20-byte 0x address/],
      [[], /stateOverrides must be an object keyed by address/],
    ] as const) {
      await assert.rejects(eth_call([call, "latest", overrides], ctx) as Promise<unknown>, rpcError(-32602, message));
    }
  });
});

describe("contract state", () => {
  test("eth_getCode and eth_getStorageAt read the head's code and slots (positions as quantities or 32 bytes)", () => {
    assert.equal(eth_getCode([store, "latest"], ctx), toHex(g.state.getCode(store)));
    assert.ok((eth_getCode([store], ctx) as Hex).length > 2);
    assert.equal(eth_getCode([bob.address], ctx), "0x");
    assert.equal(eth_getStorageAt([store, "0x0", "latest"], ctx), toHex(5n, { size: 32 }));
    assert.equal(eth_getStorageAt([store, zeroHash], ctx), toHex(5n, { size: 32 }));
    assert.equal(eth_getStorageAt([store, "0x1"], ctx), zeroHash);
    assert.throws(() => eth_getStorageAt([store, "0x0", "0x0"], ctx), rpcError(-32001));
  });

  test("eth_getProof's storage proofs verify against the head's state root", () => {
    const supplySlot = "0x1";
    const holderSlot = keccak256(`0x${alice.address.slice(2).padStart(64, "0")}${"0".repeat(64)}` as Hex);
    const proof = eth_getProof([token, [supplySlot, holderSlot, "0x9"], "latest"], ctx) as { accountProof: Hex[]; storageHash: Hex; storageProof: { key: Hex; value: Hex; proof: Hex[] }[] };
    assert.deepEqual(proof.storageProof.map((p) => [p.key, p.value]), [[supplySlot, "0x3e8"], [holderSlot, "0x3e8"], ["0x9", "0x0"]]);
    for (const p of proof.storageProof) {
      const slot = `0x${p.key.slice(2).padStart(64, "0")}` as Hex;
      assert.equal(verifyStorageProof(head.stateRoot, token, proof.accountProof, slot, p.proof), BigInt(p.value));
    }
  });
});
