import assert from "node:assert/strict";
import { test } from "node:test";
import { SecretKey } from "../../../src/crypto/index.ts";
import { popDigest, proposalDigest, timeoutDigest, voteDigest } from "../../../src/protocol/digests.ts";
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
    assert.equal(await harness.read.possession([chainId, committee, key]), popDigest(chainId, committee, key));
  }
});
