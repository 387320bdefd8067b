/**
 * A replica: the member's event loop around the pure consensus core, with everything a member
 * does that is not I/O: block validation and execution (chain.ts), the epoch switch
 * (epoch-consensus.ts), sync answers from the store (catch-up.ts), whom to stay linked to
 * (following.ts), the signed-message ledger and pacing (outbound.ts). The world enters through
 * the seams of io.ts: a running member plugs in sockets, timers, Redis and L1 (member.ts); the
 * whole-member simulator plugs in simulated ones and runs this same code.
 *
 * Event loop. Everything that reaches the core goes through `#step`: peer messages (routed by
 * epoch, decoded by the consensus codec; malformed ones are dropped and counted), ticks from one
 * timer that honours the latest schedule-timer action, and propose nudges when transactions
 * arrive. `#step` runs the core and carries out the returned actions synchronously and in order,
 * so two events never interleave (nothing here awaits).
 *
 * Ordering rule (src/consensus/events.ts): persist-safety is written with fsync before any later
 * send of the same list; and right before a signed vote, timeout or proposal leaves (outbound.ts),
 * it is entered in the store's signed-message ledger, which refuses a second, different message
 * of a kind in a view. If the ledger refuses, the message is not sent: a bug elsewhere cannot
 * make this member equivocate.
 */
import { behaviourOf, type Behaviour, type ByzantineContext, type Frame } from "../byzantine/index.ts";
import { createBlsSigner, decodeMessage, encodeEvidence, type Action, type Block, type Core, type Event, type Message, type Proposal, type Signer } from "../consensus/index.ts";
import type { Store } from "../store/index.ts";
import { Chain } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import { decodeEnvelope } from "./envelope.ts";
import { MAX_COMMITTEE_SIZE } from "../crypto/index.ts";
import { createDecodingSigner } from "../settlement/index.ts";
import { MemberDirectory } from "./directory.ts";
import { EpochConsensus, type SignerFactory } from "./epoch-consensus.ts";
import { boundaryIndex, EpochError, type EpochEnd, type EpochState } from "./epochs.ts";
import { systemClock, type Clock, type L1Sink, type Links, type ReplicaL1 } from "./io.ts";
import type { Log } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import { ProposalPacer } from "./pacer.ts";
import { decodeProposal, encodeProposal, encodeSafety } from "./persisted.ts";
import { CatchUp } from "./catch-up.ts";
import { Outbound } from "./outbound.ts";
import { Following } from "./following.ts";
import { HealthTracker, type Readiness } from "./health.ts";
import { HeldLinks } from "./held-links.ts";
import { LeaderLinkWatch } from "./leader-link.ts";
import { PeerBudget } from "./peer-budget.ts";
import { M, ProgressCounter } from "./telemetry.ts";

export interface ReplicaDeps {
  readonly config: NodeConfig;
  readonly store: Store;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly links: Links;
  readonly sink: L1Sink;
  readonly clock?: Clock;
  /** Absent: a standalone L2 (genesis l1Origin forever, no Inbox, no epochs). */
  readonly l1?: ReplicaL1;
  /** The signer of an epoch's committee; BLS with the config's key unless a simulator says otherwise. */
  readonly signerFor?: SignerFactory;
  /** DEVNET ONLY: how this member misbehaves; by default the config's `byzantine` mode (src/byzantine/). */
  readonly behaviour?: Behaviour;
  /** Who the members are (keys, endpoints); by default the config's committee, then what L1 says (directory.ts). */
  readonly directory?: MemberDirectory;
  /**
   * Hears the member ids this member must stay linked to whenever they change: its epoch's
   * members and those of every later epoch L1 has started, itself excepted (member.ts gives them
   * to the transport, which dials new ones and closes links to members no longer named).
   */
  readonly onFollowed?: (members: readonly number[]) => void;
}

/** Messages that carry no signature of this member: sending them needs nothing on disk. */
const UNSIGNED_KINDS: ReadonlySet<Message["kind"]> = new Set(["sync-request", "sync-response"]);

