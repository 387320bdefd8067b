/**
 * The member's metrics: names, help texts, and what the core's actions say about them. Kept out
 * of member.ts so the wiring reads as wiring.
 */
import type { Action, Core } from "../consensus/index.ts";
import type { Network } from "../network/index.ts";
import type { L1Outbox, TxIntake } from "../queues/index.ts";
import type { Chain } from "./chain.ts";
import { Metrics } from "./metrics.ts";
import type { Replica } from "./replica.ts";

export const M = {
  view: "hotstuff_view",
  epoch: "hotstuff_epoch",
  committedHeight: "hotstuff_committed_height",
  finalizedHeight: "hotstuff_finalized_height",
  highQcView: "hotstuff_high_qc_view",
  qcs: "hotstuff_qcs_total",
  tcs: "hotstuff_tcs_total",
  timeouts: "hotstuff_timeouts_total",
  votes: "hotstuff_votes_sent_total",
  proposals: "hotstuff_proposals_total",
  committedTxs: "hotstuff_committed_transactions_total",
  evidence: "hotstuff_evidence_reported_total",
  dropped: "hotstuff_messages_dropped_total",
  refusedSignatures: "hotstuff_signatures_refused_total",
  intakeDepth: "hotstuff_intake_queue_depth",
  outboxDepth: "hotstuff_outbox_queue_depth",
  peers: "hotstuff_connected_peers",
  mempool: "hotstuff_mempool_size",
  redisUp: "hotstuff_redis_up",
  stepFailures: "hotstuff_step_failures_total",
  refusedHandshakes: "hotstuff_handshakes_refused_total",
  viewDuration: "hotstuff_view_duration_seconds",
  viewsSinceCommit: "hotstuff_views_since_commit",
  leaderTimeouts: "hotstuff_leader_timeouts_total",
  viewsGivenUp: "hotstuff_views_given_up_total",
  ready: "hotstuff_ready",
} as const;

export function createMetrics(): Metrics {
  const m = new Metrics();
  m.define(M.view, "gauge", "Current consensus view.");
  m.define(M.epoch, "gauge", "Committee epoch this member signs in.");
  m.define(M.committedHeight, "gauge", "Height of the last committed L2 block.");
  m.define(M.finalizedHeight, "gauge", "Height of the last L2 block finalized on L1 (0 until settlement runs).");
  m.define(M.highQcView, "gauge", "View of this member's highest QC.");
  m.define(M.qcs, "counter", "QCs that raised this member's high QC (one per certified view it saw).");
  m.define(M.tcs, "counter", "Timeout certificates seen (one per view).");
  m.define(M.timeouts, "counter", "Views this member signed a timeout for.");
  m.define(M.votes, "counter", "Votes this member sent.");
  m.define(M.proposals, "counter", "Blocks this member proposed.");
  m.define(M.committedTxs, "counter", "Transactions in blocks this member committed.");
  m.define(M.evidence, "counter", "Equivocation evidence reported to the L1 outbox.");
  m.define(M.dropped, "counter", "Messages from peers that were dropped, by peer (member id) and reason.");
  m.define(M.viewDuration, "histogram", "How long each view lasted, entry to exit.", [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]);
  m.define(M.viewsSinceCommit, "gauge", "Views since this member last committed a block.");
  m.define(M.leaderTimeouts, "counter", "Views this member led that ended in a timeout certificate.");
  m.define(M.viewsGivenUp, "counter", "Views this member timed out early because the member they waited on had no link (crashed).");
  m.define(M.ready, "gauge", "1 when /ready answers 200: committed recently, in views and in time.");
  m.define(M.refusedHandshakes, "counter", "Inbound links refused before authentication (not a member, bad signature, timeout).");
  m.define(M.refusedSignatures, "counter", "Messages not sent because the signed-message ledger refused them.");
  m.define(M.intakeDepth, "gauge", "Transactions waiting in the Redis intake queue.");
  m.define(M.outboxDepth, "gauge", "Items waiting in the L1 outbox queue.");
  m.define(M.peers, "gauge", "Peers with an open authenticated link.");
  m.define(M.mempool, "gauge", "Transactions in the mempool.");
  m.define(M.redisUp, "gauge", "1 while Redis answers, 0 during an outage.");
  m.define(M.stepFailures, "counter", "Events whose handling threw in this member's own callbacks (a bug: see the logs).");
  m.set(M.finalizedHeight, 0);
  m.set(M.redisUp, 1);
  return m;
}

/** Counts what an action list shows about the protocol's progress (QCs, TCs). */
export class ProgressCounter {
  readonly #onTc: (view: bigint) => void;
  #highQcView = 0n;
  #tcView = 0n;
  #timeoutView = 0n;

  constructor(onTc: (view: bigint) => void = () => {}) {
    this.#onTc = onTc;
  }

  observe(metrics: Metrics, action: Action): void {
    if (action.type === "persist-safety") {
      const s = action.state;
      if (s.highQc.view > this.#highQcView) {
        this.#highQcView = s.highQc.view;
        metrics.inc(M.qcs);
        metrics.set(M.highQcView, Number(s.highQc.view));
      }
      if (s.lastTimeoutView > this.#timeoutView) {
        this.#timeoutView = s.lastTimeoutView;
        metrics.inc(M.timeouts);
      }
    }
    if (action.type === "send" || action.type === "broadcast") {
      const m = action.message;
      const tc = m.kind === "tc" ? m.tc : m.kind === "proposal" ? m.proposal.tc : undefined;
      if (tc !== undefined && tc.view > this.#tcView) {
        this.#tcView = tc.view;
        metrics.inc(M.tcs);
        this.#onTc(tc.view);
      }
    }
  }

  /** After a restart, the persisted state is the baseline (nothing new was formed). */
  baseline(highQcView: bigint, timeoutView: bigint): void {
    this.#highQcView = highQcView;
    this.#timeoutView = timeoutView;
  }

  /** A TC that arrived from a peer counts too. */
  observeTc(metrics: Metrics, view: bigint): void {
    if (view > this.#tcView) {
      this.#tcView = view;
      metrics.inc(M.tcs);
      this.#onTc(view);
    }
  }
}

/** Gauges whose values live elsewhere, read at each scrape. */
export function collectGauges(metrics: Metrics, m: { core: Core; network: Network; chain: Chain; intake: TxIntake; outbox: L1Outbox; replica: Replica }): void {
  metrics.onCollect(async () => {
    metrics.set(M.finalizedHeight, Number(m.chain.finalizedHeight()));
    metrics.set(M.view, Number(m.core.view));
    metrics.set(M.peers, m.network.connectedPeers().length);
    metrics.set(M.mempool, m.chain.mempool.size);
    // Per peer and reason: what the transport refused on the wire, and what the replica refused after decoding.
    for (const r of [...m.network.refusals(), ...m.replica.budget.refusals()]) metrics.set(M.dropped, r.count, { peer: String(r.peer), reason: r.reason });
    metrics.set(M.refusedHandshakes, m.network.counters.refusedHandshakes);
    metrics.set(M.intakeDepth, await m.intake.depth());
    metrics.set(M.outboxDepth, await m.outbox.depth());
  });
}
