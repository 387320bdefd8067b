/**
 * The consensus core: two-chain HotStuff (Jolteon / DiemBFT v4) as a pure state machine.
 * `step(event)` returns the actions to carry out (see the ordering rule on `Action`). No I/O, no
 * clock, no randomness: the same events give the same actions, which is what lets the simulator
 * replay any run from its seed.
 *
 * Message flow in view v: the leader of v proposes a block extending its high QC (with the TC of
 * v - 1 if that view timed out); members vote to the leader of v + 1; n - f votes form a QC that
 * moves everyone to v + 1 inside the next proposal. A QC over B' whose parent B has view
 * B'.view - 1 commits B (the two-chain rule). A view without progress times out; n - f timeouts
 * form a TC, which moves everyone on.
 */
import type { Hex } from "viem";
import { faultTolerance, quorumSize } from "../crypto/index.ts";
import { proposalDigestOf, timeoutDigestOf, voteDigestOf } from "./digests.ts";
import { BlockTree } from "./block-tree.ts";
import { CertificateCache, verifyProposalSignature, type VerifyContext } from "./certificates.ts";
import type { CoreConfig, RestoredState } from "./config.ts";
import { ConsensusError } from "./errors.ts";
import type { Action, Event } from "./events.ts";
import { createEvidence, evidenceKey, ProposalLog, type SignedHash } from "./evidence.ts";
import { carousel, type LeaderRule } from "./leader.ts";
import { LeaderWait } from "./leader-wait.ts";
import { MAX_SYNC_PAYLOAD_BYTES, MAX_SYNC_PROPOSALS, type Message } from "./messages.ts";
import { DEFAULT_PACEMAKER, Pacemaker } from "./pacemaker.ts";
import { hashBlock } from "./hash.ts";
import { acceptAnyBlock, createEmptyPayloadBuilder, type BuildPayload, type MayPropose, type ValidateBlock } from "./payload.ts";
import { checkBlockShape, checkProposalShape } from "./shape.ts";
import { initialSafetyState, isSafeToVote, recordVote, updateHighQc } from "./safety.ts";
import { SyncState } from "./sync.ts";
import { TimeoutCollector } from "./timeouts.ts";
import type { Block, Evidence, Proposal, QC, SafetyState, TC, Timeout, Vote } from "./types.ts";
import { VoteCollector } from "./votes.ts";

export { hashBlock, type CoreConfig, type RestoredState };

export class Core {
  readonly #self: number;
  readonly #ctx: VerifyContext;
  readonly #leader: LeaderRule;
  readonly #build: BuildPayload;
  readonly #mayPropose: MayPropose | undefined;
  readonly #validate: ValidateBlock;
  readonly #tree: BlockTree;
  readonly #pacemaker: Pacemaker;
  readonly #votes: VoteCollector;
  readonly #timeouts: TimeoutCollector;
  readonly #proposals = new ProposalLog();
  readonly #leaderWait = new LeaderWait();
  readonly #sync = new SyncState();
  readonly #certificates: CertificateCache;
  readonly #reported = new Set<string>();
  readonly #faults: number;
  #safety: SafetyState;
  #safetyDirty = false;
  #lastTc: TC | null = null;
  /** Set when the commit head moves: waiting proposals get a second look at the end of the step. */
  #commitMoved = false;
  /** One proposal per step: a one-member committee certifies its own block at once and would recurse. */
  #proposedInStep = false;
  #now = 0;
  #actions: Action[] = [];

