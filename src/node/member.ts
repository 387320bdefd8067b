/**
 * A committee member: the one place where the pure consensus core meets the real world (disk,
 * sockets, Redis, clocks). relab/hotstuff's `wiring/`, etcd raft's node loop.
 *
 * Event loop. Everything that reaches the core goes through `#step`: peer messages (decoded by the
 * consensus codec; malformed ones are dropped and counted), ticks from one real timer that
 * honours the latest schedule-timer action, and propose nudges when transactions arrive. `#step`
 * runs the core and carries out the returned actions synchronously and in order, so two events
 * never interleave (JavaScript runs one callback at a time, and nothing here awaits mid-list).
 *
 * Ordering rule (src/consensus/events.ts): persist-safety is written with fsync before any later
 * send of the same list; and right before a signed vote, timeout or proposal leaves, it is entered
 * in the store's signed-message ledger, which refuses a second, different message of a kind in a
 * view. If the ledger refuses, the message is not sent: a bug elsewhere cannot make this member
 * equivocate.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Server } from "node:http";
import { keccak256, type Hex } from "viem";
import { createBlsSigner, decodeMessage, encodeEvidence, encodeMessage, type Action, type Core, type Event, type Message, type Signer } from "../consensus/index.ts";
import { Network } from "../network/index.ts";
import { L1Outbox, memberPrefix, TxIntake } from "../queues/index.ts";
import { checkRedis } from "./redis-check.ts";
import { Admission } from "./admission.ts";
import { Store, StoreError } from "../store/index.ts";
import { Chain, storeIdentity } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import { decodeEnvelope, encodeConsensusEnvelope } from "./envelope.ts";
import type { Log } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import { ProposalPacer } from "./pacer.ts";
import { encodeProposal, encodeSafety } from "./persisted.ts";
import { signedEntryOf } from "./ledger.ts";
import { proposalsFromStore, type SyncRequest } from "./sync-store.ts";
import { MemberL1 } from "./l1.ts";
import { collectGauges, createMetrics, M, ProgressCounter } from "./telemetry.ts";
import type { EpochState } from "./epochs.ts";
import { EpochConsensus } from "./epoch-consensus.ts";
import { equivocating } from "./misbehaviour.ts";

export class Member {
  readonly config: NodeConfig;
  readonly log: Log;
  readonly store: Store;
  readonly chain: Chain;
  readonly network: Network;
  readonly intake: TxIntake;
  readonly outbox: L1Outbox;
  readonly metrics: Metrics;
  readonly admission: Admission;
  /** Present when the config has an `l1` section: the follower and the settlement (src/node/l1.ts). */
  readonly l1: MemberL1 | undefined;
  /** Decodes stored blocks and proofs of any epoch (the deployment's committee, the widest). */
  readonly #decoder: Signer;
  readonly #pacer: ProposalPacer;
  /** The committee epoch this member signs in, and its core. */
  readonly #consensus: EpochConsensus;
  readonly #progress = new ProgressCounter();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #metricsServer: Server | undefined;

  private constructor(config: NodeConfig, log: Log, store: Store, l1: MemberL1 | undefined) {
    this.config = config;
    this.log = log;
    this.metrics = createMetrics();
    const keys = config.committee.map((c) => c.publicKey);
    this.#decoder = createBlsSigner(config.secretKey, keys);
    this.store = store;
    this.l1 = l1;
    this.chain = new Chain(config, this.store, this.#decoder, l1);
    this.#consensus = EpochConsensus.open(config, store, this.chain, (restored) => this.#progress.baseline(restored.safety.highQc.view, restored.safety.lastTimeoutView));
    this.#pacer = new ProposalPacer(config.consensus);
    if (config.byzantine !== undefined) log("warn", "member.byzantine", { mode: config.byzantine, note: "DEVNET ONLY: this member misbehaves on purpose" });
    this.network = new Network({
      self: config.member,
      secretKey: config.secretKey,
      committee: keys,
      peers: config.committee.flatMap((c, index) => (index === config.member ? [] : [{ index, url: c.url }])),
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
    this.admission = new Admission({ config, chain: this.chain, intake: this.intake, network: this.network, log, onAdmitted: () => this.#onAdmitted() });
    collectGauges(this.metrics, this);
    this.metrics.set(M.committedHeight, Number(this.chain.states.committedHead.header.number));
    this.metrics.set(M.epoch, Number(this.#consensus.epoch.epoch));
  }

  /**
   * Opens the store, restores, binds the sockets and starts the loop. Throws QueueError
   * (REDIS_UNAVAILABLE) when Redis does not answer, StoreError for a damaged store.
   */
  static async start(config: NodeConfig, log: Log): Promise<Member> {
    await checkRedis(config.redis.url);
    const store = Store.open(join(config.dataDir, "store.sqlite"), storeIdentity(config));
    let l1: MemberL1 | undefined;
    try {
      // L1 is read before anything is restored or validated: restored blocks consume Inbox entries.
      if (config.l1 !== undefined) l1 = await MemberL1.open(config, store, log);
    } catch (e) {
      store.close();
      throw e;
    }
    const member = new Member(config, log, store, l1);
    await member.#run();
    return member;
  }

  async #run(): Promise<void> {
    this.network.onMessage((from, data) => this.#receive(from, data));
    await this.network.start();
    this.#metricsServer = await this.metrics.serve(this.config.listen.host, this.config.listen.metricsPort);
    this.intake.start((hash, data) => this.admission.consume(hash, data));
    if (this.l1 !== undefined) {
      this.l1.startFollowing();
      const l1 = this.l1;
      this.#consensus.bindEpochEnd(() => l1.follower.epochs());
      l1.onEpochs(() => this.#followEpochs());
      this.l1.startSettlement(this.outbox, { store: this.store, signer: this.#decoder, member: this.config.member });
    }
    await this.#awaitLinks();
    const head = this.chain.states.committedHead;
    this.log("info", "member.started", {
      view: this.core.view,
      committedHeight: head.header.number,
      committedHash: head.hash,
      p2p: this.network.port,
      metrics: this.metricsPort,
    });
    this.#followEpochs();
    this.#step({ type: "start", now: Date.now() });
  }

  // ---- epochs (src/node/epoch-consensus.ts) --------------------------------------------------

  /** The core of this member's current epoch. */
  get core(): Core {
    return this.#consensus.core;
  }

  get epoch(): EpochState {
    return this.#consensus.epoch;
  }

  /** Moves to the next epoch when L1 started one and its boundary block is committed (src/node/epochs.ts). */
  #followEpochs(): void {
    if (this.#stopped || this.l1 === undefined) return;
    let change;
    try {
      change = this.#consensus.follow(this.l1.follower.epochs());
    } catch (e) {
      this.log("error", "epoch.unfollowable", { error: (e as Error).message });
      return;
    }
    if (change === undefined) return;
    const { epoch, members, boundary } = change.state;
    if (change.committedPastBoundary !== undefined) {
      // Blocks above the boundary were committed by the old committee: possible only if a
      // Byzantine leader completed a QC that honest members signed before they switched.
      this.log("error", "epoch.committed_past_boundary", { epoch, boundary: boundary!.number, committedHead: change.committedPastBoundary });
    }
    clearTimeout(this.#timer);
    this.metrics.set(M.epoch, Number(epoch));
    if (this.#consensus.self < 0) {
      this.log("warn", "epoch.ejected", { epoch, boundary: boundary!.number, note: "this member is not in the new committee: it stops signing and keeps serving what it has" });
      return;
    }
    this.log("info", "epoch.started", { epoch, self: this.#consensus.self, members, boundary: boundary!.number, boundaryHash: boundary!.hash, view: boundary!.view });
    this.#step({ type: "start", now: Date.now() });
  }

  /**
   * Boots the core once links to every peer are up, or after one base view timeout (a member may
   * be down): a leader that proposed before its links were authenticated would see its proposal
   * dropped and its first view time out, for nothing.
   */
  async #awaitLinks(): Promise<void> {
    const peers = this.config.committee.length - 1;
    const deadline = Date.now() + this.config.consensus.baseTimeoutMs;
    while (this.network.connectedPeers().length < peers && Date.now() < deadline && !this.#stopped) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get metricsPort(): number {
    const a = this.#metricsServer?.address();
    return typeof a === "object" && a !== null ? a.port : this.config.listen.metricsPort;
  }

  // ---- the event loop ------------------------------------------------------------------------

  #step(event: Event): readonly Action[] {
    if (this.#stopped || this.#consensus.self < 0) return [];
    const core = this.#consensus.core;
    let actions: Action[];
    try {
      actions = core.step(event);
    } catch (e) {
      // The core already turns a peer message's failure into a reject; this catches a throw from
      // our own callbacks (buildPayload on tick/propose). The failed step's actions are dropped,
      // so none of its messages left; the core persists its whole safety state again before its
      // next new signature, and the signed-message ledger refuses anything that would contradict
      // what was signed. The member goes on; the view times out and the next leader proposes.
      this.metrics.inc(M.stepFailures);
      this.log("error", "consensus.step_failed", { event: event.type, error: e instanceof Error ? e.message : String(e) });
      return [];
    }
    for (const action of actions) this.#carryOut(action);
    this.metrics.set(M.view, Number(core.view));
    if (actions.some((a) => a.type === "commit")) this.#followEpochs();
    return actions;
  }

  #carryOut(action: Action): void {
    this.#progress.observe(this.metrics, action);
    switch (action.type) {
      case "persist-safety":
        this.store.saveSafety(encodeSafety(action.state));
        return;
      case "persist-block":
        this.store.putBlock({ hash: action.hash, number: action.proposal.block.header.number, view: action.proposal.block.header.view, data: encodeProposal(action.proposal) });
        this.#pacer.noteBlock(action.proposal.block.header.view);
        return;
      case "send":
      case "broadcast":
        return this.#send(action.type === "send" ? action.to : undefined, action.message);
      case "commit": {
        const applied = this.chain.applyCommit(action.blocks, action.proof, this.#consensus.epoch.epoch);
        const last = applied[applied.length - 1];
        if (last === undefined) return;
        const txs = applied.reduce((a, b) => a + b.transactions, 0);
        this.metrics.set(M.committedHeight, Number(last.number));
        this.metrics.inc(M.committedTxs, {}, txs);
        this.log("info", "block.committed", { number: last.number, hash: last.hash, blocks: applied.length, transactions: txs, view: this.core.view });
        // Settle items have a consumer only when the member follows an L1; without one they
        // would pile up in Redis forever. Nothing is lost: an item only says "settle up to N",
        // and the settlement worker reads what to settle from the store and L1.
        if (this.l1 !== undefined) {
          this.l1.noteCommitted(last.number, Date.now());
          this.outbox.enqueue({ kind: "settle", number: last.number.toString() }).catch((e: Error) => this.log("error", "outbox.enqueue_failed", { kind: "settle", number: last.number, error: e.message }));
        }
        return;
      }
      case "schedule-timer":
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#step({ type: "tick", now: Date.now() }), Math.max(0, action.at - Date.now()));
        return;
      case "report-evidence": {
        const e = action.evidence;
        const id = `${e.kind}-${e.view}-${e.signer}`;
        this.metrics.inc(M.evidence);
        this.log("warn", "consensus.evidence", { kind: e.kind, view: e.view, signer: e.signer, blockHashA: e.blockHashA, blockHashB: e.blockHashB });
        // Evidence does not name its epoch, and a signer index means another member in another
        // epoch: the settlement's evidence worker needs it beside the codec's fields.
        const evidence = { ...(JSON.parse(new TextDecoder().decode(encodeEvidence(e))) as Record<string, unknown>), epoch: this.#consensus.epoch.epoch.toString() };
        this.outbox.enqueue({ kind: "evidence", id, evidence }).catch((err: Error) => this.log("error", "outbox.enqueue_failed", { kind: "evidence", id, error: err.message }));
        return;
      }
      case "reject":
        this.metrics.inc(M.dropped, { reason: "refused_by_consensus" });
        this.log("warn", "consensus.rejected", { from: action.from, reason: action.reason });
        return;
    }
  }

  /** Records what this member signs in the ledger, then sends it (through the pacer). `to` is an epoch signer index. */
  #send(to: number | undefined, message: Message): void {
    if (this.config.byzantine === "silent") return;
    const consensus = this.#consensus;
    const signed = signedEntryOf(message, consensus.self, (v) => consensus.core.leaderOf(v), (h) => this.chain.hashOf(h));
    if (signed !== undefined) {
      try {
        this.store.recordSignature(signed.kind, signed.view, signed.payload, consensus.epoch.epoch);
      } catch (e) {
        if (!(e instanceof StoreError) || e.code !== "STORE_CONFLICT") throw e;
        this.metrics.inc(M.refusedSignatures);
        this.log("error", "ledger.refused", { kind: signed.kind, view: signed.view, error: e.message });
        return;
      }
      if (signed.kind === "vote") this.metrics.inc(M.votes);
    }
    const data = encodeConsensusEnvelope(new TextDecoder().decode(encodeMessage(message)));
    const peer = to === undefined ? undefined : consensus.epoch.members[to];
    if (to !== undefined && peer === undefined) return;
    // Links are by config index; after an epoch change, a broadcast still reaches an ejected member, which drops it.
    let deliver = () => (peer === undefined ? this.network.broadcast(data) : void this.network.send(peer, data));
    if (this.config.byzantine === "equivocate" && message.kind === "proposal" && signed?.kind === "proposal") {
      deliver = equivocating(deliver, message.proposal, { domain: consensus.domain, signer: consensus.signer, hashOf: (h) => this.chain.hashOf(h), network: this.network, log: this.log });
    }
    if (signed?.kind === "proposal") {
      this.metrics.inc(M.proposals);
      const empty = message.kind === "proposal" && this.chain.transactionHashes(message.proposal.block).length === 0;
      this.log("info", "block.proposed", { view: signed.view, hash: signed.payload, number: message.kind === "proposal" ? message.proposal.block.header.number : undefined, empty });
      this.#pacer.sendProposal(deliver, empty);
    } else this.#pacer.send(deliver);
  }

  #receive(from: number, data: string): void {
    if (this.#stopped) return;
    const envelope = decodeEnvelope(data);
    if (envelope.type === "malformed") {
      this.metrics.inc(M.dropped, { reason: "malformed" });
      this.log("warn", "network.malformed", { from, reason: envelope.reason });
      return;
    }
    if (envelope.type === "tx") {
      const hash = keccak256(envelope.raw);
      this.intake.submit(hash, { raw: envelope.raw, source: `peer:${from}` }).catch((e: Error) => this.log("error", "intake.submit_failed", { from, hash, error: e.message }));
      return;
    }
    // The link's index is the config's; consensus counts in the epoch's member order.
    const consensus = this.#consensus;
    const sender = consensus.epoch.members.indexOf(from);
    if (sender < 0 || consensus.self < 0) {
      this.metrics.inc(M.dropped, { reason: "not_in_epoch" });
      return;
    }
    let message: Message;
    try {
      message = decodeMessage(Buffer.from(envelope.body, "utf8"), consensus.signer);
    } catch (e) {
      this.metrics.inc(M.dropped, { reason: "malformed" });
      this.log("warn", "network.malformed", { from, reason: (e as Error).message.slice(0, 200) });
      return;
    }
    if (message.kind === "tc") this.#progress.observeTc(this.metrics, message.tc.view);
    if (message.kind === "proposal" && message.proposal.tc !== undefined) this.#progress.observeTc(this.metrics, message.proposal.tc.view);
    const answered = this.#step({ type: "message", now: Date.now(), from: sender, message });
    if (message.kind === "sync-request" && !answered.some((a) => a.type === "send" && a.message.kind === "sync-response")) this.#answerSyncFromStore(sender, message);
  }

  /** The core's archive lacked the block: answer from the store (see sync-store.ts). `from` is an epoch signer index. */
  #answerSyncFromStore(from: number, request: SyncRequest): void {
    // Only the epoch's own blocks: those below its boundary were signed by another committee.
    const above = this.#consensus.epoch.boundary?.number ?? 0n;
    let proposals;
    try {
      proposals = proposalsFromStore(this.store, this.#consensus.signer, { ...request, above: request.above > above ? request.above : above });
    } catch (e) {
      this.log("warn", "sync.store_unreadable", { to: from, error: (e as Error).message });
      return;
    }
    if (proposals.length === 0) return;
    this.log("info", "sync.served_from_store", { to: from, blocks: proposals.length, newest: request.blockHash });
    this.#send(from, { kind: "sync-response", proposals });
  }

  // ---- transactions ------------------------------------------------------------------------

  /** Transactions arrived in the mempool: a held empty block may leave sooner; nudge the core. */
  #onAdmitted(): void {
    this.#pacer.notifyWork();
    this.#step({ type: "propose", now: Date.now() });
  }

  /** eth_sendRawTransaction (see Admission.submit). */
  async submitTransaction(raw: Hex): Promise<Hex> {
    return await this.admission.submit(raw);
  }

  // ---- shutdown ----------------------------------------------------------------------------

  /** Stops timers, closes links, waits for running queue jobs, closes the store. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#pacer.stop();
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
