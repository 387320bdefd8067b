import assert from "node:assert/strict";
import { test } from "node:test";
import { SecretKey } from "../../../src/crypto/index.ts";
import { popDigest, proposalDigest, timeoutDigest, voteDigest } from "../../../src/protocol/digests.ts";

const POP_VECTOR = "0x342fe8a67ff91a6b1ba4491b897061af1895c00f4a07edd82eb7429b9bbb5c0a";
import { rng } from "../fixtures.ts";
import { harness, SEED } from "./harness.ts";

test(`vote, proposal and timeout digests agree for random domains and views (seed ${SEED})`, async () => {
  const r = rng(`${SEED}/1`);
  for (let i = 0; i < 20; i++) {
    const domain = { chainId: r.uint(32), rollup: r.address(), epoch: r.uint(16) };
    const view = r.uint();
    const blockHash = r.bytes32();
    const args = [domain.chainId, domain.rollup, domain.epoch, view] as const;
    assert.equal(await harness.read.vote([...args, blockHash]), voteDigest(domain, view, blockHash), `vote ${i}`);
    assert.equal(await harness.read.proposal([...args, blockHash]), proposalDigest(domain, view, blockHash), `proposal ${i}`);
    const highQcView = r.uint();
    assert.equal(await harness.read.timeout([...args, highQcView]), timeoutDigest(domain, view, highQcView), `timeout ${i}`);
  }
});

test("proof-of-possession digests agree", async () => {
  const r = rng(`${SEED}/2`);
  for (let i = 0; i < 5; i++) {
    const key = SecretKey.fromSeed(`pop-${i}`).publicKey.toEip2537();
    const chainId = r.uint(32);
    const committee = r.address();
    const operator = r.address();
    assert.equal(await harness.read.possession([chainId, committee, operator, key]), popDigest(chainId, committee, operator, key));
  }
});

test("proof-of-possession digest: a fixed vector both sides must produce", async () => {
  // keccak256(abi.encode(keccak256("hotstuff-rollup:pop:v2"), 901, committee, operator, key)) for
  // the key of seed "pop-vector": pinned so that neither side can drift with the other.
  const key = SecretKey.fromSeed("pop-vector").publicKey.toEip2537();
  const committee = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const operator = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  const expected = POP_VECTOR;
  assert.equal(popDigest(901n, committee, operator, key), expected);
  assert.equal(await harness.read.possession([901n, committee, operator, key]), expected);
});
