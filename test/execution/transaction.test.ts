import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keccak256, parseGwei, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ExecutionError, type ExecutionErrorCode } from "../../src/execution/errors.ts";
import { decodeTransaction } from "../../src/execution/transaction.ts";
import { CHAIN_ID, key, signTransaction, testConfig, type TxFields } from "./fixtures.ts";

const rules = testConfig();
const alice = key("alice");

function refuses(raw: Hex, code: ExecutionErrorCode, detail?: RegExp): void {
  assert.throws(
    () => decodeTransaction(raw, rules),
    (e: unknown) => {
      assert.ok(e instanceof ExecutionError, `expected ExecutionError, got ${String(e)}`);
      assert.equal(e.code, code, e.message);
      if (detail) assert.match(e.message, detail);
      return true;
    },
  );
}
const refusesFields = (fields: TxFields, code: ExecutionErrorCode, detail?: RegExp) => refuses(signTransaction(alice, fields), code, detail);

describe("decodeTransaction accepts the three payment envelopes", () => {
  for (const type of ["legacy", "eip2930", "eip1559"] as const) {
    test(`${type}: sender recovered, hash = keccak(raw), fields decoded`, () => {
      const raw = signTransaction(alice, { type, nonce: 7n, value: 12345n, to: "0x00000000000000000000000000000000000000AB" });
      const tx = decodeTransaction(raw, rules);
      assert.equal(tx.from, alice.address);
      assert.equal(tx.hash, keccak256(raw));
      assert.equal(tx.type, type);
      assert.equal(tx.nonce, 7n);
      assert.equal(tx.value, 12345n);
      assert.equal(tx.to, "0x00000000000000000000000000000000000000ab");
      assert.equal(tx.chainId, CHAIN_ID);
      assert.equal(tx.maxFeePerGas, 2n * 10n ** 9n);
      assert.equal(tx.maxPriorityFeePerGas, type === "eip1559" ? 10n ** 9n : 2n * 10n ** 9n);
    });
  }

  test("a transaction signed by viem's own account signer (what wallets send) decodes to its signer", async () => {
    const account = privateKeyToAccount(alice.privateKey);
    const raw = await account.signTransaction({
      chainId: Number(CHAIN_ID), type: "eip1559", to: alice.address, value: 1n, nonce: 0, gas: 21_000n,
      maxFeePerGas: parseGwei("3"), maxPriorityFeePerGas: parseGwei("1"),
    });
    assert.equal(decodeTransaction(raw, rules).from, alice.address);
    const legacy = await account.signTransaction({ chainId: Number(CHAIN_ID), type: "legacy", to: alice.address, value: 1n, nonce: 0, gas: 21_000n, gasPrice: parseGwei("3") });
    assert.equal(decodeTransaction(legacy, rules).from, alice.address);
  });
});