  constructor(config: CoreConfig, restored?: RestoredState) {
    const n = config.signer.committeeSize;
    // Below 4 members f = 0 (all must sign); slashing can shrink a committee that far (DEVELOPERS).
    if (n < 1) throw new ConsensusError("INVALID_CONFIG", "a committee needs at least 1 member", `got ${n}`);
    if (!Number.isInteger(config.self) || config.self < -1 || config.self >= n) {
      throw new ConsensusError("INVALID_CONFIG", "self is not a committee index (or -1 for an observer)", `self ${config.self}, committee size ${n}`);
    }
    this.#self = config.self;
    const genesisHash = hashBlock(config.domain, config.genesis);
    const genesisView = config.genesis.header.view;
    this.#ctx = { domain: config.domain, signer: config.signer, genesisHash, genesisView };
    this.#certificates = new CertificateCache(this.#ctx);
    this.#leader = config.leaderRule ?? carousel(n);
    this.#build = config.buildPayload ?? createEmptyPayloadBuilder();
    this.#mayPropose = config.mayPropose;
    this.#validate = config.validateBlock ?? acceptAnyBlock;
    this.#tree = new BlockTree({ hash: genesisHash, block: config.genesis, proposal: null }, config.archiveLimit ?? 4096);
    this.#votes = new VoteCollector(n, quorumSize(n));
    this.#timeouts = new TimeoutCollector(n, quorumSize(n));
    this.#faults = faultTolerance(n);
    const genesisQc: QC = { view: genesisView, blockHash: genesisHash, signers: 0n, signature: null };
    this.#safety = restored?.safety ?? initialSafetyState(genesisQc);
    if (restored !== undefined) this.#restoreBlocks(restored);
    const s = this.#safety;
    let view = s.highQc.view + 1n;
    for (const v of [s.lastVotedView, s.lastTimeoutView, s.lastProposedView]) if (v > view) view = v;
    this.#pacemaker = new Pacemaker(config.pacemaker ?? DEFAULT_PACEMAKER, view);
  }

