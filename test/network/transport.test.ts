/**
 * Member links over real WebSockets: one authenticated socket per pair (the lower index dials),
 * used in both directions, replaced by a newer one from the same member, and healed after either
 * side restarts.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { describe, test } from "node:test";
import { WebSocket } from "ws";
import { SecretKey } from "../../src/crypto/index.ts";
import type { Network } from "../../src/network/index.ts";
import { freePort } from "../fixtures/ports.ts";
import { eventually, members, type Delivery } from "./support.ts";

/** Sends until `inbox` holds `data` (a send can race a link that is being replaced or redialled). */
async function delivered(net: Network, to: number, data: string, inbox: readonly Delivery[], what: string): Promise<void> {
  await eventually(() => (net.send(to, data), inbox.some((m) => m.data === data)), what, 20_000);
}

describe("one authenticated link per member pair", () => {
  test("members that prove their keys exchange messages both ways, tagged with the real sender", async () => {
    const { inbox, make } = await members();
    const nets = [make(0), make(1), make(2)];
    await Promise.all(nets.map((n) => n.start()));
    await eventually(() => nets.every((n) => n.connectedPeers().length === 2), "all links authenticated");
    nets[0]!.broadcast("hello from 0");
    nets[2]!.broadcast("hello from 2");
    nets[1]!.send(0, "up 1->0");
    await eventually(() => inbox.length === 5, "five deliveries");
    assert.deepEqual(
      inbox.map((m) => `${m.from}->${m.to}:${m.data}`).sort(),
      ["0->1:hello from 0", "0->2:hello from 0", "1->0:up 1->0", "2->0:hello from 2", "2->1:hello from 2"],
    );
  });

  test("the higher index never dials: both directions run over the socket the lower index opened", async () => {
    // Member 1 is told member 0 lives at a plain TCP listener that only counts connections.
    let dialsToDecoy = 0;
    const decoy = createServer((socket) => (dialsToDecoy++, socket.destroy()));
    const decoyPort = await freePort();
    await new Promise<void>((resolve) => decoy.listen(decoyPort, "127.0.0.1", resolve));
    try {
      const { inbox, make } = await members();
      const zero = make(0);
      const one = make(1, { urls: { 0: `ws://127.0.0.1:${decoyPort}` } });
      await Promise.all([zero.start(), one.start()]);
      await eventually(() => zero.connectedPeers().includes(1) && one.connectedPeers().includes(0), "the link 0 dialled");
      zero.send(1, "down");
      one.send(0, "up");
      await eventually(() => inbox.length === 2, "both directions delivered");
      assert.equal(dialsToDecoy, 0, "member 1 dialled member 0");
    } finally {
      decoy.close();
    }
  });

  test("an impostor holding a key outside the committee is refused, as dialler and as acceptor", async () => {
    const { inbox, make } = await members();
    const stranger = SecretKey.fromSeed("not-a-member");
    // As dialler: member 1 refuses its hello, so it is never welcomed and can send nothing.
    const honestOne = make(1);
    const dialler = make(0, { key: stranger });
    await Promise.all([honestOne.start(), dialler.start()]);
    await eventually(() => honestOne.counters.refusedHandshakes > 0, "member 1 refused the hello");
    assert.equal(dialler.send(1, "forged"), false);
    assert.deepEqual(honestOne.connectedPeers(), []);
    // As acceptor: member 0 dials member 2, whose welcome is signed with the stranger's key.
    const second = await members();
    const honestZero = second.make(0);
    const acceptor = second.make(2, { key: stranger });
    await Promise.all([honestZero.start(), acceptor.start()]);
    await eventually(() => honestZero.counters.refusedHandshakes > 0, "member 0 refused the welcome");
    assert.deepEqual(honestZero.connectedPeers(), []);
    assert.deepEqual([...inbox, ...second.inbox], []);
  });

  test("garbage or a hello from a higher index before the handshake closes the link with 4001", async () => {
    const { ports, make } = await members();
    await make(0).start();
    for (const first of ["{not json", JSON.stringify({ t: "hello", from: 1, nonce: `0x${"00".repeat(32)}`, sig: `0x${"ab".repeat(96)}` })]) {
      const raw = new WebSocket(`ws://127.0.0.1:${ports[0]}`);
      const code = await new Promise<number>((resolve) => {
        raw.on("message", () => raw.send(first));
        raw.on("close", (c) => resolve(c));
      });
      assert.equal(code, 4001, `after ${first}`);
    }
  });

  test("a restarted acceptor is redialled, and both directions deliver again", async () => {
    const { inbox, make } = await members();
    const zero = make(0);
    let one = make(1);
    await Promise.all([zero.start(), one.start()]);
    await eventually(() => zero.connectedPeers().includes(1), "first link");
    await one.close();
    await eventually(() => !zero.connectedPeers().includes(1), "link dropped");
    one = make(1);
    await one.start();
    await delivered(zero, 1, "down after restart", inbox, "0 -> restarted 1");
    await delivered(one, 0, "up after restart", inbox, "restarted 1 -> 0");
  });

  test("a peer whose process stopped is reported unreachable since its link closed, and reachable again once it is back", async () => {
    const { make } = await members();
    const zero = make(0);
    let one = make(1);
    const downs: number[] = [];
    zero.onLinkDown((peer) => downs.push(peer));
    const started = Date.now();
    await zero.start();
    assert.ok((zero.unreachableSince(1) ?? -1) >= started, "never linked yet: unreachable since start");
    await one.start();
    await eventually(() => zero.connectedPeers().includes(1), "first link");
    assert.equal(zero.unreachableSince(1), undefined);
    const closing = Date.now();
    await one.close();
    await eventually(() => downs.includes(1), "link-down reported");
    const since = zero.unreachableSince(1);
    assert.ok(since !== undefined && since >= closing, `unreachable since the close (${since} >= ${closing})`);
    one = make(1);
    await one.start();
    await eventually(() => zero.unreachableSince(1) === undefined, "reachable after the restart");
    assert.deepEqual(downs, [1], "one link-down per lost link");
  });

  test("a restarted dialler reconnects, and both directions deliver again", async () => {
    const { inbox, make } = await members();
    let zero = make(0);
    const one = make(1);
    await Promise.all([zero.start(), one.start()]);
    await eventually(() => one.connectedPeers().includes(0), "first link");
    await zero.close();
    await eventually(() => !one.connectedPeers().includes(0), "link dropped");
    zero = make(0);
    await zero.start();
    await delivered(zero, 1, "down after restart", inbox, "restarted 0 -> 1");
    await delivered(one, 0, "up after restart", inbox, "1 -> restarted 0");
  });

  test("a newer authenticated link from a member replaces its older one", async () => {
    const events: string[] = [];
    const { make, inboxOf } = await members();
    const old = make(0);
    const one = make(1, { log: (event) => events.push(event) });
    await Promise.all([old.start(), one.start()]);
    await eventually(() => one.connectedPeers().includes(0), "first link");
    // A second process with member 0's key: what a restart looks like before the old socket is seen closing.
    const fresh = make(0, { port: await freePort() });
    await fresh.start();
    await eventually(() => events.includes("network.replaced"), "member 1 replaced the old link");
    await old.close();
    await delivered(one, 0, "to the new link", inboxOf(fresh), "1 -> the new member 0");
  });

  test("a link that goes silent is closed by the heartbeat and redialled", async () => {
    // Member 1 throttles member 0 for hours after two frames and stops reading its socket, pongs
    // included: from member 0's side the link looks half-open, as after a host failure.
    const events: string[] = [];
    const { make } = await members({ heartbeatMs: 200, bytesPerSecond: 1, burstBytes: 1_000, frameOverheadBytes: 0 });
    const zero = make(0, { log: (event) => events.push(event) });
    const one = make(1);
    await Promise.all([zero.start(), one.start()]);
    await eventually(() => zero.connectedPeers().includes(1), "first link");
    zero.send(1, "f".repeat(900));
    zero.send(1, "f".repeat(900));
    await eventually(() => events.includes("network.silent"), "member 0 gave up on the silent link");
    await eventually(() => events.filter((e) => e === "network.connected").length === 2, "member 0 redialled");
    assert.ok(zero.connectedPeers().includes(1));
  });
});
