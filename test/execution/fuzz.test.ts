/**
 * Hostile input never crashes a member: random mutations of valid transactions and block data
 * either decode or are refused with an ExecutionError, never with anything else (a TypeError or
 * a library's own error escaping would take down the RPC worker or the validation callback).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { decodeBlockData, encodeBlockData } from "../../src/execution/blockData.ts";
import { ExecutionError } from "../../src/execution/errors.ts";
import { decodeTransaction } from "../../src/execution/transaction.ts";
import { key, randomBytes, seededRandom, signTransaction, testConfig } from "./fixtures.ts";

const rules = testConfig();
const alice = key("alice");
const samples: Hex[] = [
  signTransaction(alice, { type: "legacy", value: 10n ** 18n }),
  signTransaction(alice, { type: "eip2930", nonce: 300n }),
  signTransaction(alice, { type: "eip1559", nonce: 70000n, value: 12345678901234567890n }),
];

function mutate(random: () => number, raw: Hex): Hex {
  const bytes = Array.from(hexToBytes(raw));
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * bytes.length);
    const r = random();
    if (r < 0.5) bytes[at] = Math.floor(random() * 256);
    else if (r < 0.7) bytes.splice(at, 1);
    else if (r < 0.85) bytes.splice(at, 0, Math.floor(random() * 256));
    else bytes.length = at;
  }
  return bytesToHex(Uint8Array.from(bytes));
}

function onlyExecutionErrors(run: () => unknown, context: string): "ok" | "refused" {
  try {
    run();
    return "ok";
  } catch (error) {
    assert.ok(error instanceof ExecutionError, `${context}: ${String(error)}`);
    return "refused";
  }
}

describe("fuzz", () => {
  test("2,000 mutated transactions: decoded or refused with an ExecutionError", () => {
    const seed = 0xf022;
    const random = seededRandom(seed);
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 2_000; i++) {
      const raw = mutate(random, samples[i % samples.length]!);
      outcomes[onlyExecutionErrors(() => decodeTransaction(raw, rules), `seed ${seed}, case ${i}, ${raw}`)]++;
    }
    assert.ok(outcomes.refused > 1_500, JSON.stringify(outcomes));
  });

  test("random bytes behind each type byte: refused with an ExecutionError", () => {
    const seed = 0xf023;
    const random = seededRandom(seed);
    for (let i = 0; i < 600; i++) {
      const prefix = [0x01, 0x02, 0xc0 + Math.floor(random() * 64)][i % 3]!;
      const raw = bytesToHex(Uint8Array.of(prefix, ...randomBytes(random, Math.floor(random() * 200))));
      assert.equal(onlyExecutionErrors(() => decodeTransaction(raw, rules), `seed ${seed}, case ${i}, ${raw}`), "refused");
    }
  });

  test("mutated block data: decoded or refused with an ExecutionError", () => {
    const seed = 0xf024;
    const random = seededRandom(seed);
    const blockData = encodeBlockData(samples);
    for (let i = 0; i < 1_000; i++) {
      const data = mutate(random, blockData);
      onlyExecutionErrors(() => decodeBlockData(data, 100), `seed ${seed}, case ${i}, ${data}`);
    }
  });
});