export class Replica {
  readonly config: NodeConfig;
  readonly log: Log;
  readonly store: Store;
  readonly chain: Chain;
  readonly metrics: Metrics;
  /** Keys, endpoints and fee recipients by member id: the config's genesis committee, then L1's records. */
  readonly directory: MemberDirectory;
  /** What each peer may make this member spend on verification (peer-budget.ts), by member id. */
  readonly budget = new PeerBudget();
  readonly #links: HeldLinks;
  readonly #sink: L1Sink;
  readonly #clock: Clock;
  readonly #l1: ReplicaL1 | undefined;
  readonly #consensus: EpochConsensus;
  readonly #pacer: ProposalPacer;
  /** Ledger, envelope and pacer: how this member's messages leave (outbound.ts). */
  readonly #outbound: Outbound;
  readonly #leaderLink: LeaderLinkWatch;
  readonly health: HealthTracker;
  readonly #progress: ProgressCounter;
  /** Sync answers and epoch-change proofs for members in other epochs (catch-up.ts). */
  readonly #catchUp: CatchUp;
  /** Whom this member stays linked to (following.ts). */
  readonly #following: Following;
  #cancelTimer: () => void = () => {};
  /** The `propose` event an idle leader waits for (see #mayPropose). */
  #cancelProposeWake: () => void = () => {};
  /** DEVNET ONLY: the Byzantine behaviour applied to every step and send (config field `byzantine`). */
  readonly #behaviour: Behaviour | undefined;
  #cancelPulse: () => void = () => {};
  #unfollowable: string | undefined;
  #stopped = false;