  /** Own persisted blocks are trusted (they were verified before they were written). */
  #restoreBlocks(restored: RestoredState): void {
    if (restored.committed !== undefined && restored.committed.length > 0) {
      const tail = restored.committed.map((p) => ({ hash: hashBlock(this.#ctx.domain, p.block), block: p.block, proposal: p }));
      for (let i = 1; i < tail.length; i++) {
        if (tail[i]!.block.header.parentHash !== tail[i - 1]!.hash) {
          throw new ConsensusError("INVALID_CONFIG", "the restored committed chain is not a chain", `block ${tail[i]!.hash} does not extend ${tail[i - 1]!.hash}`);
        }
      }
      this.#tree.reroot(tail);
      for (const e of tail) this.#proposals.record(e.block.header.view, { blockHash: e.hash, signature: e.proposal.signature, proposer: e.proposal.proposer });
    }
    const sorted = [...restored.proposals].sort((a, b) => (a.block.header.number < b.block.header.number ? -1 : 1));
    for (const p of sorted) {
      const hash = hashBlock(this.#ctx.domain, p.block);
      if (this.#tree.has(p.block.header.parentHash)) this.#tree.insert({ hash, block: p.block, proposal: p });
      this.#proposals.record(p.block.header.view, { blockHash: hash, signature: p.signature, proposer: p.proposer });
    }
    if (restored.committedHash !== undefined && this.#tree.has(restored.committedHash)) this.#tree.commit(restored.committedHash);
  }

  get view(): bigint {
    return this.#pacemaker.view;
  }
  get safety(): SafetyState {
    return this.#safety;
  }
  get committedHead(): { hash: Hex; block: Block } {
    return this.#tree.root;
  }
  /** The leader of `view` by this member's committed chain (leader.ts). */
  leaderOf(view: bigint): number {
    return this.#leader.leaderOf(view, this.#tree);
  }

  step(event: Event): Action[] {
    this.#actions = [];
    this.#now = event.now;
    this.#proposedInStep = false;
    switch (event.type) {
      case "start":
        this.#pacemaker.start(event.now);
        this.#emit({ type: "schedule-timer", at: this.#pacemaker.deadline });
        this.#tryPropose();
        break;
      case "tick":
        // A timer may fire before the deadline by the host's clock (Node's timers run on a
        // cached, truncated loop time; a wall clock can step back): re-arm it, or no timer would
        // be left and the member would wait in this view for good.
        if (this.#pacemaker.hasExpired(event.now)) this.#onLocalTimeout();
        else this.#emit({ type: "schedule-timer", at: this.#pacemaker.deadline });
        break;
      case "propose":
        this.#tryPropose();
        break;
      case "give-up":
        if (event.view === this.#pacemaker.view && this.#self >= 0 && this.#safety.lastTimeoutView < event.view) this.#onLocalTimeout();
        break;
      case "message":
        if (event.from === this.#self || !(event.from >= 0 && event.from < this.#ctx.signer.committeeSize)) {
          this.#reject(event.from, "sender is not another committee member");
        } else {
          try {
            this.#onMessage(event.from, event.message);
            this.#retryWaiting();
          } catch (e) {
            // A peer's message must never take the node down. Whatever was done before the throw
            // is consistent (safety changes are still flushed before this step's sends leave);
            // the simulator treats this reason as a failure, so a bug cannot hide behind it.
            this.#reject(event.from, `internal error: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        break;
    }
    if (event.type !== "message") this.#retryWaiting();
    this.#flushSafety();
    return this.#actions;
  }

  #onMessage(from: number, message: Message): void {
    switch (message.kind) {
      case "proposal":
        return this.#onProposal(from, message.proposal, false);
      case "vote":
        return this.#onVote(from, message.vote);
      case "timeout":
        return this.#onTimeout(from, message.timeout, message.seen);
      case "tc":
        if (message.tc.view + 1n < this.#pacemaker.view) return;
        if (this.#checkTc(from, message.tc)) this.#processTc(from, message.tc);
        return;
      case "qc":
        // An old QC for a block we hold is noise, unless it commits something (an epoch-change
        // proof, or a QC this member missed while its view moved on by timeouts).
        if (message.qc.view + 1n < this.#pacemaker.view && this.#tree.has(message.qc.blockHash) && !this.#commitsNew(message.qc)) return;
        if (this.#checkQc(from, message.qc)) this.#processQc(from, message.qc);
        return;
      case "sync-request": {
        const proposals = this.#tree.proposalsFrom(message.blockHash, Math.min(message.limit, MAX_SYNC_PROPOSALS), message.above, MAX_SYNC_PAYLOAD_BYTES);
        if (proposals.length > 0) this.#send(from, { kind: "sync-response", proposals });
        return;
      }
      case "sync-response":
        // Oldest first, so each parent is in the tree before its child is checked.
        for (const p of [...message.proposals].slice(0, MAX_SYNC_PROPOSALS).reverse()) this.#onProposal(from, p, false);
        return;
    }
  }

  // ---- proposals and votes -------------------------------------------------------------------

  #onProposal(from: number, p: Proposal, verified: boolean): void {
    const { block } = p;
    const view = block.header.view;
    const hash = hashBlock(this.#ctx.domain, block);
    if (this.#tree.has(hash) || block.header.number <= this.#tree.root.block.header.number) return;
    // Parked, waiting for its parent: it was verified when it came first (a catch-up sees the same
    // proposals again in live traffic and overlapping sync pages).
    if (this.#sync.holds(hash)) return;
    const problem = checkProposalShape(p);
    if (problem !== null) return this.#reject(from, problem);
    if (!verified) {
      // Cheap checks passed; now the pairings: the proposer's signature, then its certificates
      // (not again for a proposal already waiting for its leader: only the leader check is redone).
      if (!this.#leaderWait.holds(hash)) {
        if (!Number.isInteger(p.proposer) || p.proposer < 0 || p.proposer >= this.#ctx.signer.committeeSize ||
          !verifyProposalSignature(this.#ctx, p.proposer, view, hash, p.signature)) {
          return this.#reject(from, `proposal of view ${view} is not signed by its leader`);
        }
        if (!this.#checkQc(from, block.justify)) return;
        if (p.tc !== undefined && !this.#checkTc(from, p.tc)) return;
      }
      // Certificates first: they may commit the block the leader rule reads (leader.ts).
      this.#processQc(from, block.justify);
      if (p.tc !== undefined) this.#processTc(from, p.tc);
      if (this.#tree.has(hash)) return;
      // A block some QC certified (the high QC, or a parked child's justify) is the view's certified block whoever proposed it.
      if (p.proposer !== this.leaderOf(view) && this.#safety.highQc.blockHash !== hash && !this.#sync.certifiedByParked(hash)) return this.#waitForLeader(from, hash, p);
    }
    const first = this.#proposals.get(view);
    if (first === undefined) this.#proposals.record(view, { blockHash: hash, signature: p.signature, proposer: p.proposer });
    else if (first.blockHash !== hash && first.proposer === p.proposer) {
      const second = { blockHash: hash, signature: p.signature };
      this.#emitEvidence(createEvidence("proposal", view, p.proposer, first, second));
    }
    if (verified) {
      this.#processQc(from, block.justify);
      if (p.tc !== undefined) this.#processTc(from, p.tc);
    }
    const parent = this.#tree.get(block.header.parentHash);
    if (parent === undefined) {
      this.#sync.park(hash, p);
      this.#requestBlock(from, block.header.parentHash);
      return;
    }
    const shape = checkBlockShape(block, parent.block);
    const verdict = shape.ok ? this.#validate(block, parent.block, this.#now) : shape;
    if (!verdict.ok) return this.#reject(from, `block ${hash} of view ${view}: ${verdict.reason}`);
    this.#tree.insert({ hash, block, proposal: p });
    this.#emit({ type: "persist-block", hash, proposal: p });
    if (this.#safety.highQc.blockHash === hash) this.#applyCommitRule(this.#safety.highQc);
    if (view === this.#pacemaker.view && isSafeToVote(this.#safety, block, p.tc)) this.#vote(view, hash);
    for (const child of this.#sync.takeChildren(hash)) this.#onProposal(from, child, true);
    this.#tryPropose();
  }

  /**
   * A proposal whose proposer this member does not take for the leader: wait for the commit head
   * to move or a QC to certify it (leader-wait.ts); refuse it aloud only when no later commit can
   * change the answer.
   */
  #waitForLeader(from: number, hash: Hex, p: Proposal): void {
    const view = p.block.header.view;
    if (this.#leader.settled(view, this.#tree)) this.#reject(from, `proposal of view ${view} is not signed by its leader (member ${this.leaderOf(view)}, not ${p.proposer})`);
    this.#leaderWait.park(from, hash, p);
  }

  /** After the commit head moved: the waiting proposals whose proposer is now the leader go on. */
  #retryWaiting(): void {
    while (this.#commitMoved) {
      this.#commitMoved = false;
      if (this.#leaderWait.size === 0) return;
      const ready = this.#leaderWait.takeReady(this.#tree.root.block.header.view, (p) => p.proposer === this.leaderOf(p.block.header.view));
      for (const w of ready) this.#onProposal(w.from, w.proposal, true);
    }
  }

  #vote(view: bigint, blockHash: Hex): void {
    if (this.#self < 0) return; // an observer follows the chain and never signs
    this.#setSafety(recordVote(this.#safety, view));
    const signature = this.#ctx.signer.sign(voteDigestOf(this.#ctx.domain, view, blockHash));
    const vote: Vote = { view, blockHash, signer: this.#self, signature };
    const next = this.leaderOf(view + 1n);
    if (next === this.#self) this.#collectVote(this.#self, vote);
    else this.#send(next, { kind: "vote", vote });
  }

  #onVote(from: number, vote: Vote): void {
    if (vote.signer !== from) return this.#reject(from, "a vote must come from its signer");
    if (this.leaderOf(vote.view + 1n) !== this.#self && !this.#mayLeadSoon(vote.view + 1n)) return this.#reject(from, `not the leader of view ${vote.view + 1n}`);
    if (vote.view + 2n < this.#pacemaker.view) return; // too old to matter, even as evidence
    this.#collectVote(from, vote);
  }

  /**
   * Votes may reach the next leader before the proposal whose justify commits the block that
   * makes it the leader (leader.ts). While that is still open, votes of the current or next view
   * are collected anyway: a QC is valid whoever assembles it, and the window bounds the cost.
   */
  #mayLeadSoon(view: bigint): boolean {
    const current = this.#pacemaker.view;
    return this.#self >= 0 && view >= current && view <= current + 2n && !this.#leader.settled(view, this.#tree);
  }

  #collectVote(from: number, vote: Vote): void {
    const outcome = this.#votes.add(this.#ctx, vote);
    if (outcome.evidence !== undefined) this.#emitEvidence(outcome.evidence);
    // A vote for a block we lack: fetch its proposal, to build on it once certified, and to
    // catch a leader that sent another block to us (its second signature is then evidence).
    if (from !== this.#self && !this.#tree.has(vote.blockHash)) this.#requestBlock(from, vote.blockHash);
    if (outcome.qc !== undefined) this.#processQc(this.#self, outcome.qc);
  }

  #tryPropose(): void {
    const view = this.#pacemaker.view;
    if (this.#proposedInStep || this.leaderOf(view) !== this.#self || this.#safety.lastProposedView >= view) return;
    const justify = this.#safety.highQc;
    let tc: TC | undefined;
    if (justify.view + 1n !== view) {
      if (this.#lastTc === null || this.#lastTc.view + 1n !== view) return;
      tc = this.#lastTc;
    }
    const parent = this.#tree.get(justify.blockHash);
    if (parent === undefined) return; // sync is fetching it; proposing resumes when it arrives
    if (this.#mayPropose !== undefined && !this.#mayPropose(parent.block, view, this.#now)) return; // a `propose` event comes back
    const built = this.#build(parent.block, view, this.#now);
    const block: Block = {
      header: { ...built.fields, number: parent.block.header.number + 1n, view, parentHash: parent.hash },
      justify,
      payload: built.payload,
    };
    const hash = hashBlock(this.#ctx.domain, block);
    const signature = this.#ctx.signer.sign(proposalDigestOf(this.#ctx.domain, view, hash));
    const proposal: Proposal = tc === undefined ? { block, proposer: this.#self, signature } : { block, proposer: this.#self, signature, tc };
    this.#proposedInStep = true;
    this.#setSafety({ ...this.#safety, lastProposedView: view });
    this.#emit({ type: "broadcast", message: { kind: "proposal", proposal } }, true);
    this.#onProposal(this.#self, proposal, true);
  }

  // ---- certificates, views and commits -------------------------------------------------------

  #checkQc(from: number, qc: QC): boolean {
    const problem = this.#certificates.checkQc(qc);
    if (problem !== null) this.#reject(from, problem);
    return problem === null;
  }

  #checkTc(from: number, tc: TC): boolean {
    const problem = this.#certificates.checkTc(tc);
    if (problem !== null) this.#reject(from, problem);
    return problem === null;
  }

  /** A verified QC: raise the high QC, fetch its block if missing, commit, move the view on. */
  #processQc(from: number, qc: QC): void {
    if (qc.view > this.#safety.highQc.view) this.#setSafety(updateHighQc(this.#safety, qc));
    // n - f members accepted a block this member is holding back for its leader: it is the one.
    const waiting = this.#leaderWait.take(qc.blockHash);
    if (waiting !== undefined) this.#onProposal(waiting.from, waiting.proposal, true);
    if (!this.#tree.has(qc.blockHash) && qc.view > this.#tree.root.block.header.view && from !== this.#self) {
      this.#requestBlock(from, qc.blockHash);
    }
    this.#applyCommitRule(qc);
    if (qc.view >= this.#pacemaker.view) this.#enterView(qc.view + 1n, false);
  }

  #processTc(from: number, tc: TC): void {
    this.#processQc(from, tc.highQc);
    if (this.#lastTc === null || tc.view > this.#lastTc.view) this.#lastTc = tc;
    if (tc.view >= this.#pacemaker.view) this.#enterView(tc.view + 1n, true);
  }

  /**
   * Two-chain commit rule: a QC over B' whose parent B has view B'.view - 1 commits B and all its
   * ancestors. (Safety: n - f members voted for B' after seeing B's QC, so every later TC reports
   * a high QC of view >= B.view on B's branch, and every later proposal must extend it.)
   */
  #applyCommitRule(qc: QC): void {
    const child = this.#tree.get(qc.blockHash);
    if (child === undefined) return;
    const parent = this.#tree.get(child.block.header.parentHash);
    if (parent === undefined || child.block.header.view !== parent.block.header.view + 1n) return;
    if (parent.block.header.number <= this.#tree.root.block.header.number) return;
    const path = this.#tree.pathFromRoot(parent.hash);
    if (path.length === 0) return;
    this.#tree.commit(parent.hash);
    this.#commitMoved = true;
    this.#emit({ type: "commit", blocks: path.map((e) => ({ hash: e.hash, block: e.block })), proof: { child: child.block, childQc: qc } });
    this.#proposals.pruneBelow(parent.block.header.view);
  }

  /** Whether the commit rule would commit a block above the root on `qc` (its block and parent in the tree). */
  #commitsNew(qc: QC): boolean {
    const child = this.#tree.get(qc.blockHash);
    const parent = child === undefined ? undefined : this.#tree.get(child.block.header.parentHash);
    return parent !== undefined && child!.block.header.view === parent.block.header.view + 1n && parent.block.header.number > this.#tree.root.block.header.number;
  }

  #enterView(view: bigint, byTimeout: boolean): void {
    if (!this.#pacemaker.enter(view, byTimeout, this.#now)) return;
    this.#emit({ type: "schedule-timer", at: this.#pacemaker.deadline });
    this.#votes.pruneBelow(view - 3n);
    this.#timeouts.pruneBelow(view - 2n);
    this.#tryPropose();
  }

  // ---- timeouts ------------------------------------------------------------------------------

  /**
   * The view timer fired: sign a timeout for the view with the high QC, or re-send the one
   * already signed (never a second one: after a restart or a new high QC it would differ).
   */
  #onLocalTimeout(): void {
    const view = this.#pacemaker.view;
    if (this.#self < 0) {
      // An observer signs nothing; it learns the next view from the next certificate it receives.
      this.#pacemaker.extend(this.#now);
      this.#emit({ type: "schedule-timer", at: this.#pacemaker.deadline });
      return;
    }
    let timeout = this.#safety.lastTimeout;
    if (timeout === null || timeout.view !== view) {
      const highQc = this.#safety.highQc;
      const signature = this.#ctx.signer.sign(timeoutDigestOf(this.#ctx.domain, view, highQc.view));
      timeout = { view, highQc, signer: this.#self, signature };
      const lastVotedView = this.#safety.lastVotedView > view ? this.#safety.lastVotedView : view;
      this.#setSafety({ ...this.#safety, lastTimeoutView: view, lastTimeout: timeout, lastVotedView });
    }
    const seen = this.#proposals.get(view);
    this.#emit({ type: "broadcast", message: seen === undefined ? { kind: "timeout", timeout } : { kind: "timeout", timeout, seen } }, true);
    this.#pacemaker.extend(this.#now);
    this.#emit({ type: "schedule-timer", at: this.#pacemaker.deadline });
    this.#collectTimeout(this.#self, timeout);
  }

  #onTimeout(from: number, t: Timeout, seen: SignedHash | undefined): void {
    if (t.signer !== from) return this.#reject(from, "a timeout must come from its signer");
    if (seen !== undefined) this.#compareProposal(t.view, seen);
    if (t.view < this.#pacemaker.view) {
      // The sender is behind: hand it the certificate that moved us past its view.
      if (this.#lastTc !== null && this.#lastTc.view >= t.view) this.#send(from, { kind: "tc", tc: this.#lastTc });
      else if (this.#safety.highQc.view >= t.view) this.#send(from, { kind: "qc", qc: this.#safety.highQc });
      return;
    }
    if (t.highQc.view >= t.view) return this.#reject(from, "a timeout's high QC must be below its view");
    if (!this.#checkQc(from, t.highQc)) return;
    this.#processQc(from, t.highQc);
    this.#collectTimeout(from, t);
  }

  #collectTimeout(from: number, t: Timeout): void {
    const outcome = this.#timeouts.add(this.#ctx, t);
    if (outcome.tc !== undefined) return this.#processTc(from, outcome.tc);
    // f + 1 timeouts include an honest member's: the view is failing, so join it rather than
    // wait out a timer that may be far longer than the others' (members drift apart in views).
    if (t.view === this.#pacemaker.view && outcome.count > this.#faults && this.#safety.lastTimeoutView < t.view) {
      this.#onLocalTimeout();
    }
  }

  /**
   * A proposal another member saw for `view`: if it is not the block we saw, and the leader's
   * signature holds (one pairing, only on a mismatch), the leader equivocated.
   */
  #compareProposal(view: bigint, seen: SignedHash): void {
    const first = this.#proposals.get(view);
    if (first === undefined || first.blockHash === seen.blockHash) return;
    const leader = first.proposer;
    if (this.#reported.has(`proposal:${view}:${leader}`)) return;
    if (!verifyProposalSignature(this.#ctx, leader, view, seen.blockHash, seen.signature)) return;
    this.#emitEvidence(createEvidence("proposal", view, leader, first, seen));
  }

  // ---- output --------------------------------------------------------------------------------

  /**
   * Asks `from` for block `hash` and its ancestors (once per view). Also for a block parked here:
   * the answer runs down to what its parked chain misses, and asking again in a later view is how
   * a lost answer is retried (asking only for the parked chain's missing bottom stalled a member
   * catching up across an epoch change in sim:stack, seed 20266680).
   */
  #requestBlock(from: number, hash: Hex): void {
    if (from === this.#self) return;
    this.#requestOne(from, hash);
    // A parked block's answer may not come (a peer past an epoch change serves the old epoch from
    // its store, which does not hold the boundary's certified child): ask for what the parked
    // chain misses as well (sim:stack seed 20267149).
    if (this.#sync.holds(hash)) {
      const missing = this.#sync.missingBelow(hash);
      if (missing !== hash && !this.#tree.has(missing)) this.#requestOne(from, missing);
    }
  }

  #requestOne(from: number, hash: Hex): void {
    if (!this.#sync.shouldRequest(hash, this.#pacemaker.view, this.#now)) return;
    this.#send(from, { kind: "sync-request", blockHash: hash, limit: MAX_SYNC_PROPOSALS, above: this.#tree.root.block.header.number });
  }

  #emitEvidence(evidence: Evidence): void {
    const key = evidenceKey(evidence);
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    this.#emit({ type: "report-evidence", evidence });
  }

  #setSafety(state: SafetyState): void {
    this.#safety = state;
    this.#safetyDirty = true;
  }

  /** Emits the pending safety state; called before every send (the ordering rule) and at the end. */
  #flushSafety(): void {
    if (!this.#safetyDirty) return;
    this.#safetyDirty = false;
    this.#actions.push({ type: "persist-safety", state: this.#safety });
  }

  #send(to: number, message: Message): void {
    this.#emit({ type: "send", to, message }, true);
  }

  #emit(action: Action, outgoing = false): void {
    if (outgoing) this.#flushSafety();
    this.#actions.push(action);
  }

  #reject(from: number, reason: string): void {
    this.#actions.push({ type: "reject", from, reason });
  }
}
