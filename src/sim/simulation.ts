/**
 * The deterministic simulator: n members, each a real consensus Core, on a virtual clock, wired
 * through a seeded network. One loop pops the next event (a delivery, a timer, a crash, a
 * restart), steps one member, carries out its actions exactly as a node adapter would (persist
 * first, then send), and has the invariants judge the step. Same config + seed = same run.
 *
 * Crashes are faithful to the ordering rule: a crashed member loses everything but its "disk"
 * (the safety state, the blocks and the commit head it persisted), and restarts from that alone.
 */
import type { Hex } from "viem";
import { Core, createGenesisBlock, hashBlock, type Action, type Message, type PacemakerConfig, type Proposal, type SafetyState, type Signer } from "../consensus/index.ts";
import { decodeMessage, encodeMessage } from "../consensus/codec.ts";
import { LEADER_RULES, type LeaderRuleName } from "../consensus/leader.ts";
import type { Domain } from "../protocol/domain.ts";
import type { Behaviour, ByzantineContext } from "../byzantine/index.ts";
import { Invariants } from "./invariants.ts";
import { scheduleDelivery, type NetworkConfig } from "./network.ts";
import { EventQueue } from "./queue.ts";
import { Random } from "./random.ts";

export const SIM_DOMAIN: Domain = { chainId: 901n, rollup: "0x00000000000000000000000000000000000face1", epoch: 1n };

export interface Crash {
  readonly member: number;
  readonly at: number;
  /** When it comes back from its disk; never, if absent. */
  readonly restartAt?: number;
}

export interface SimulationConfig {
  readonly n: number;
  readonly seed: number;
  /** The run ends once every live honest member reached this view (or at maxTime). */
  readonly views: number;
  readonly maxTime: number;
  /** The run does not end before this virtual time (to watch liveness after the network stabilises). */
  readonly minTime?: number;
  readonly signers: readonly Signer[];
  /** A key-less signer for the invariant checks. */
  readonly verifier: Signer;
  readonly network: NetworkConfig;
  readonly pacemaker: PacemakerConfig;
  readonly byzantine?: ReadonlyMap<number, Behaviour>;
  readonly crashes?: readonly Crash[];
  /** Who leads a view (default "carousel", the core's default). */
  readonly leaderRule?: LeaderRuleName;
  /** Send every message through encodeMessage/decodeMessage (exercises the codec). */
  readonly wire?: boolean;
  /** Sees every step (for debugging a seed). */
  readonly trace?: (now: number, member: number, event: Parameters<Core["step"]>[0], actions: readonly Action[]) => void;
}

export interface SimulationResult {
  readonly seed: number;
  readonly steps: number;
  readonly time: number;
  readonly viewReached: number;
  readonly committedBlocks: number;
  readonly heights: readonly number[];
  /** Each member's view at the end (crashed members: the view they crashed in). */
  readonly views: readonly number[];
  /** Committed height of each honest live member when the network became stable. */
  readonly heightsAtStable: readonly number[];
  readonly violations: readonly string[];
  readonly evidence: readonly { kind: string; view: bigint; signer: number }[];
  readonly rejected: number;
  /** Views that ended by timeout: n - f members signed a timeout for them (a TC could form). */
  readonly failedViews: number;
}

interface Disk {
  safety?: SafetyState;
  readonly proposals: Map<Hex, Proposal>;
  committedHash?: Hex;
}

interface Member {
  core: Core;
  alive: boolean;
  timerAt: number;
  readonly disk: Disk;
}

type Item =
  | { readonly kind: "deliver"; readonly to: number; readonly from: number; readonly message: Message }
  | { readonly kind: "tick"; readonly member: number }
  | { readonly kind: "crash"; readonly member: number }
  | { readonly kind: "restart"; readonly member: number };

export function runSimulation(config: SimulationConfig): SimulationResult {
  return new Simulation(config).run();
}

class Simulation {
  readonly #config: SimulationConfig;
  readonly #random: Random;
  readonly #queue = new EventQueue<Item>();
  readonly #members: Member[];
  readonly #invariants: Invariants;
  readonly #byzantine: ReadonlyMap<number, Behaviour>;
  readonly #genesis = createGenesisBlock();
  #now = 0;
  #rejected = 0;
  #heightsAtStable: number[] | null = null;

  constructor(config: SimulationConfig) {
    this.#config = config;
    this.#random = new Random(config.seed);
    this.#byzantine = config.byzantine ?? new Map();
    const faulty = new Set(this.#byzantine.keys());
    this.#invariants = new Invariants(
      { domain: SIM_DOMAIN, signer: config.verifier, genesisHash: hashBlock(SIM_DOMAIN, this.#genesis), genesisView: this.#genesis.header.view },
      faulty,
      config.n,
    );
    this.#members = Array.from({ length: config.n }, (_, i) => {
      const disk: Disk = { proposals: new Map() };
      return { core: this.#createCore(i, disk), alive: true, timerAt: -1, disk };
    });
  }

  #createCore(member: number, disk: Disk): Core {
    const restored = disk.safety === undefined
      ? undefined
      : { safety: disk.safety, proposals: [...disk.proposals.values()], ...(disk.committedHash === undefined ? {} : { committedHash: disk.committedHash }) };
    return new Core({
      self: member,
      domain: SIM_DOMAIN,
      signer: this.#config.signers[member]!,
      genesis: this.#genesis,
      pacemaker: this.#config.pacemaker,
      leaderRule: LEADER_RULES[this.#config.leaderRule ?? "carousel"](this.#config.n),
    }, restored);
  }

  #isHonest(member: number): boolean {
    return !this.#byzantine.has(member);
  }

