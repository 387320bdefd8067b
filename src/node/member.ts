/**
 * A committee member process: the replica (replica.ts, the event loop and everything that is not
 * I/O) wired to the real world: authenticated WebSocket links, real timers, Redis queues (the
 * transaction intake and the L1 outbox), the L1 follower and settlement, and the metrics server.
 * relab/hotstuff's `wiring/`; the whole-member simulator wires the same replica to simulated parts.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { join } from "node:path";
import type { Server } from "node:http";
import type { Hex } from "viem";
import type { Core } from "../consensus/index.ts";
import { behaviourOf } from "../byzantine/index.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, Network } from "../network/index.ts";
import { L1Outbox, memberPrefix, TxIntake } from "../queues/index.ts";
import { damagedMessage, Store, StoreError } from "../store/index.ts";
import { checkStoreIntegrity } from "../store/integrity.ts";
import { checkRedis } from "./redis-check.ts";
import { Admission } from "./admission.ts";
import { storeIdentity, type Chain } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import type { EpochState } from "./epochs.ts";
import type { L1Sink } from "./io.ts";
import type { Log } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import { MemberDirectory } from "./directory.ts";
import { resolveMember } from "./identity.ts";
import { MemberL1 } from "./l1.ts";
import { GossipReceiver } from "./gossip.ts";
import { GossipBatch } from "./gossip-batch.ts";
import { Replica } from "./replica.ts";
import { collectGauges, createMetrics, M } from "./telemetry.ts";

export class Member {
  readonly config: NodeConfig;
  readonly log: Log;
  readonly store: Store;
  readonly network: Network;
  readonly intake: TxIntake;
  readonly outbox: L1Outbox;
  readonly metrics: Metrics;
  readonly admission: Admission;
  readonly replica: Replica;
  /** Present when the config has an `l1` section: the follower and the settlement (src/node/l1.ts). */
  readonly l1: MemberL1 | undefined;
  /**
   * What the RPC's subscriptions and filters follow (rpc-context.ts): `committed` with the new
   * committed height, `accepted` with each transaction hash that entered the mempool. Emitted
   * after the fact; listeners must not throw (rpc-context.ts guards them).
   */
  readonly events = new EventEmitter<{ committed: [height: bigint]; accepted: [hash: Hex] }>();
  /** Peers' gossip in: size bounds, budget, deduplication, then admission (gossip.ts). */
  readonly #gossipIn: GossipReceiver;
  /** Accepted wallet transactions out to the peers, in batches (gossip-batch.ts). */
  readonly #gossipOut: GossipBatch;
  #stopped = false;
  #metricsServer: Server | undefined;

  private constructor(config: NodeConfig, log: Log, store: Store, l1: MemberL1 | undefined) {
    this.config = config;
    this.log = log;
    this.metrics = createMetrics();
    this.store = store;
    this.l1 = l1;
    if (config.byzantine !== undefined) log("warn", "member.byzantine", { mode: config.byzantine, note: "DEVNET ONLY: this member misbehaves on purpose" });
    // Keys and endpoints by member id: the config's committee, then what L1's epochs name.
    const directory = new MemberDirectory(config.committee, log);
    this.network = new Network({
      self: config.member,
      secretKey: config.secretKey,
      committee: (id) => directory.get(id)?.publicKey,
      // Set below, once the replica knows its epoch (and L1's later ones): the members it follows.
      peers: [],
      domain: config.domain,
      listen: { host: config.listen.host, port: config.listen.p2pPort },
      log: (event, fields) => log("info", event, fields),
    });
    const redis = {
      url: config.redis.url,
      onUnavailable: (e: Error) => {
        this.metrics.set(M.redisUp, 0);
        log("error", "redis.unavailable", { url: config.redis.url, error: e.message, note: "retrying; transaction submissions fail until Redis is back" });
      },
      onRecovered: () => {
        this.metrics.set(M.redisUp, 1);
        log("info", "redis.recovered", { url: config.redis.url });
      },
    };
    // Queues belong to this store: a wiped data dir is a new chain, whose outbox jobs ("settle-5")
    // and intake dedup must not collide with the old chain's, which linger in Redis.
    let storeId = this.store.getFact("storeId");
    if (storeId === undefined) this.store.setFact("storeId", (storeId = randomBytes(4).toString("hex")));
    const prefix = memberPrefix(`${config.redis.prefix}:${storeId}`, config.member);
    this.intake = new TxIntake({ ...redis, prefix });
    this.outbox = new L1Outbox({ ...redis, prefix });
    // A flooding member on real links also sends frames over the transport's limit.
    const behaviour = config.byzantine === undefined ? {} : { behaviour: behaviourOf(config.byzantine, { maxFrameBytes: DEFAULT_MAX_MESSAGE_BYTES }) };
    const follow = (ids: readonly number[]) => this.network.setPeers(ids.map((index) => ({ index, url: directory.get(index)?.url })));
    this.replica = new Replica({ config, store, log, metrics: this.metrics, links: this.network, sink: this.#sink(), directory, onFollowed: follow, ...(l1 === undefined ? {} : { l1 }), ...behaviour });
    follow(this.replica.followed());
    // A moved endpoint (or a record read later) reaches the transport too.
    directory.onChange(() => follow(this.replica.followed()));
    this.#gossipOut = new GossipBatch({ broadcast: (data) => this.network.broadcast(data) });
    this.admission = new Admission({
      config,
      chain: this.replica.chain,
      intake: this.intake,
      gossip: this.#gossipOut,
      log,
      onAdmitted: () => this.replica.onAdmitted(),
      onAccepted: (hash) => this.events.emit("accepted", hash),
    });
    this.#gossipIn = new GossipReceiver({ budget: this.replica.budget, admission: this.admission, log });
    collectGauges(this.metrics, this);
  }

  /** Settle items and evidence go to the Redis outbox, which the settlement consumes (only with an L1: nothing would consume them otherwise). */
  #sink(): L1Sink {
    return {
      committed: (number, at) => {
        // Gossip refused while this member lagged may be admissible now (admission.ts).
        this.admission?.retryDeferred();
        this.events.emit("committed", number);
        if (this.l1 === undefined) return;
        this.l1.noteCommitted(number, at);
        this.outbox.enqueue({ kind: "settle", number: number.toString() }).catch((e: Error) => this.log("error", "outbox.enqueue_failed", { kind: "settle", number, error: e.message }));
      },
      evidence: (id, evidence) => {
        this.outbox.enqueue({ kind: "evidence", id, evidence }).catch((e: Error) => this.log("error", "outbox.enqueue_failed", { kind: "evidence", id, error: e.message }));
      },
    };
  }

  /**
   * Opens the store, restores, binds the sockets and starts the loop. Throws QueueError
   * (REDIS_UNAVAILABLE) when Redis does not answer, StoreError for a damaged store. `onFatal`
   * hears of what stops a running member: the whole-file store check (store/integrity.ts) runs
   * after start-up, and damage it finds stops the member (a damaged store is never used).
   */
  static async start(given: NodeConfig, log: Log, onFatal?: (e: Error) => void): Promise<Member> {
    const config = await resolveMember(given, log);
    await checkRedis(config.redis.url);
    const store = Store.open(join(config.dataDir, "store.sqlite"), storeIdentity(config));
    let member: Member;
    try {
      // L1 is read before anything is restored or validated: restored blocks consume Inbox entries.
      const l1 = config.l1 === undefined ? undefined : await MemberL1.open(config, store, log);
      member = new Member(config, log, store, l1);
    } catch (e) {
      store.close();
      throw e;
    }
    await member.#run();
    member.#checkStore(onFatal);
    return member;
  }

  #checkStore(onFatal: ((e: Error) => void) | undefined): void {
    checkStoreIntegrity(this.store.path).then(
      (damage) => {
        if (damage === undefined || this.#stopped) return;
        const error = new StoreError("STORE_DAMAGED", damagedMessage(this.store.path, damage));
        this.log("error", "store.damaged", { error: error.message });
        void this.stop().finally(() => onFatal?.(error));
      },
      (e: Error) => this.log("warn", "store.check_failed", { error: e.message, note: "the whole-file check could not run; the store's own checks still apply" }),
    );
  }

  async #run(): Promise<void> {
    this.network.onMessage((from, data) => this.#receive(from, data));
    this.network.onLinkDown((peer) => this.replica.onLinkDown(peer));
    await this.network.start();
    this.#metricsServer = await this.metrics.serve(this.config.listen.host, this.config.listen.metricsPort, () => this.replica.readiness());
    this.intake.start((hash, data) => this.admission.consume(hash, data));
    if (this.l1 !== undefined) {
      this.l1.startFollowing();
      this.l1.onEpochs(() => this.replica.onL1Epochs());
      this.l1.startSettlement(this.outbox, { store: this.store, signer: this.replica.chain.decoder, member: this.config.member });
    }
    await this.#awaitLinks();
    const head = this.chain.states.committedHead;
    this.log("info", "member.started", { view: this.core.view, epoch: this.epoch.epoch, committedHeight: head.header.number, committedHash: head.hash, p2p: this.network.port, metrics: this.metricsPort });
    this.replica.start();
  }

  get chain(): Chain {
    return this.replica.chain;
  }

  /** The core of this member's current epoch. */
  get core(): Core {
    return this.replica.core;
  }

  get epoch(): EpochState {
    return this.replica.epoch;
  }

  /**
   * Boots the core once links to every peer are up, or after one base view timeout (a member may
   * be down): a leader that proposed before its links were authenticated would see its proposal
   * dropped and its first view time out, for nothing.
   */
  async #awaitLinks(): Promise<void> {
    const peers = this.network.peers().length;
    const deadline = Date.now() + this.config.consensus.baseTimeoutMs;
    while (this.network.connectedPeers().length < peers && Date.now() < deadline && !this.#stopped) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get metricsPort(): number {
    const a = this.#metricsServer?.address();
    return typeof a === "object" && a !== null ? a.port : this.config.listen.metricsPort;
  }

  /** Gossiped transactions go straight to the mempool (gossip.ts); everything else is the replica's. */
  #receive(from: number, data: string): void {
    if (this.#stopped) return;
    if (GossipReceiver.carries(data)) this.#gossipIn.receive(from, data, Date.now());
    else this.replica.receive(from, data);
  }

  /** eth_sendRawTransaction (see Admission.submit). */
  async submitTransaction(raw: Hex): Promise<Hex> {
    return await this.admission.submit(raw);
  }

  /** Stops timers, closes links, waits for running queue jobs, closes the store. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.replica.stop();
    this.#gossipOut.close();
    await this.network.close();
    await this.intake.close();
    // Ends a settlement's receipt wait first: the outbox's close waits for the running item.
    await this.l1?.stop();
    await this.outbox.close();
    await new Promise<void>((resolve) => (this.#metricsServer === undefined ? resolve() : this.#metricsServer.close(() => resolve())));
    this.store.close();
    this.log("info", "member.stopped", {});
  }
}
