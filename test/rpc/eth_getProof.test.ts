/**
 * eth_getProof (src/rpc/methods/eth_getProof.ts) against the execution-apis result schema
 * (test/vectors/execution-apis-eth_getProof.json, copied from ethereum/execution-apis), and its
 * accountProof checked where the escape hatch checks it: on L1, by contracts/escape/AccountProof.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { bytesToHex, type Address } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { MemoryState } from "../../src/execution/state.ts";
import type { RpcContext } from "../../src/rpc/context.ts";
import { eth_getProof } from "../../src/rpc/methods/eth_getProof.ts";
import { seededBytes, testSeed } from "../fixtures/random.ts";
import { schemaErrors } from "../support/json-schema.ts";

const spec = JSON.parse(readFileSync(new URL("../vectors/execution-apis-eth_getProof.json", import.meta.url), "utf8"));
const resultSchema = spec.method.result.schema;
const schemas = spec.components.schemas;

const SEED = testSeed();
const addresses: Address[] = Array.from({ length: 40 }, (_, i) => privateKeyToAddress(bytesToHex(seededBytes(SEED, `proof-key/${i}`, 32))));
const state = MemoryState.fromAccounts(addresses.slice(0, 30).map((a, i) => [a, { nonce: BigInt(i), balance: 10n ** 18n * BigInt(i + 1) }] as const));
/** A member whose committed head is block 7, with `state` as its state. */
const ctx = { committedHeight: () => 7n, finality: () => undefined, proveAccount: (a: Address) => state.proveAccount(a) } as unknown as RpcContext;

const { viem } = await network.create();
const harness = await viem.deployContract("EscapeHarness");

describe(`eth_getProof (seed ${SEED})`, () => {
  test("answers validate against the execution-apis AccountProof schema: present and absent accounts, storage keys", () => {
    for (const [address, keys] of [
      [addresses[3]!, []],
      [addresses[35]!, []],
      [addresses[0]!.toLowerCase(), [`0x${"00".repeat(32)}`, "0x0", `0x${"AB".repeat(32)}`]],
    ] as const) {
      const answer = eth_getProof([address, keys, "latest"], ctx);
      assert.deepEqual(schemaErrors(answer, resultSchema, schemas), [], `${address} ${JSON.stringify(keys)}`);
    }
  });

  test("its accountProof proves the balance on L1 (contracts/escape/AccountProof), present or absent", async () => {
    for (const i of [0, 12, 29, 33]) {
      const answer = eth_getProof([addresses[i]!, [], "latest"], ctx) as { balance: string; nonce: string; accountProof: `0x${string}`[] };
      const proven = await harness.read.account([state.stateRoot(), addresses[i]!, answer.accountProof]);
      assert.equal(proven.balance, BigInt(answer.balance), `account ${i}`);
      assert.equal(proven.nonce, BigInt(answer.nonce), `account ${i}`);
      assert.equal(proven.exists, i < 30);
    }
  });
});
