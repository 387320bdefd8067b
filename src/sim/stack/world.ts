/**
 * The simulated world the whole-member simulator runs replicas in: one virtual clock with its
 * agenda, a network between hosts (latency, loss, duplication, partitions, targeted drops), and
 * L1 (simulated-l1.ts). Only these are simulated; each host runs the real replica over a real
 * SQLite store (host.ts). Same seed, same run.
 */
import { EventQueue } from "../queue.ts";
import { Random } from "../random.ts";
import type { Clock } from "../../node/io.ts";

/** Hosts in different groups cannot reach each other while it lasts; unlisted hosts form one more group. */
export interface HostPartition {
  readonly from: number;
  readonly until: number;
  readonly groups: readonly (readonly number[])[];
}

/**
 * A targeted fault: frames of `kinds` from member `from` reach only hosts `to` (others lose them)
 * while it lasts; "one message delivered to a subset" (e.g. the proposal that carries the QC
 * committing the epoch-change block).
 */
export interface TargetedDrop {
  readonly from: number | "any";
  readonly to: readonly number[];
  readonly kinds: readonly string[];
  readonly window: readonly [number, number];
  /** Only frames this says yes to (a scenario's precise target, e.g. one proposal); all of `kinds` otherwise. */
  readonly match?: (data: string) => boolean;
}

export interface WorldNetwork {
  readonly minLatency: number;
  readonly maxLatency: number;
  readonly loss: number;
  readonly duplication: number;
  readonly partitions: readonly HostPartition[];
  readonly drops: readonly TargetedDrop[];
  /** From here on nothing is lost, no partition or targeted drop holds (GST). */
  readonly stableAfter: number;
}

/** What the network needs of a host. */
export interface Endpoint {
  readonly id: number;
  readonly member: number;
  /** Changes at every crash: frames sent to an earlier incarnation are lost with its sockets. */
  readonly incarnation: number;
  readonly alive: boolean;
  deliver(from: number, data: string): void;
  /** Member `member` has no live host any more: its links to this host closed (as a crashed process's sockets do). */
  linkDown(member: number): void;
}

function groupOf(p: HostPartition, host: number): number {
  const i = p.groups.findIndex((g) => g.includes(host));
  return i === -1 ? p.groups.length : i;
}

/** The consensus message kind inside an envelope, without parsing it: `c <epoch> {"kind":"..."`. */
export function kindOf(data: string): string {
  if (data.startsWith("tx ") || data.startsWith("txs ")) return "tx";
  if (data.startsWith("e ")) return "epoch-request";
  const at = data.indexOf('{"kind":"');
  if (at < 0) return "other";
  return data.slice(at + 9, data.indexOf('"', at + 9));
}

export class World {
  readonly random: Random;
  readonly #queue = new EventQueue<() => void>();
  readonly #network: WorldNetwork;
  readonly #hosts: Endpoint[] = [];
  /** When each member's last live host crashed (absent while one runs). */
  readonly #downSince = new Map<number, number>();
  #now = 0;
  /** Frames handed to the network, for the flood figures. */
  sent = 0;
  /** Frames a targeted drop took (a scenario checks its fault happened). */
  targetedDrops = 0;

  constructor(seed: number, network: WorldNetwork) {
    this.random = new Random(seed);
    this.#network = network;
  }

  get now(): number {
    return this.#now;
  }

  add(host: Endpoint): void {
    this.#hosts.push(host);
  }

  /** A host crashed: if it was its member's last live one, that member's links are down from now. */
  crashed(host: Endpoint): void {
    if (this.#hosts.some((h) => h.member === host.member && h.alive)) return;
    this.#downSince.set(host.member, this.#now);
    for (const h of this.#hosts) if (h.alive && h.member !== host.member) h.linkDown(host.member);
  }

  /** A host (re)started: its member is reachable again. */
  started(host: Endpoint): void {
    this.#downSince.delete(host.member);
  }

  /**
   * Since when `member` has had no live host, undefined while one runs: what a real member's
   * transport knows of a crashed peer (its sockets closed). A partition leaves links up, as TCP
   * does until the heartbeat notices.
   */
  unreachableSince(member: number): number | undefined {
    return this.#downSince.get(member);
  }

  at(time: number, work: () => void): void {
    this.#queue.push(Math.max(time, this.#now), work);
  }

  /** Runs the agenda until `until` (virtual ms) or `stop()` says so; returns the number of events run. */
  run(until: number, stop: () => boolean): number {
    let steps = 0;
    for (;;) {
      const next = this.#queue.pop();
      if (next === undefined || next.at > until) break;
      this.#now = next.at;
      next.item();
      steps++;
      if (stop()) break;
    }
    return steps;
  }

  /** The clock of a host: timers die with the incarnation that set them. */
  clockFor(host: Endpoint): Clock {
    return {
      now: () => this.#now,
      after: (ms, fn) => {
        const incarnation = host.incarnation;
        let cancelled = false;
        // Like Node's timers, which run on a cached, truncated loop time: a timer may fire up to
        // 2 ms before the host's clock says it is due (the host must cope: re-arm, not stall).
        const early = ms > 2 && this.random.chance(0.3) ? this.random.int(1, 2) : 0;
        this.at(this.#now + Math.max(0, ms - early), () => {
          if (!cancelled && host.alive && host.incarnation === incarnation) fn();
        });
        return () => {
          cancelled = true;
        };
      },
    };
  }

  /** A frame from `from` (a host) to every host of member `to`; twins are two hosts of one member. */
  send(from: Endpoint, to: number, data: string): void {
    this.sent++;
    for (const target of this.#hosts) {
      if (target.member !== to || target === from || !this.#reachable(from, target, data)) continue;
      const incarnation = target.incarnation;
      const copies = this.#now < this.#network.stableAfter && this.random.chance(this.#network.duplication) ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        this.at(this.#now + this.random.int(this.#network.minLatency, this.#network.maxLatency), () => {
          if (target.alive && target.incarnation === incarnation) target.deliver(from.member, data);
        });
      }
    }
  }

  #reachable(from: Endpoint, to: Endpoint, data: string): boolean {
    const n = this.#network;
    const now = this.#now;
    if (now >= n.stableAfter) return true;
    if (n.partitions.some((p) => now >= p.from && now < p.until && groupOf(p, from.id) !== groupOf(p, to.id))) return false;
    if (n.drops.length > 0) {
      const kind = kindOf(data);
      const dropped = (d: TargetedDrop) =>
        (d.from === "any" || d.from === from.member) && now >= d.window[0] && now < d.window[1] && !d.to.includes(to.id) && d.kinds.includes(kind) && (d.match === undefined || d.match(data));
      if (n.drops.some(dropped)) {
        this.targetedDrops++;
        return false;
      }
    }
    return !this.random.chance(n.loss);
  }
}
