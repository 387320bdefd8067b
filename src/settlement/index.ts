/**
 * The L1 side of a node (DESIGN §2, §6): settlement of committed blocks, equivocation evidence,
 * and the L1 follower that feeds the node Inbox entries, finality and slashings. Wiring:
 *
 *   const l1 = connectL1({ rpcUrl, account: settlementKey });
 *   const sender = new TransactionSender(l1);
 *   const settlement = new SettlementWorker({ l1, rollup, chain: new StoredChain(store, signer), sender });
 *   const evidence = new EvidenceWorker({ l1, rollup, sender, signer });
 *   outbox.start(createOutboxConsumer({ settlement, evidence }));
 *   const follower = new L1Follower({ l1, contracts, fromBlock: deployBlock, store }); follower.start();
 */
export { BRIDGE_ABI, COMMITTEE_ABI, ROLLUP_ABI, L1_ERRORS_ABI, decodeRevert } from "./abi.ts";
export { checkEndpoint, readEpochCommittee, readEpochRecords, type CommitteeRecord, type RefusedRecord } from "./committee-records.ts";
export { createDecodingSigner, StoredChain, type CommitProof, type CommittedChain } from "./chain.ts";
export { SettlementError, formatRevert, type DecodedRevert, type SettlementErrorCode } from "./errors.ts";
export { EvidenceWorker, readOutboxEvidence, type EvidenceLogEntry, type EvidenceWorkerOptions, type ReportedEvidence } from "./evidence.ts";
export { FINALIZED_FACT, HASH_WINDOW, L1Follower, parseFinality, type L1Depth, type EpochStart, type Finality, type FollowerUpdate, type L1FollowerOptions, type SlashedMember } from "./follower.ts";
export { connectL1, DEFAULT_L1_RPC_URL, type L1Connection, type L1ConnectionOptions, type L1Contracts } from "./l1.ts";
export { createOutboxConsumer, type OutboxConsumerOptions } from "./outbox-consumer.ts";
export { TransactionSender, type SenderOptions, type SentTransaction, type TransactionRequest } from "./sender.ts";
export {
  logToStderr,
  SettlementWorker,
  toSolidityCommitProof,
  toSolidityQc,
  type SettledBatch,
  type SettlementLogEntry,
  type SettlementWorkerOptions,
  type SettleResult,
} from "./settle-batches.ts";
