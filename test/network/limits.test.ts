/**
 * What one peer may cost on the wire: oversized frames (counted, the link heals), a byte rate per
 * member index that throttles without losing frames and survives reconnects, a bound on what we
 * buffer for a peer that stops reading, and a frame limit above every legitimate message.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { encodeMessage, MAX_PAYLOAD_BYTES, type Proposal, type QC } from "../../src/consensus/index.ts";
import { DEFAULT_BURST_BYTES, DEFAULT_MAX_MESSAGE_BYTES, type Network } from "../../src/network/index.ts";
import { encodeConsensusEnvelope } from "../../src/node/envelope.ts";
import { MAX_SYNC_ANSWER_BYTES } from "../../src/node/sync-store.ts";
import { MAX_COMMITTEE_SIZE } from "../../src/crypto/index.ts";
import { createGenesisBlock } from "../../src/consensus/index.ts";
import { eventually, keys, members, type Delivery } from "./support.ts";

const refusals = (net: Network, peer: number, reason: string) => net.refusals().find((r) => r.peer === peer && r.reason === reason)?.count ?? 0;

async function linked(a: Network, b: Network, ai: number, bi: number): Promise<void> {
  await eventually(() => a.connectedPeers().includes(bi) && b.connectedPeers().includes(ai), `link ${ai}-${bi}`, 20_000);
}

/** Sends until `inbox` holds `data` (the link may still be coming back). */
async function delivered(net: Network, to: number, data: string, inbox: readonly Delivery[], what: string): Promise<void> {
  await eventually(() => (net.send(to, data), inbox.some((m) => m.data === data)), what, 20_000);
}

describe("per-peer limits on the wire", () => {
  test("an oversized frame from either side closes the link (1009), is counted for its sender, and the link heals", async () => {
    const { inbox, make } = await members({ maxMessageBytes: 1024 });
    const zero = make(0);
    const one = make(1);
    await Promise.all([zero.start(), one.start()]);
    await linked(zero, one, 0, 1);
    zero.send(1, "x".repeat(4096)); // from the dialler
    await eventually(() => refusals(one, 0, "oversize") === 1, "member 1 counted member 0's oversized frame");
    await delivered(zero, 1, "down, healed", inbox, "0 -> 1 after the oversized frame");
    await linked(zero, one, 0, 1);
    one.send(0, "y".repeat(4096)); // from the acceptor: the dialler refuses it and redials
    await eventually(() => refusals(zero, 1, "oversize") === 1, "member 0 counted member 1's oversized frame");
    await delivered(one, 0, "up, healed", inbox, "1 -> 0 after the oversized frame");
    assert.equal(inbox.some((m) => m.data.length > 1024), false);
  });

  test("a peer over its byte rate is throttled, not dropped: every frame arrives, in order", async () => {
    const { inbox, make } = await members({ bytesPerSecond: 20_000, burstBytes: 5_000, frameOverheadBytes: 0, maxMessageBytes: 4096 });
    const zero = make(0);
    const one = make(1);
    await Promise.all([zero.start(), one.start()]);
    await linked(zero, one, 0, 1);
    const sent = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(4, "0")}${"z".repeat(996)}`);
    for (const data of sent) assert.ok(zero.send(1, data));
    await eventually(() => inbox.length === sent.length, "every frame delivered");
    assert.deepEqual(inbox.map((m) => m.data), sent);
    assert.ok(refusals(one, 0, "rate") >= 1, `member 0 was throttled: ${JSON.stringify(one.refusals())}`);
    assert.equal(refusals(zero, 1, "rate"), 0, "the quiet direction was not");
  });

  test("a peer's byte budget survives its reconnect: a restarted flooder starts in debt", async () => {
    // 100 bytes/s: three 1,000-byte frames leave member 0 ~2,000 bytes (~20 s) in debt.
    const { make } = await members({ bytesPerSecond: 100, burstBytes: 1_000, frameOverheadBytes: 0, maxMessageBytes: 2048 });
    let zero = make(0);
    const one = make(1);
    await Promise.all([zero.start(), one.start()]);
    await linked(zero, one, 0, 1);
    for (let i = 0; i < 3; i++) zero.send(1, "f".repeat(1000));
    await eventually(() => refusals(one, 0, "rate") === 1, "member 0 throttled");
    await zero.close();
    zero = make(0);
    await zero.start();
    await eventually(() => zero.connectedPeers().includes(1), "member 0 back");
    zero.send(1, "first frame after the reconnect");
    await eventually(() => refusals(one, 0, "rate") === 2, "the new link throttled from its first frame");
  });

  test("sends to a peer that stops reading are dropped beyond maxBufferedBytes, not buffered", async () => {
    // Member 1 throttles member 0 for hours after two frames, so it stops reading the socket.
    const mib = 1024 * 1024;
    const { make } = await members({ bytesPerSecond: 1, burstBytes: mib, frameOverheadBytes: 0, maxMessageBytes: 2 * mib, maxBufferedBytes: mib });
    const zero = make(0);
    const one = make(1);
    await Promise.all([zero.start(), one.start()]);
    await linked(zero, one, 0, 1);
    const frame = "b".repeat(mib);
    zero.send(1, frame);
    zero.send(1, frame);
    await eventually(() => refusals(one, 0, "rate") === 1, "member 1 stopped reading member 0");
    let refused = false;
    for (let i = 0; i < 256 && !refused; i++) {
      refused = !zero.send(1, frame);
      if (!refused) await new Promise((resolve) => setImmediate(resolve)); // let the socket flush what the kernel takes
    }
    assert.ok(refused, "a send was refused once the link's buffer was full");
    assert.ok(zero.connectedPeers().includes(1), "the link itself stays up");
    assert.ok(zero.counters.droppedUnsent > 0);
  });

  test("the frame limit is above the largest legitimate message", () => {
    // A proposal with a full block and a TC of the largest committee; a sync page (~2 MiB of
    // wire bytes, paged by the sync code) closes with at most one such proposal past its bound.
    const genesis = createGenesisBlock();
    const sig = keys[0]!.sign(new Uint8Array(32));
    const qc: QC = { view: 7n, blockHash: `0x${"11".repeat(32)}`, signers: (1n << BigInt(MAX_COMMITTEE_SIZE)) - 1n, signature: sig };
    const proposal: Proposal = {
      block: { header: { ...genesis.header, number: 1n, view: 9n }, justify: qc, payload: `0x${"ff".repeat(MAX_PAYLOAD_BYTES)}` },
      proposer: MAX_COMMITTEE_SIZE - 1,
      signature: sig,
      tc: { view: 8n, signers: qc.signers, highQcViews: Array.from({ length: MAX_COMMITTEE_SIZE }, (_, i) => BigInt(i)), signature: sig, highQc: qc },
    };
    const largest = encodeConsensusEnvelope(2n ** 64n - 1n, new TextDecoder().decode(encodeMessage({ kind: "proposal", proposal }))).length;
    const syncPage = MAX_SYNC_ANSWER_BYTES + largest;
    assert.ok(syncPage < DEFAULT_MAX_MESSAGE_BYTES, `a sync page can reach ${syncPage} bytes, the frame limit is ${DEFAULT_MAX_MESSAGE_BYTES}`);
    assert.ok(DEFAULT_BURST_BYTES >= DEFAULT_MAX_MESSAGE_BYTES, "a full bucket takes a full frame without throttling");
  });
});
