/** Members' Networks on free loopback ports, each with its own inbox, closed after the file's tests. */
import { after } from "node:test";
import { SecretKey } from "../../src/crypto/index.ts";
import { Network, type NetworkOptions } from "../../src/network/index.ts";
import type { Domain } from "../../src/protocol/domain.ts";
import { distinctFreePorts } from "../fixtures/ports.ts";

export { eventually } from "../fixtures/redis.ts";

const domain: Domain = { chainId: 901n, rollup: "0x00000000000000000000000000000000000000aa", epoch: 0n };
export const keys = [0, 1, 2].map((i) => SecretKey.fromSeed(`net-member-${i}`));
const committee = keys.map((k) => k.publicKey);

const open: Network[] = [];
after(async () => {
  for (const n of open) await n.close();
});

export interface Delivery {
  readonly to: number;
  readonly from: number;
  readonly data: string;
}

export type Tuning = Partial<Omit<NetworkOptions, "self" | "secretKey" | "committee" | "peers" | "domain" | "listen">>;

/**
 * Three member slots. `make(i)` builds member i's Network (not started) dialling the others at
 * their ports; `port` gives it another listening port (a second process with the same key), and
 * `urls` points it at another address for a peer (to watch who dials).
 * Every delivery lands in `inbox` (and in the member's own list, `inboxOf(net)`).
 */
export async function members(tuning: Tuning = {}) {
  const ports = await distinctFreePorts(3);
  const inbox: Delivery[] = [];
  const inboxes = new Map<Network, Delivery[]>();
  const make = (i: number, o: { key?: SecretKey; port?: number; urls?: Record<number, string>; log?: NetworkOptions["log"] } = {}) => {
    const net = new Network({
      self: i,
      secretKey: o.key ?? keys[i]!,
      committee,
      domain,
      listen: { host: "127.0.0.1", port: o.port ?? ports[i]! },
      peers: ports.flatMap((port, j) => (j === i ? [] : [{ index: j, url: o.urls?.[j] ?? `ws://127.0.0.1:${port}` }])),
      ...tuning,
      ...(o.log === undefined ? {} : { log: o.log }),
    });
    const own: Delivery[] = [];
    inboxes.set(net, own);
    net.onMessage((from, data) => {
      inbox.push({ to: i, from, data });
      own.push({ to: i, from, data });
    });
    open.push(net);
    return net;
  };
  return { ports, inbox, make, inboxOf: (net: Network) => inboxes.get(net)! };
}