describe("decodeTransaction refuses, each with its own code", () => {
  test("INVALID_ENCODING: not hex, empty, garbage, oversized, trailing bytes", () => {
    refuses("0xzz" as Hex, "INVALID_ENCODING", /not hex/);
    refuses("0x", "INVALID_ENCODING");
    refuses("0x02c0", "INVALID_ENCODING", /does not decode/);
    refuses(`0x02${"00".repeat(131_072)}`, "INVALID_ENCODING", /too large: 131073 bytes/);
    refuses(`${signTransaction(alice)}00` as Hex, "INVALID_ENCODING");
  });

  test("INVALID_ENCODING: an integer with a leading zero byte (same transfer, second hash)", () => {
    refusesFields({ valueHex: "0x0001" }, "INVALID_ENCODING", /not canonical/);
  });

  test("UNSUPPORTED_TYPE: blob (0x03) and set-code (0x04) transactions", () => {
    refuses("0x03c0", "UNSUPPORTED_TYPE", /type 0x03/);
    refuses("0x04c0", "UNSUPPORTED_TYPE", /type 0x04/);
  });

  test("MISSING_CHAIN_ID: legacy without EIP-155", () => refusesFields({ type: "legacy", chainId: null }, "MISSING_CHAIN_ID", /expected chain id 901/));
  test("WRONG_CHAIN_ID: signed for another chain", () => {
    refusesFields({ chainId: 1n }, "WRONG_CHAIN_ID", /expected 901, got 1/);
    refusesFields({ type: "legacy", chainId: 5n }, "WRONG_CHAIN_ID", /expected 901, got 5/);
  });
  test("INVALID_SIGNATURE: r is not the x of a curve point, or r = 0", () => {
    refusesFields({ r: 5n }, "INVALID_SIGNATURE");
    refusesFields({ r: 0n }, "INVALID_SIGNATURE");
  });
  test("HIGH_S: the malleated twin of a valid signature", () => refusesFields({ highS: true }, "HIGH_S", /upper half/));
  test("INITCODE_TOO_LARGE: a creation with more than 49,152 bytes of init code (EIP-3860)", () =>
    refusesFields({ to: "0x", data: `0x${"01".repeat(49_153)}`, gas: 30_000_000n }, "INITCODE_TOO_LARGE", /49153 bytes/));
  test("INTRINSIC_GAS_TOO_LOW: gas limit under 21,000, under a creation's or data's intrinsic gas, or under the EIP-7623 floor", () => {
    refusesFields({ gas: 20_999n }, "INTRINSIC_GAS_TOO_LOW", /gas limit 20999, this transaction needs at least 21000/);
    // 53,000 + 2 (one init code word) + 16 x 2 non-zero + 4 x 2 zero bytes
    refusesFields({ to: "0x", data: "0x60006000", gas: 53_041n }, "INTRINSIC_GAS_TOO_LOW", /needs at least 53042/);
    // EIP-2930: 2,400 per address, 1,900 per key
    refusesFields({ type: "eip2930", accessList: [["0x00000000000000000000000000000000000000b0", [`0x${"00".repeat(32)}`]]], gas: 25_299n }, "INTRINSIC_GAS_TOO_LOW", /needs at least 25300/);
    // EIP-7623: 100 non-zero bytes cost 21,000 + 1,600 intrinsic, but the floor is 21,000 + 4,000
    refusesFields({ data: `0x${"ff".repeat(100)}`, gas: 24_999n }, "INTRINSIC_GAS_TOO_LOW", /needs at least 25000/);
  });
  test("GAS_LIMIT_TOO_HIGH: gas limit over the block's", () => refusesFields({ gas: 30_000_001n }, "GAS_LIMIT_TOO_HIGH", /block limit 30000000/));
  test("TIP_ABOVE_FEE_CAP: max priority fee over max fee", () =>
    refusesFields({ maxFeePerGas: 10n, maxPriorityFeePerGas: 11n }, "TIP_ABOVE_FEE_CAP"));

  test("a mutated byte breaks the signature: another sender, not an error (so the nonce/funds checks catch it)", () => {
    const raw = signTransaction(alice, { value: 1000n });
    const tampered = raw.replace(/03e8/, "03e9") as Hex;
    assert.notEqual(tampered, raw);
    assert.notEqual(decodeTransaction(tampered, rules).from, alice.address);
  });
});

describe("decodeTransaction accepts contract transactions", () => {
  test("a creation (no `to`), call data and an access list, with their fields", () => {
    const creation = decodeTransaction(signTransaction(alice, { to: "0x", data: "0x6001600055", gas: 100_000n }), testConfig());
    assert.equal(creation.to, null);
    assert.equal(creation.data, "0x6001600055");
    const key = `0x${"00".repeat(31)}01` as Hex;
    const call = decodeTransaction(signTransaction(alice, { type: "eip2930", data: "0xA9059CBB", gas: 30_000n, accessList: [["0x00000000000000000000000000000000000000B0", [key]]] }), testConfig());
    assert.equal(call.data, "0xa9059cbb");
    assert.deepEqual(call.accessList, [{ address: "0x00000000000000000000000000000000000000b0", storageKeys: [key] }]);
    assert.equal(decodeTransaction(signTransaction(alice, { type: "legacy", data: "0x00", gas: 21_010n }), testConfig()).data, "0x00");
  });
});
