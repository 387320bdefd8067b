/**
 * The wire codec: every message kind round-trips; anything malformed is refused with a
 * ConsensusError("MALFORMED_MESSAGE") that names the field, and nothing else is ever thrown.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { keccak256 } from "viem";
import { ConsensusError, decodeEvidence, decodeMessage, encodeEvidence, encodeMessage, hashBlock, type Message, type Proposal, type QC, type TC } from "../../src/consensus/index.ts";
import { proposalDigest, timeoutDigest, voteDigest } from "../../src/protocol/digests.ts";
import { Random, SIM_DOMAIN } from "../../src/sim/index.ts";
import { committee, genesis, genesisHash } from "../support/fixtures.ts";

const c = committee(4);
const v = c.verifier;
const genesisQc: QC = { view: 0n, blockHash: genesisHash, signers: 0n, signature: null };
const tc: TC = {
  view: 1n,
  signers: 0b0111n,
  highQcViews: [0n, 0n, 0n],
  signature: v.aggregate([0, 1, 2].map((m) => c.signers[m]!.sign(timeoutDigest(SIM_DOMAIN, 1n, 0n)))),
  highQc: genesisQc,
};
const block = { header: { ...genesis.header, number: 1n, view: 2n, parentHash: genesisHash, dataHash: keccak256("0xbeef") }, justify: genesisQc, payload: "0xbeef" as const };
const blockHash = hashBlock(SIM_DOMAIN, block);
const proposal: Proposal = { block, proposer: 2, signature: c.signers[2]!.sign(proposalDigest(SIM_DOMAIN, 2n, blockHash)), tc };
const qc: QC = { view: 2n, blockHash, signers: 0b1110n, signature: v.aggregate([1, 2, 3].map((m) => c.signers[m]!.sign(voteDigest(SIM_DOMAIN, 2n, blockHash)))) };

const messages: Message[] = [
  { kind: "proposal", proposal },
  { kind: "vote", vote: { view: 2n, blockHash, signer: 3, signature: c.signers[3]!.sign(voteDigest(SIM_DOMAIN, 2n, blockHash)) } },
  { kind: "timeout", timeout: { view: 3n, highQc: qc, signer: 0, signature: c.signers[0]!.sign(timeoutDigest(SIM_DOMAIN, 3n, 2n)) } },
  {
    kind: "timeout",
    timeout: { view: 3n, highQc: qc, signer: 0, signature: c.signers[0]!.sign(timeoutDigest(SIM_DOMAIN, 3n, 2n)) },
    seen: { blockHash, signature: proposal.signature },
  },
  { kind: "tc", tc },
  { kind: "qc", qc },
  { kind: "sync-request", blockHash, limit: 16, above: 0n },
  { kind: "sync-response", proposals: [proposal] },
];

const text = (m: Message) => new TextDecoder().decode(encodeMessage(m));
const bytes = (s: string) => new TextEncoder().encode(s);
const refuse = (input: string | Uint8Array, field: RegExp) =>
  assert.throws(
    () => decodeMessage(typeof input === "string" ? bytes(input) : input, v),
    (e: unknown) => e instanceof ConsensusError && e.code === "MALFORMED_MESSAGE" && field.test(e.message),
  );

describe("codec", () => {
  test("every message kind round-trips to the same bytes", () => {
    for (const m of messages) {
      const encoded = encodeMessage(m);
      const decoded = decodeMessage(encoded, v);
      assert.equal(decoded.kind, m.kind);
      assert.deepEqual(encodeMessage(decoded), encoded);
    }
  });

  test("a decoded proposal keeps its block hash and its signatures verify", () => {
    const decoded = decodeMessage(encodeMessage(messages[0]!), v);
    assert.ok(decoded.kind === "proposal");
    assert.equal(hashBlock(SIM_DOMAIN, decoded.proposal.block), blockHash);
    assert.ok(v.verify(2, proposalDigest(SIM_DOMAIN, 2n, blockHash), decoded.proposal.signature));
  });

  test("refuses what is not JSON, or not UTF-8", () => {
    refuse("{", /not UTF-8 JSON/);
    refuse(new Uint8Array([0x7b, 0xff, 0x7d]), /not UTF-8 JSON/);
    refuse("null", /message.kind/);
  });

  test("refuses unknown kinds, unknown fields and missing fields", () => {
    refuse(`{"kind":"gossip"}`, /unknown message kind/);
    const vote = JSON.parse(text(messages[1]!));
    refuse(JSON.stringify({ ...vote, extra: 1 }), /message\.extra: unknown field/);
    delete vote.vote.signature;
    refuse(JSON.stringify(vote), /vote\.signature: missing field/);
  });

  test("refuses malformed numbers, hashes, members and signatures, naming the field", () => {
    const vote = () => JSON.parse(text(messages[1]!));
    const with_ = (f: (m: { vote: Record<string, unknown> }) => void) => {
      const m = vote();
      f(m);
      return JSON.stringify(m);
    };
    refuse(with_((m) => (m.vote.view = "0x02")), /vote\.view: .*uint256/);
    refuse(with_((m) => (m.vote.view = 2)), /vote\.view/);
    refuse(with_((m) => (m.vote.blockHash = "0x1234")), /vote\.blockHash: expected a 32-byte/);
    refuse(with_((m) => (m.vote.signer = 4)), /vote\.signer: expected an integer in \[0, 3\]/);
    refuse(with_((m) => (m.vote.signer = 1.5)), /vote\.signer/);
    refuse(with_((m) => (m.vote.signature = `0x${"11".repeat(96)}`)), /vote\.signature: invalid signature/);
    refuse(with_((m) => (m.vote.signature = "0x")), /vote\.signature: invalid signature/);
  });

  test("refuses oversized sync requests and answers", () => {
    refuse(JSON.stringify({ kind: "sync-request", blockHash, limit: 100000, above: "0x0" }), /limit/);
    const p = JSON.parse(text(messages[0]!)).proposal;
    refuse(JSON.stringify({ kind: "sync-response", proposals: Array.from({ length: 129 }, () => p) }), /proposals: more than 128/);
  });

  test("evidence round-trips and refuses a non-canonical pair", () => {
    const other = keccak256("0x01");
    const [a, b] = BigInt(blockHash) < BigInt(other) ? [blockHash, other] : [other, blockHash];
    const e = {
      kind: "vote" as const,
      view: 2n,
      signer: 3,
      blockHashA: a,
      signatureA: c.signers[3]!.sign(voteDigest(SIM_DOMAIN, 2n, a)),
      blockHashB: b,
      signatureB: c.signers[3]!.sign(voteDigest(SIM_DOMAIN, 2n, b)),
    };
    const decoded = decodeEvidence(encodeEvidence(e), v);
    assert.deepEqual(encodeEvidence(decoded), encodeEvidence(e));
    assert.ok(v.verify(3, voteDigest(SIM_DOMAIN, 2n, decoded.blockHashB), decoded.signatureB));
    const swapped = { ...e, blockHashA: b, blockHashB: a };
    assert.throws(() => decodeEvidence(encodeEvidence(swapped), v), (x: unknown) => x instanceof ConsensusError && /canonical order/.test(x.message));
  });

  test("random corruption of valid messages is refused with a ConsensusError, never a crash", () => {
    const random = new Random(42);
    for (const m of messages.filter((x) => x.kind !== "proposal" && x.kind !== "sync-response")) {
      const good = text(m);
      for (let i = 0; i < 40; i++) {
        const chars = [...good];
        const at = random.int(0, chars.length - 1);
        chars[at] = String.fromCharCode(random.int(32, 126));
        const corrupted = chars.join("");
        try {
          decodeMessage(bytes(corrupted), v);
        } catch (e) {
          assert.ok(e instanceof ConsensusError, `threw ${String(e)} for ${corrupted}`);
        }
      }
    }
  });
});