  constructor(deps: ReplicaDeps) {
    const { config, store, log } = deps;
    this.config = config;
    this.log = log;
    this.store = store;
    this.metrics = deps.metrics;
    this.#links = new HeldLinks(deps.links);
    this.#sink = deps.sink;
    this.#clock = deps.clock ?? systemClock;
    this.#l1 = deps.l1;
    this.#behaviour = deps.behaviour ?? (config.byzantine === undefined ? undefined : behaviourOf(config.byzantine));
    this.health = new HealthTracker(this.metrics, config.consensus.baseTimeoutMs);
    this.#progress = new ProgressCounter((view) => this.health.noteTc(view));
    this.directory = deps.directory ?? new MemberDirectory(config.committee, log);
    // The stored epoch may name members admitted after the deployment: learn them before its signer is built.
    this.directory.learnEpochs(deps.l1?.epochs() ?? []);
    const directory = this.directory;
    const signerFor = deps.signerFor ?? ((members) => createBlsSigner(config.secretKey, members.map((id) => directory.key(id))));
    // Decodes stored blocks and proofs of any epoch, whatever its committee: with real BLS a signer
    // that only decodes, as wide as a committee can be; a simulator's own signer over every configured member.
    const decoder = deps.signerFor === undefined ? createDecodingSigner(MAX_COMMITTEE_SIZE) : signerFor(config.committee.map((_, i) => i));
    this.chain = new Chain(config, store, decoder, deps.l1, (id) => directory.get(id)?.feeRecipient);
    this.#consensus = EpochConsensus.open(config, store, this.chain, signerFor, (id) => directory.has(id), (restored) => {
      this.#progress.baseline(restored.safety.highQc.view, restored.safety.lastTimeoutView);
      // What a restart read: a bounded window (the committed tail and what is above it), whatever the chain's length.
      log("info", "member.restored", { committed: restored.committed?.length ?? 0, uncommitted: restored.proposals.length, highQc: restored.safety.highQc.view });
    });
    this.chain.setEpochEnd(() => this.#epochEnd());
    this.#pacer = new ProposalPacer({ ...config.consensus, clock: this.#clock });
    this.chain.setProposeGate((parent, _view, now) => this.#mayPropose(parent, now));
    this.#outbound = new Outbound({
      safetyFloor: config.safetyFloor, store, log, metrics: this.metrics, links: this.#links, chain: this.chain,
      budget: this.budget, pacer: this.#pacer, consensus: this.#consensus,
    });
    this.#leaderLink = new LeaderLinkWatch(this.#links, this.#clock, config.consensus.leaderLinkGraceMs, () => this.#watchLeader());
    this.#catchUp = new CatchUp({
      store, log, links: this.#links, clock: this.#clock, budget: this.budget,
      signer: () => this.#consensus.signer,
      drop: (from, reason, detail) => this.#drop(from, reason, detail),
    });
    this.#following = new Following({
      member: config.member, baseTimeoutMs: config.consensus.baseTimeoutMs, clock: this.#clock,
      epoch: () => this.epoch, l1Epochs: () => this.#l1?.epochs() ?? [], onFollowed: deps.onFollowed,
    });
    this.metrics.set(M.committedHeight, Number(this.chain.states.committedHead.header.number));
    this.metrics.set(M.epoch, Number(this.epoch.epoch));
    this.health.baseline(this.core.view, this.#clock.now());
  }

  /** For /ready (health.ts). */
  readiness(): Readiness {
    return this.health.readiness({ epoch: this.epoch.epoch, committedHeight: this.chain.states.committedHead.header.number, now: this.#clock.now() });
  }

  /** The core of this member's current epoch (it changes with the epoch: read it per use). */
  get core(): Core {
    return this.#consensus.core;
  }

  get epoch(): EpochState {
    return this.#consensus.epoch;
  }

  /** This member's signer index in its epoch; -1 when the epoch left it out. */
  get self(): number {
    return this.#consensus.self;
  }

  /** Boots the core (after a restart too: the restored state is already in it). */
  start(): void {
    this.#following.note();
    this.onL1Epochs();
    this.#step({ type: "start", now: this.#clock.now() });
    if (this.#behaviour?.pulse !== undefined) this.#pulse(this.#behaviour);
  }

  stop(): void {
    this.#stopped = true;
    this.#cancelTimer();
    this.#cancelPulse();
    this.#following.stop();
    this.#pacer.stop();
    this.#leaderLink.stop();
    this.#cancelProposeWake();
  }

  /** The authenticated link to member `peer` (a member id) closed. */
  onLinkDown(_peer: number): void {
    this.#leaderLink.linkDown();
  }

  /** Transactions arrived in the mempool: a held empty block may leave sooner; nudge the core. */
  onAdmitted(): void {
    this.#pacer.notifyWork();
    this.#step({ type: "propose", now: this.#clock.now() });
  }

  /**
   * L1 brought new epochs: take in their members' records, tell the transport whom to follow,
   * and say once if one cannot be followed (the switch itself happens at a commit).
   */
  onL1Epochs(): void {
    if (this.#l1 === undefined) return;
    this.directory.learnEpochs(this.#l1.epochs());
    this.#following.note();
    try {
      this.#consensus.end(this.#l1.epochs());
      this.#unfollowable = undefined;
    } catch (e) {
      const error = (e as Error).message;
      if (this.#unfollowable !== error) this.log("error", "epoch.unfollowable", { error });
      this.#unfollowable = error;
    }
  }

  /** The member ids this member stays linked to (following.ts): its epoch's, later epochs', and those the last switch dropped, for a while. */
  followed(): number[] {
    return this.#following.members();
  }

  /** Where the current epoch ends, once L1 has started the next one; undefined for a committee this member cannot follow. */
  #epochEnd(): EpochEnd | undefined {
    if (this.#l1 === undefined) return undefined;
    // A block is validated only once L1 was read up to its origin: the epochs read then bring their records.
    this.directory.learnEpochs(this.#l1.epochs());
    try {
      return this.#consensus.end(this.#l1.epochs());
    } catch (e) {
      if (e instanceof EpochError) return undefined;
      throw e;
    }
  }

  // ---- the event loop ------------------------------------------------------------------------

  #step(event: Event): readonly Action[] {
    if (this.#stopped) return [];
    const core = this.#consensus.core;
    const before = this.epoch;
    const epoch = before.epoch;
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
    // A Byzantine member's behaviour rewrites the list; what it added leaves without the ledger.
    const own = this.#behaviour === undefined ? undefined : new Set(actions.map((a) => (a.type === "send" || a.type === "broadcast" ? a.message : a)));
    const out = this.#behaviour === undefined ? actions : this.#behaviour.rewrite(this.#byzantineContext(), actions);
    // One store transaction for the step's writes; its sends leave once it committed (held-links.ts).
    // A step that only sets a timer or refuses a message (most votes a leader collects) writes
    // nothing and opens none: BEGIN and COMMIT cost about a millisecond on a loaded member.
    const writes = out.some((a) => a.type !== "schedule-timer" && a.type !== "reject");
    // Its commit is fsynced only when the step sends what the member signed (or a certificate
    // holding its signature): that fsync makes every earlier commit durable too (database.ts), so
    // what was signed is on disk before it leaves, and the steps between (a QC that commits, a
    // sync answer) cost no fsync. A power loss may lose those; a process crash cannot.
    const durable = out.some((a) => (a.type === "send" || a.type === "broadcast") && !UNSIGNED_KINDS.has(a.message.kind));
    this.#links.holding((work) => (writes ? this.store.atomically(work, durable) : work()), () => {
      for (const action of out) {
        // After an epoch switch the rest of the old core's list is dropped, evidence excepted: its
        // safety state must not overwrite the new epoch's (one row), and without it nothing it
        // protects may be sent (the ordering rule). The old epoch needs none of it any more.
        if (this.epoch.epoch !== epoch && action.type !== "report-evidence") continue;
        this.#carryOut(action, epoch, own === undefined || own.has(action.type === "send" || action.type === "broadcast" ? action.message : action));
      }
    });
    this.metrics.set(M.view, Number(this.core.view));
    this.health.noteView(this.core.view, this.self >= 0 && this.core.leaderOf(this.core.view) === this.self, this.#clock.now());
    if (this.epoch.epoch !== epoch) this.#startEpoch(before);
    this.#watchLeader();
    return actions;
  }

  /**
   * Pacing by what is uncommitted (DESIGN §4, pacer.ts): a leader builds its block at once when it
   * has transactions to include or the chain has work waiting to commit; on an idle chain only
   * once the empty-block interval has passed, so that a transaction arriving meanwhile goes into
   * the block (it nudges the core: onAdmitted) instead of waiting behind an empty one.
   */
  #mayPropose(parent: Block, now: number): boolean {
    if (this.chain.mempool.size > 0 || this.chain.states.uncommittedWork(this.chain.hashOf(parent.header))) return true;
    const at = this.#pacer.idleUntil();
    if (now >= at) return true;
    this.#cancelProposeWake();
    this.#cancelProposeWake = this.#clock.after(at - now, () => this.#step({ type: "propose", now: this.#clock.now() }));
    return false;
  }

  /** Gives the current view up early when the member it waits on has no link (leader-link.ts). */
  #watchLeader(): void {
    const core = this.core;
    const view = core.view;
    if (this.#stopped || this.self < 0 || core.safety.lastTimeoutView >= view) return;
    // Before voting, the view waits on its leader's proposal; after, on the next leader's QC.
    const waitsOn = core.leaderOf(core.safety.lastVotedView >= view ? view + 1n : view);
    const peer = this.epoch.members[waitsOn];
    if (waitsOn === this.self || peer === undefined) return;
    const downMs = this.#leaderLink.downFor(peer);
    if (downMs === undefined) return;
    this.metrics.inc(M.viewsGivenUp);
    this.log("info", "consensus.gave_up", { view, waitsOn: peer, downMs });
    this.#step({ type: "give-up", now: this.#clock.now(), view });
  }

  /** `checked`: the core's own action (a behaviour's additions are sent without the ledger). */
  #carryOut(action: Action, epoch: bigint, checked = true): void {
    this.#progress.observe(this.metrics, action);
    switch (action.type) {
      case "persist-safety":
        this.store.saveSafety(encodeSafety(action.state));
        return;
      case "persist-block":
        this.store.putBlock({ hash: action.hash, number: action.proposal.block.header.number, view: action.proposal.block.header.view, epoch, proposer: action.proposal.proposer, data: encodeProposal(action.proposal) });
        this.#pacer.noteBlock(action.proposal.block.header.view);
        return;
      case "send":
      case "broadcast":
        return this.#outbound.send(action.type === "send" ? action.to : undefined, action.message, epoch, checked);
      case "commit":
        return this.#commit(action);
      case "schedule-timer":
        this.#cancelTimer();
        this.#cancelTimer = this.#clock.after(action.at - this.#clock.now(), () => this.#step({ type: "tick", now: this.#clock.now() }));
        return;
      case "report-evidence": {
        const e = action.evidence;
        const id = `${e.kind}-${epoch}-${e.view}-${e.signer}`;
        this.metrics.inc(M.evidence);
        this.log("warn", "consensus.evidence", { kind: e.kind, epoch, view: e.view, signer: e.signer, blockHashA: e.blockHashA, blockHashB: e.blockHashB });
        // Evidence does not name its epoch, and a signer index means another member in another
        // epoch: the settlement's evidence worker needs it beside the codec's fields.
        this.#sink.evidence(id, { ...(JSON.parse(new TextDecoder().decode(encodeEvidence(e))) as Record<string, unknown>), epoch: epoch.toString() });
        return;
      }
      case "reject": {
        const from = this.epoch.members[action.from] ?? action.from;
        this.budget.count(from, "refused");
        this.log("warn", "consensus.rejected", { from, reason: action.reason });
        return;
      }
    }
  }

  /** A commit: applied up to the epoch-change block when it is among the blocks, then the epoch switches (epochs.ts). */
  #commit(action: Extract<Action, { type: "commit" }>): void {
    const end = this.#epochEnd();
    const cut = end === undefined ? -1 : boundaryIndex(action.blocks, end);
    if (cut < 0) return this.#apply(action.blocks, action.proof);
    const last = cut === action.blocks.length - 1;
    const decode = (hash: string): Proposal => decodeProposal(this.store.getBlock(hash)!.data, this.#consensus.signer);
    // Newest first, as a sync answer: the certified child, then back down to the boundary block.
    const proof = [action.proof.child, ...action.blocks.slice(cut).reverse().map((b) => b.block)].map((b) => decode(this.chain.hashOf(b.header)));
    const from = this.epoch;
    const state = this.#consensus.switchAt(end!, action.blocks[cut]!, proof, action.proof.childQc, () => this.#apply(action.blocks.slice(0, cut + 1), last ? action.proof : undefined));
    this.log("info", "epoch.changed", { from: from.epoch, epoch: state.epoch, members: state.members, boundary: state.boundary!.number, boundaryHash: state.boundary!.hash, view: state.boundary!.view, dropped: action.blocks.length - 1 - cut });
  }

  #apply(blocks: Extract<Action, { type: "commit" }>["blocks"], proof: Extract<Action, { type: "commit" }>["proof"] | undefined): void {
    const applied = this.chain.applyCommit(blocks, proof, this.epoch.epoch);
    const last = applied[applied.length - 1];
    if (last === undefined) return;
    const txs = applied.reduce((a, b) => a + b.transactions, 0);
    this.metrics.set(M.committedHeight, Number(last.number));
    this.metrics.inc(M.committedTxs, {}, txs);
    this.health.noteCommit(this.core.view, this.#clock.now());
    this.log("info", "block.committed", { number: last.number, hash: last.hash, blocks: applied.length, transactions: txs, view: this.core.view });
    this.#sink.committed(last.number, this.#clock.now());
  }

  /** The new epoch's core is built (epoch-consensus.ts): start it, or stop signing if this member was left out. */
  #startEpoch(previous: EpochState): void {
    const { epoch, members, boundary } = this.epoch;
    this.#cancelTimer();
    this.#outbound.startEpoch();
    this.metrics.set(M.epoch, Number(epoch));
    // Members the switch dropped stay followed a little while (following.ts), then go.
    this.#following.keepDropped(previous);
    if (this.self < 0) this.log("warn", "epoch.left_out", { epoch, boundary: boundary!.number, note: "this member is not in the new committee: it stops signing and follows the chain as an observer" });
    else this.log("info", "epoch.started", { epoch, self: this.self, members, boundary: boundary!.number, view: boundary!.view });
    this.#step({ type: "start", now: this.#clock.now() });
  }

  // ---- DEVNET ONLY: a Byzantine member (src/byzantine/) ------------------------------------

  /** What a behaviour sees of this member: its key, its epoch, its core's view and leader rule. */
  #byzantineContext(): ByzantineContext {
    const consensus = this.#consensus;
    return {
      self: consensus.self,
      committeeSize: consensus.epoch.members.length,
      domain: consensus.domain,
      epoch: consensus.epoch.epoch,
      signer: consensus.signer,
      view: consensus.core.view,
      leaderOf: (view) => consensus.core.leaderOf(view),
      hashOf: (block) => this.chain.hashOf(block.header),
      note: (event, fields) => this.log("warn", event, fields),
    };
  }

  /** A flood's pulse: its messages and frames leave at once (no ledger, no pacer), then the next pulse is set. */
  #pulse(behaviour: Behaviour): void {
    if (this.#stopped) return;
    if (this.self >= 0) {
      const epoch = this.epoch.epoch;
      for (const out of behaviour.pulse!(this.#byzantineContext())) {
        if (out.type === "frame") this.#sendFrame(out);
        else if (out.type === "send" || out.type === "broadcast") this.#outbound.send(out.type === "send" ? out.to : undefined, out.message, epoch, false, true);
      }
    }
    this.#cancelPulse = this.#clock.after(behaviour.pulseMs ?? 10, () => this.#pulse(behaviour));
  }

  #sendFrame(frame: Frame): void {
    if (frame.to === undefined) return this.#links.broadcast(frame.data);
    const peer = this.epoch.members[frame.to];
    if (peer !== undefined) this.#links.send(peer, frame.data);
  }

  // ---- what peers send ---------------------------------------------------------------------

  /** A frame from member `from` (a member id; the link authenticated it). Gossiped transactions are the caller's. */
  receive(from: number, data: string): void {
    if (this.#stopped) return;
    const envelope = decodeEnvelope(data);
    if (envelope.type === "malformed") return this.#drop(from, "malformed", envelope.reason);
    if (envelope.type === "tx" || envelope.type === "txs") return;
    // A peer out of credit is not even decoded (decoding decompresses its signatures).
    if (!this.budget.ready(from, this.#clock.now())) return;
    const mine = this.epoch.epoch;
    if (envelope.type === "epoch-request") {
      if (envelope.epoch < mine) this.#catchUp.sendEpochProof(from, envelope.epoch);
      return;
    }
    if (envelope.epoch < mine) return this.#catchUp.fromOlderEpoch(from, envelope.epoch, envelope.body);
    if (envelope.epoch > mine) {
      // This member is behind an epoch change: ask for the proof that ends its epoch.
      this.#catchUp.askEpochProof(from, mine);
      return;
    }
    const consensus = this.#consensus;
    let message: Message;
    try {
      message = decodeMessage(Buffer.from(envelope.body, "utf8"), consensus.signer);
    } catch (e) {
      return this.#drop(from, "malformed", (e as Error).message.slice(0, 200));
    }
    if (!this.budget.admit(from, message, this.#clock.now())) return;
    const sender = consensus.epoch.members.indexOf(from);
    // Members outside the epoch (observers catching up to join it) are answered from the store.
    if (message.kind === "sync-request" && sender < 0) return this.#catchUp.answerSync(from, message, mine);
    if (sender < 0) return this.#drop(from, "not_in_epoch");
    if (message.kind === "tc") this.#progress.observeTc(this.metrics, message.tc.view);
    if (message.kind === "proposal" && message.proposal.tc !== undefined) this.#progress.observeTc(this.metrics, message.proposal.tc.view);
    if (this.#behaviour?.onMessage !== undefined && this.self >= 0) {
      for (const a of this.#behaviour.onMessage(this.#byzantineContext(), sender, message)) this.#carryOut(a, mine, false);
    }
    const answered = this.#step({ type: "message", now: this.#clock.now(), from: sender, message });
    // The core answers from memory; older blocks come from the store.
    if (message.kind === "sync-request" && !answered.some((a) => a.type === "send" && a.message.kind === "sync-response")) this.#catchUp.answerSync(from, message, mine);
  }

  #drop(from: number, reason: "malformed" | "not_in_epoch", detail?: string): void {
    this.budget.count(from, reason);
    if (detail !== undefined) this.log("warn", "network.dropped", { from, reason, detail });
  }

  /** What the member keeps in memory, for bounds checks (the simulator) and metrics. */
  footprint(): Record<string, number> {
    return { mempool: this.chain.mempool.size, pacerHeld: this.#pacer.heldCount, epochHelp: this.#catchUp.size, budgetPeers: this.budget.size };
  }
}

/** The decoder the RPC and the settlement read stored blocks with. */
export type { Signer };
