/**
 * The member directory (src/node/directory.ts): the config's committee as the genesis bootstrap,
 * then the records L1 gives with each epoch, checked one by one: a malformed key or endpoint from
 * L1 is refused with a log line naming the member, never a crash, and an epoch naming a member
 * whose key was refused is one this node says it cannot follow.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Address, Hex } from "viem";
import { SecretKey } from "../../src/crypto/index.ts";
import { MemberDirectory } from "../../src/node/directory.ts";
import { EpochError, nextEpochStart } from "../../src/node/epochs.ts";
import type { EpochStart } from "../../src/settlement/index.ts";
import { checkEndpoint } from "../../src/settlement/index.ts";

const keys = [0, 1, 2, 3, 4].map((i) => SecretKey.fromSeed(`directory-${i}`));
const fee = (i: number) => `0x${String(i + 1).padStart(40, "0")}` as Address;
const bootstrap = keys.slice(0, 4).map((k, i) => ({ publicKey: k.publicKey, url: `ws://127.0.0.1:${9000 + i}`, feeRecipient: fee(i) }));
const record = (id: number, endpoint: string | undefined, publicKey: Hex = keys[id]!.publicKey.toEip2537()) => ({ memberId: id, publicKey, feeRecipient: fee(id), endpoint });

function directory() {
  const lines: { event: string; fields: Record<string, unknown> }[] = [];
  const d = new MemberDirectory(bootstrap, (_level, event, fields = {}) => lines.push({ event, fields }));
  return { d, lines };
}

const epoch2 = (records: EpochStart["records"], refused: EpochStart["refused"] = []): EpochStart => ({ epoch: 2n, members: [0, 1, 2, 3, 4], l1Block: 50n, records, refused });

describe("member directory", () => {
  test("a member L1 seats is learnt with its key, endpoint and fee recipient; the next epoch can then be followed", () => {
    const { d, lines } = directory();
    let changes = 0;
    d.onChange(() => changes++);
    const start = epoch2([0, 1, 2, 3].map((i) => record(i, undefined)).concat([record(4, "ws://10.0.0.5:7000")]));
    assert.throws(() => nextEpochStart({ epoch: 1n, members: [0, 1, 2, 3] }, [start], (id) => d.has(id)), EpochError, "unknown before its records are taken in");
    assert.equal(d.learnEpochs([start]), true);
    assert.ok(d.get(4)!.publicKey.equals(keys[4]!.publicKey));
    assert.equal(d.get(4)!.url, "ws://10.0.0.5:7000");
    assert.equal(d.get(4)!.feeRecipient, fee(4));
    assert.equal(d.get(0)!.url, "ws://127.0.0.1:9000", "a genesis member L1 has no endpoint for keeps the config's");
    assert.deepEqual(nextEpochStart({ epoch: 1n, members: [0, 1, 2, 3] }, [start], (id) => d.has(id)), { epoch: 2n, members: [0, 1, 2, 3, 4], l1Block: 50n });
    assert.equal(changes, 1);
    assert.ok(lines.some((l) => l.event === "committee.member_learned" && l.fields.memberId === 4));
    assert.equal(d.learnEpochs([start]), false, "an epoch is taken in once");
  });

  test("a key that is not a valid G1 point is refused with a log line; an epoch naming that member cannot be followed", () => {
    const { d, lines } = directory();
    // 128 bytes, but (1, 1) is not on the curve.
    const offCurve = `0x${"00".repeat(63)}01${"00".repeat(63)}01` as Hex;
    const start = epoch2([record(4, "ws://10.0.0.5:7000", offCurve)]);
    d.learnEpochs([start]);
    assert.equal(d.has(4), false);
    const refusal = lines.find((l) => l.event === "committee.record_refused");
    assert.equal(refusal?.fields.memberId, 4);
    assert.equal(refusal?.fields.field, "publicKey");
    assert.match(String(refusal?.fields.error), /not a valid BLS12-381 G1 point/);
    assert.throws(() => nextEpochStart({ epoch: 1n, members: [0, 1, 2, 3] }, [start], (id) => d.has(id)), (e: unknown) => e instanceof EpochError && /member ids 4/.test(e.message));
  });

  test("a key contradicting the one the node holds for that id is refused: the config is not this deployment's", () => {
    const { d, lines } = directory();
    d.learnEpochs([epoch2([record(1, undefined, keys[4]!.publicKey.toEip2537())])]);
    assert.ok(d.get(1)!.publicKey.equals(keys[1]!.publicKey), "the bootstrap key stays");
    assert.match(String(lines.find((l) => l.event === "committee.record_refused")?.fields.error), /not the one this node has/);
  });

  test("a malformed endpoint is refused alone: the member's key is kept, it is just not dialled", () => {
    const { d, lines } = directory();
    const endpoint = "ws://bad host:1";
    const problem = checkEndpoint(endpoint);
    assert.match(String(problem), /not a valid URL/);
    d.learnEpochs([epoch2([record(4, undefined)], [{ memberId: 4, index: 4, field: "endpoint", reason: problem! }])]);
    assert.ok(d.get(4)!.publicKey.equals(keys[4]!.publicKey));
    assert.equal(d.get(4)!.url, undefined);
    assert.ok(lines.some((l) => l.event === "committee.record_refused" && l.fields.field === "endpoint" && l.fields.memberId === 4));
  });

  test("a later epoch moves a member's endpoint", () => {
    const { d, lines } = directory();
    d.learnEpochs([epoch2([record(4, "ws://10.0.0.5:7000")])]);
    d.learnEpochs([{ epoch: 3n, members: [0, 1, 2, 4], l1Block: 80n, records: [record(4, "ws://10.0.0.6:7000")], refused: [] }]);
    assert.equal(d.get(4)!.url, "ws://10.0.0.6:7000");
    assert.ok(lines.some((l) => l.event === "committee.endpoint_changed" && l.fields.url === "ws://10.0.0.6:7000"));
  });

  test("endpoints: ws:// and wss:// URLs with a host pass; anything else is named", () => {
    assert.equal(checkEndpoint("ws://127.0.0.1:9000"), undefined);
    assert.equal(checkEndpoint("wss://member.example:443/p2p"), undefined);
    for (const bad of ["http://127.0.0.1:9000", "ws://", "ws://user:pw@host:1", "ws:// spaced"]) assert.notEqual(checkEndpoint(bad), undefined, bad);
  });
});
