/**
 * The one consumer of a node's L1 outbox (`L1Outbox.start(consumer)`): settle items run the
 * settlement worker, evidence items the evidence worker. Both share one sender account, and the
 * outbox runs one item at a time, so the account's nonces never race.
 *
 * What is retried and what is not: an error the outbox sees is retried with capped back-off
 * forever (L1 down or slow: nothing is lost, only delayed). A refusal that no retry can fix
 * becomes a PermanentOutboxFailure, after `onAlert` has said why, loudly: a refused batch
 * (settlement frozen, a proof L1 rejects) needs an operator, and evidence L1 already has is done.
 */
import { PermanentOutboxFailure, type OutboxConsumer, type OutboxItem } from "../queues/index.ts";
import { SettlementError } from "./errors.ts";
import type { EvidenceWorker } from "./evidence.ts";
import type { SettlementWorker } from "./settle-batches.ts";

const PERMANENT = new Set(["SETTLEMENT_REFUSED", "FINALIZED_CONFLICT", "EVIDENCE_REFUSED", "INVALID_ITEM", "MISSING_ARTIFACTS"]);

export interface OutboxConsumerOptions {
  readonly settlement: SettlementWorker;
  readonly evidence: EvidenceWorker;
  /** Told about every item given up on (default: a line on stderr). */
  readonly onAlert?: (item: OutboxItem, error: SettlementError) => void;
  /** Told about every failed attempt that will be retried. */
  readonly onRetry?: (item: OutboxItem, attempt: number, error: unknown) => void;
}

export function createOutboxConsumer(options: OutboxConsumerOptions): OutboxConsumer {
  const alert = options.onAlert ?? ((item, error) => console.error(`L1 outbox: giving up on ${JSON.stringify(item)}: [${error.code}] ${error.message}`));
  return async (item, attempt) => {
    try {
      if (item.kind === "settle") await options.settlement.settleCommitted();
      else await options.evidence.reportJson(item.evidence);
    } catch (error) {
      if (error instanceof SettlementError && PERMANENT.has(error.code)) {
        alert(item, error);
        throw new PermanentOutboxFailure(`[${error.code}] ${error.message}`);
      }
      options.onRetry?.(item, attempt, error);
      throw error;
    }
  };
}
