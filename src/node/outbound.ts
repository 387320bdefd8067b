/**
 * The way out for this member's consensus messages. A signed vote, timeout or proposal is entered
 * in the store's signed-message ledger right before it leaves (after the safety floor of a member
 * that lost its store); if the ledger refuses, it is not sent, so a bug elsewhere cannot make this
 * member equivocate. Then the message is wrapped in its epoch's envelope, addressed by member id,
 * and handed to the pacer: this member's own proposal once per view (`block.proposed`), through
 * the proposal pacing. It owns that per-view mark, which starts again with each epoch.
 */
import type { Hex } from "viem";
import { encodeMessage, type Message } from "../consensus/index.ts";
import { StoreError, type Store } from "../store/index.ts";
import type { Chain } from "./chain.ts";
import type { NodeConfig } from "./config.ts";
import { encodeConsensusEnvelope } from "./envelope.ts";
import type { EpochConsensus } from "./epoch-consensus.ts";
import type { Links } from "./io.ts";
import { signedEntryOf, type SignedEntry } from "./ledger.ts";
import type { Log } from "./log.ts";
import type { Metrics } from "./metrics.ts";
import { LIGHT_BLOCK_TXS, type Pace, type ProposalPacer } from "./pacer.ts";
import type { PeerBudget } from "./peer-budget.ts";
import { M } from "./telemetry.ts";

const text = new TextDecoder();

export interface OutboundDeps {
  /** Set only after a lost store (NodeConfig.safetyFloor): nothing is signed at or below it. */
  readonly safetyFloor: NodeConfig["safetyFloor"];
  readonly store: Store;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly links: Links;
  readonly chain: Chain;
  readonly budget: PeerBudget;
  readonly pacer: ProposalPacer;
  readonly consensus: EpochConsensus;
}

export class Outbound {
  readonly #safetyFloor: NodeConfig["safetyFloor"];
  readonly #store: Store;
  readonly #log: Log;
  readonly #metrics: Metrics;
  readonly #links: Links;
  readonly #chain: Chain;
  readonly #budget: PeerBudget;
  readonly #pacer: ProposalPacer;
  readonly #consensus: EpochConsensus;
  /** The newest view whose own proposal went through the pacer (an equivocator sends several). */
  #pacedProposalView = -1n;

  constructor(deps: OutboundDeps) {
    this.#safetyFloor = deps.safetyFloor;
    this.#store = deps.store;
    this.#log = deps.log;
    this.#metrics = deps.metrics;
    this.#links = deps.links;
    this.#chain = deps.chain;
    this.#budget = deps.budget;
    this.#pacer = deps.pacer;
    this.#consensus = deps.consensus;
  }

  /** A new epoch started: its views are its own, so the pacing mark starts again. */
  startEpoch(): void {
    this.#pacedProposalView = -1n;
  }

  /**
   * Records what this member signs in the ledger, then sends it (through the pacer). `to` is a
   * signer index of `epoch`. `checked` false: a Byzantine behaviour added it, and it skips the
   * ledger, which would refuse it; `direct`: a flood's pulse, which skips the pacer too.
   */
  send(to: number | undefined, message: Message, epoch: bigint, checked = true, direct = false): void {
    const consensus = this.#consensus;
    const signed = signedEntryOf(message, consensus.self, (h) => this.#chain.hashOf(h));
    if (checked && signed !== undefined && !this.#record(signed, epoch)) return;
    const wrap = (m: Message) => encodeConsensusEnvelope(epoch, text.decode(encodeMessage(m)));
    const data = wrap(message);
    // Sends are by the epoch's signer index; links by member id.
    const members = epoch === consensus.epoch.epoch ? consensus.epoch.members : undefined;
    const peer = to === undefined ? undefined : members?.[to];
    if (to !== undefined && peer === undefined) return;
    // Its answer is work this member asked for: admitted without charging the peer.
    if (message.kind === "sync-request" && peer !== undefined) this.#budget.expectAnswer(peer);
    const deliver = () => (peer === undefined ? this.#links.broadcast(data) : this.#links.send(peer, data));
    if (direct) return deliver();
    const own = signed?.kind === "proposal" && consensus.self >= 0 && consensus.core.leaderOf(signed.view) === consensus.self;
    if (own && message.kind === "proposal" && signed.view > this.#pacedProposalView) {
      this.#pacedProposalView = signed.view;
      this.#metrics.inc(M.proposals);
      const hashes = this.#chain.transactionHashes(message.proposal.block);
      const empty = hashes.length === 0;
      if (!empty) this.#log("debug", "block.transactions", { view: signed.view, number: message.proposal.block.header.number, hashes });
      const hash = signed.payload as Hex;
      const pace: Pace = this.#chain.states.carriesWork(hash) ? (hashes.length < LIGHT_BLOCK_TXS ? "light" : "transactions") : this.#chain.states.uncommittedWork(hash) ? "certifying" : "idle";
      this.#log("info", "block.proposed", { view: signed.view, hash: signed.payload, number: message.proposal.block.header.number, empty, pace });
      // While the pacer holds the proposal, its justify QC goes ahead: it commits the
      // grandparent, which the others would otherwise learn only a pacing interval later.
      const justify = message.proposal.block.justify;
      this.#pacer.sendProposal(deliver, pace, peer === undefined ? () => this.#links.broadcast(wrap({ kind: "qc", qc: justify })) : undefined);
    } else this.#pacer.send(deliver);
  }

  /** The ledger (and, after a lost store, the safety floor) decides whether a signed message may leave. */
  #record(signed: SignedEntry, epoch: bigint): boolean {
    const floor = this.#safetyFloor;
    if (floor !== undefined && (epoch < floor.epoch || (epoch === floor.epoch && signed.view <= floor.view))) {
      this.#metrics.inc(M.refusedSignatures);
      this.#log("warn", "safety.floor", { kind: signed.kind, epoch, view: signed.view, floor: `${floor.epoch}:${floor.view}` });
      return false;
    }
    try {
      this.#store.recordSignature(signed.kind, signed.view, signed.payload, epoch);
    } catch (e) {
      if (!(e instanceof StoreError) || e.code !== "STORE_CONFLICT") throw e;
      this.#metrics.inc(M.refusedSignatures);
      this.#log("error", "ledger.refused", { kind: signed.kind, epoch, view: signed.view, error: e.message });
      return false;
    }
    if (signed.kind === "vote") this.#metrics.inc(M.votes);
    return true;
  }
}
