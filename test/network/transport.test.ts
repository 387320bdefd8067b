import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { WebSocket } from "ws";
import { SecretKey } from "../../src/crypto/index.ts";
import { Network } from "../../src/network/index.ts";
import type { Domain } from "../../src/protocol/domain.ts";
import { freePort } from "../fixtures/ports.ts";
import { eventually } from "../fixtures/redis.ts";

const domain: Domain = { chainId: 901n, rollup: "0x00000000000000000000000000000000000000aa", epoch: 0n };
const keys = [0, 1, 2].map((i) => SecretKey.fromSeed(`net-member-${i}`));
const committee = keys.map((k) => k.publicKey);
const open: Network[] = [];
after(async () => {
  for (const n of open) await n.close();
});

async function cluster(options: { messagesPerSecond?: number; burst?: number; maxMessageBytes?: number } = {}) {
  const ports = [await freePort(), await freePort(), await freePort()];
  const inbox: { to: number; from: number; data: string }[] = [];
  const make = (i: number, key = keys[i]!) => {
    const net = new Network({
      self: i,
      secretKey: key,
      committee,
      domain,
      listen: { host: "127.0.0.1", port: ports[i]! },
      peers: ports.flatMap((port, j) => (j === i ? [] : [{ index: j, url: `ws://127.0.0.1:${port}` }])),
      ...options,
    });
    net.onMessage((from, data) => inbox.push({ to: i, from, data }));
    open.push(net);
    return net;
  };
  return { ports, inbox, make };
}

describe("authenticated member links over WebSocket", () => {
  test("members that prove their keys exchange messages, tagged with the real sender", async () => {
    const { inbox, make } = await cluster();
    const nets = [make(0), make(1), make(2)];
    await Promise.all(nets.map((n) => n.start()));
    await eventually(() => nets.every((n) => n.connectedPeers().length === 2), "all links authenticated");
    nets[0]!.broadcast("hello from 0");
    nets[2]!.send(1, "direct 2->1");
    await eventually(() => inbox.length === 3, "three deliveries");
    assert.deepEqual(
      inbox.map((m) => `${m.from}->${m.to}:${m.data}`).sort(),
      ["0->1:hello from 0", "0->2:hello from 0", "2->1:direct 2->1"],
    );
  });

  test("an impostor holding a key outside the committee is refused and never heard", async () => {
    const { inbox, make } = await cluster();
    const honest = make(0);
    await honest.start();
    const impostor = make(1, SecretKey.fromSeed("not-a-member"));
    await impostor.start();
    await eventually(() => honest.counters.refusedHandshakes > 0, "handshake refused");
    impostor.send(0, "forged");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(inbox.filter((m) => m.to === 0).length, 0);
    assert.deepEqual(impostor.connectedPeers(), []);
  });

  test("garbage before the handshake closes the link with 4001", async () => {
    const { ports, make } = await cluster();
    await make(0).start();
    const raw = new WebSocket(`ws://127.0.0.1:${ports[0]}`);
    const code = await new Promise<number>((resolve) => {
      raw.on("message", () => raw.send("{not json"));
      raw.on("close", (c) => resolve(c));
    });
    assert.equal(code, 4001);
  });

  test("an oversized frame closes the link (1009) without delivery, and the link heals", async () => {
    const { inbox, make } = await cluster({ maxMessageBytes: 1024 });
    const a = make(0);
    const b = make(1);
    await Promise.all([a.start(), b.start()]);
    await eventually(() => a.connectedPeers().includes(1), "link 0->1");
    a.send(1, "x".repeat(4096));
    await eventually(() => !a.connectedPeers().includes(1), "oversized frame closed the link");
    await eventually(() => a.connectedPeers().includes(1), "link re-established");
    a.send(1, "small");
    await eventually(() => inbox.some((m) => m.data === "small"), "small message after reconnect");
    assert.equal(inbox.some((m) => m.data.length > 1024), false);
  });

  test("a flooding peer has its excess dropped by the rate limit", async () => {
    const { inbox, make } = await cluster({ messagesPerSecond: 10, burst: 10 });
    const a = make(0);
    const b = make(1);
    await Promise.all([a.start(), b.start()]);
    await eventually(() => a.connectedPeers().includes(1), "link 0->1");
    for (let i = 0; i < 200; i++) a.send(1, `m${i}`);
    await eventually(() => b.counters.droppedRate > 0, "drops counted");
    await new Promise((r) => setTimeout(r, 100));
    const delivered = inbox.filter((m) => m.to === 1).length;
    assert.ok(delivered >= 10 && delivered < 50, `delivered ${delivered}`);
  });

  test("a restarted member is redialled and reached again", async () => {
    const { inbox, make } = await cluster();
    const a = make(0);
    let b = make(1);
    await Promise.all([a.start(), b.start()]);
    await eventually(() => a.connectedPeers().includes(1), "first link");
    await b.close();
    await eventually(() => !a.connectedPeers().includes(1), "link dropped");
    b = make(1);
    await b.start();
    await eventually(() => a.connectedPeers().includes(1), "redialled after restart", 15_000);
    a.send(1, "after restart");
    await eventually(() => inbox.some((m) => m.data === "after restart"), "delivery after restart");
  });
});