  run(): SimulationResult {
    for (const c of this.#config.crashes ?? []) {
      this.#queue.push(c.at, { kind: "crash", member: c.member });
      if (c.restartAt !== undefined) this.#queue.push(c.restartAt, { kind: "restart", member: c.member });
    }
    for (let i = 0; i < this.#config.n; i++) this.#step(i, { type: "start", now: 0 });
    let steps = 0;
    for (;;) {
      const next = this.#queue.pop();
      if (next === undefined || next.at > this.#config.maxTime) break;
      this.#now = next.at;
      if (this.#heightsAtStable === null && this.#now >= this.#config.network.stableAfter) this.#heightsAtStable = this.#honestHeights();
      this.#handle(next.item);
      steps++;
      if (this.#invariants.violations.length > 0 || this.#finished()) break;
    }
    return {
      seed: this.#config.seed,
      steps,
      time: this.#now,
      viewReached: Math.min(...this.#liveHonest().map((m) => Number(m.core.view))),
      committedBlocks: this.#invariants.committedBlocks,
      heights: this.#members.map((_, i) => Number(this.#invariants.committedHeight(i))),
      views: this.#members.map((m) => Number(m.core.view)),
      heightsAtStable: this.#heightsAtStable ?? this.#honestHeights(),
      violations: this.#invariants.violations,
      evidence: [...this.#invariants.evidence.values()],
      rejected: this.#rejected,
      failedViews: this.#invariants.failedViews,
    };
  }

  #liveHonest(): Member[] {
    return this.#members.filter((m, i) => m.alive && this.#isHonest(i));
  }

  #honestHeights(): number[] {
    return this.#members.map((m, i) => (m.alive && this.#isHonest(i) ? Number(this.#invariants.committedHeight(i)) : -1));
  }

  #finished(): boolean {
    const live = this.#liveHonest();
    if (this.#now < (this.#config.minTime ?? 0)) return false;
    return live.length > 0 && live.every((m) => m.core.view >= BigInt(this.#config.views));
  }

  #handle(item: Item): void {
    switch (item.kind) {
      case "deliver": {
        const member = this.#members[item.to]!;
        if (!member.alive) return;
        const behaviour = this.#byzantine.get(item.to);
        if (behaviour?.onMessage !== undefined) this.#apply(item.to, behaviour.onMessage(this.#byzantineContext(item.to), item.from, item.message));
        return this.#step(item.to, { type: "message", now: this.#now, from: item.from, message: item.message });
      }
      case "tick": {
        const member = this.#members[item.member]!;
        if (!member.alive || member.timerAt !== this.#now) return; // superseded or crashed
        return this.#step(item.member, { type: "tick", now: this.#now });
      }
      case "crash":
        this.#members[item.member]!.alive = false;
        return;
      case "restart": {
        const member = this.#members[item.member]!;
        member.core = this.#createCore(item.member, member.disk);
        member.alive = true;
        member.timerAt = -1;
        return this.#step(item.member, { type: "start", now: this.#now });
      }
    }
  }

  #step(i: number, event: Parameters<Core["step"]>[0]): void {
    const actions = this.#members[i]!.core.step(event);
    this.#config.trace?.(this.#now, i, event, actions);
    const behaviour = this.#byzantine.get(i);
    if (behaviour === undefined) {
      this.#invariants.observe(i, actions);
      this.#apply(i, actions);
    } else this.#apply(i, behaviour.rewrite(this.#byzantineContext(i), actions));
  }

  #byzantineContext(i: number): ByzantineContext {
    return {
      self: i,
      committeeSize: this.#config.n,
      domain: SIM_DOMAIN,
      epoch: SIM_DOMAIN.epoch,
      signer: this.#config.signers[i]!,
      view: this.#members[i]!.core.view,
      leaderOf: (v) => this.#members[i]!.core.leaderOf(v),
      hashOf: (block) => hashBlock(SIM_DOMAIN, block),
      note: () => {},
    };
  }

  /** Carries out actions in order, as the ordering rule demands: the disk write happens first. */
  #apply(i: number, actions: readonly Action[]): void {
    const member = this.#members[i]!;
    for (const a of actions) {
      switch (a.type) {
        case "persist-safety":
          member.disk.safety = a.state;
          break;
        case "persist-block":
          member.disk.proposals.set(a.hash, a.proposal);
          break;
        case "commit":
          member.disk.committedHash = a.blocks[a.blocks.length - 1]?.hash ?? member.disk.committedHash;
          break;
        case "send":
          this.#send(i, a.to, a.message);
          break;
        case "broadcast":
          for (let to = 0; to < this.#config.n; to++) if (to !== i) this.#send(i, to, a.message);
          break;
        case "schedule-timer":
          member.timerAt = a.at;
          this.#queue.push(a.at, { kind: "tick", member: i });
          break;
        case "reject":
          this.#rejected++;
          break;
        case "report-evidence":
          break;
      }
    }
  }

  #send(from: number, to: number, message: Message): void {
    if (from === to) return;
    const wired = this.#config.wire === true ? decodeMessage(encodeMessage(message), this.#config.verifier) : message;
    for (const at of scheduleDelivery(this.#config.network, this.#random, this.#now, from, to)) {
      this.#queue.push(at, { kind: "deliver", to, from, message: wired });
    }
  }
}
