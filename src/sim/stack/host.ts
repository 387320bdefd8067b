/**
 * One host of the whole-member simulator: a committee member's real replica (src/node/replica.ts:
 * block validation and execution, epoch switch, store-backed sync, signed-message ledger, pacing,
 * leader rule) over a real SQLite store in its own folder, with only its links, clock and L1 view
 * simulated. A crash drops the replica and closes the store (every write was already durable, as
 * in a real crash); a restart opens the same store again, exactly as a member process does.
 */
import { join } from "node:path";
import type { Hex } from "viem";
import { createBlsSigner, type Signer } from "../../consensus/index.ts";
import { DEFAULT_MEMPOOL_LIMITS } from "../../execution/index.ts";
import { storeIdentity } from "../../node/chain.ts";
import { DEFAULT_EXECUTION, type NodeConfig } from "../../node/config.ts";
import type { L1Sink, Links } from "../../node/io.ts";
import type { Log, LogLevel } from "../../node/log.ts";
import { Replica } from "../../node/replica.ts";
import { createMetrics } from "../../node/telemetry.ts";
import { Store } from "../../store/index.ts";
import { memberKey } from "../committee.ts";
import { createFastSigner, fastSecret } from "../fast-signer.ts";
import { simulatedL1Hash, type SimulatedL1 } from "./simulated-l1.ts";
import type { Endpoint, World } from "./world.ts";

export const STACK_DOMAIN = { chainId: 901n, rollup: "0x00000000000000000000000000000000000face1" as Hex, epoch: 1n };

/** Consensus timing in virtual ms: short views keep a run's steps few; the ratios are the devnet's. */
export const STACK_TIMING = { baseTimeoutMs: 800, backoffFactor: 1.5, maxTimeoutMs: 4_000, minBlockIntervalMs: 20, emptyBlockIntervalMs: 200, archiveBlocks: 64, leaderLinkGraceMs: 200 };

export interface HostOptions {
  readonly id: number;
  readonly member: number;
  /** Every configured member, including those admitted later. */
  readonly configured: number;
  readonly genesisMembers: readonly number[];
  readonly dir: string;
  readonly scheme: "fast" | "bls";
  readonly l1LagMs: number;
  readonly originDelayMs: number;
  /** A Byzantine member (src/byzantine/), applied by its real replica as in a member process. */
  readonly mode?: NodeConfig["byzantine"];
}

/** What a host reports to the run's checks. */
export interface HostObserver {
  log(host: SimHost, level: LogLevel, event: string, fields: Record<string, unknown>): void;
  /** Every frame this host sends, before the network sees it. */
  sent(host: SimHost, to: number | "all", data: string): void;
}

function configOf(o: HostOptions): NodeConfig {
  const key = memberKey(o.member);
  return {
    file: `sim:${o.id}`,
    member: o.member,
    secretKey: key,
    committee: Array.from({ length: o.configured }, (_, i) => ({ publicKey: memberKey(i).publicKey, url: `ws://sim-${i}:1`, feeRecipient: `0x${(0x1000 + i).toString(16).padStart(40, "0")}` as Hex })),
    domain: STACK_DOMAIN,
    genesis: { timestamp: 1n, l1Origin: 0n, l1OriginHash: simulatedL1Hash(0n), balances: [[`0x${"aa".repeat(20)}` as Hex, 10n ** 24n]] },
    listen: { host: "127.0.0.1", p2pPort: 0, rpcPort: 0, metricsPort: 0 },
    redis: { url: "redis://unused", prefix: "sim" },
    l1: undefined,
    dataDir: o.dir,
    consensus: STACK_TIMING,
    execution: { ...DEFAULT_EXECUTION, chainId: STACK_DOMAIN.chainId },
    mempool: DEFAULT_MEMPOOL_LIMITS,
    byzantine: o.mode,
    genesisMembers: o.genesisMembers,
    safetyFloor: undefined,
  };
}

export class SimHost implements Endpoint {
  readonly id: number;
  readonly member: number;
  readonly config: NodeConfig;
  readonly #world: World;
  readonly #l1: SimulatedL1;
  readonly #observer: HostObserver;
  readonly #o: HostOptions;
  readonly #signers = new Map<string, Signer>();
  #replica: Replica | undefined;
  #store: Store | undefined;
  incarnation = 0;
  crashes = 0;

  constructor(world: World, l1: SimulatedL1, observer: HostObserver, options: HostOptions) {
    this.id = options.id;
    this.member = options.member;
    this.config = configOf(options);
    this.#world = world;
    this.#l1 = l1;
    this.#observer = observer;
    this.#o = options;
  }

  get alive(): boolean {
    return this.#replica !== undefined;
  }

  get replica(): Replica | undefined {
    return this.#replica;
  }

  get store(): Store | undefined {
    return this.#store;
  }

  /** Opens (or reopens) the store and starts the replica on it. */
  start(): void {
    const store = Store.open(join(this.#o.dir, "store.sqlite"), storeIdentity(this.config));
    this.#store = store;
    const log: Log = (level, event, fields = {}) => this.#observer.log(this, level, event, fields);
    const links: Links = {
      send: (to, data) => {
        this.#observer.sent(this, to, data);
        this.#world.send(this, to, data);
      },
      broadcast: (data) => {
        this.#observer.sent(this, "all", data);
        for (let to = 0; to < this.#o.configured; to++) if (to !== this.member) this.#world.send(this, to, data);
      },
      connectedPeers: () => Array.from({ length: this.#o.configured }, (_, i) => i).filter((i) => i !== this.member && this.#world.unreachableSince(i) === undefined),
      unreachableSince: (peer) => this.#world.unreachableSince(peer),
    };
    const sink: L1Sink = { committed: () => {}, evidence: (id) => this.#observer.log(this, "info", "sim.evidence", { id }) };
    this.#replica = new Replica({
      config: this.config,
      store,
      log,
      metrics: createMetrics(),
      links,
      sink,
      clock: this.#world.clockFor(this),
      l1: this.#l1.viewFor(this.#o.l1LagMs, this.#o.originDelayMs),
      signerFor: (members) => this.#signerFor(members),
    });
    this.#world.started(this);
    this.#replica.start();
  }

  /** The signer of an epoch's members; fast (HMAC) for volume, or real BLS. */
  #signerFor(members: readonly number[]): Signer {
    const key = members.join(",");
    let signer = this.#signers.get(key);
    if (signer === undefined) {
      const self = members.indexOf(this.member);
      signer = this.#o.scheme === "fast"
        ? createFastSigner(self < 0 ? null : self, members.map(fastSecret))
        : createBlsSigner(memberKey(this.member), members.map((m) => memberKey(m).publicKey));
      this.#signers.set(key, signer);
    }
    return signer;
  }

  deliver(from: number, data: string): void {
    this.#replica?.receive(from, data);
  }

  linkDown(member: number): void {
    this.#replica?.onLinkDown(member);
  }

  /** A crash: everything in memory is gone, the store keeps what was written. */
  crash(): void {
    if (this.#replica === undefined) return;
    this.#replica.stop();
    this.#store!.close();
    this.#replica = undefined;
    this.#store = undefined;
    this.incarnation++;
    this.crashes++;
    this.#world.crashed(this);
  }

  restart(): void {
    if (this.#replica !== undefined) return;
    this.start();
  }
}
