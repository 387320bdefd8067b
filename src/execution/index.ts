/**
 * The L2 state machine (DESIGN.md §5), as the node uses it:
 *
 *   intake       tx = decodeTransaction(raw, rules)            stateless checks + sender recovery
 *                mempool.add(tx, committedState.getAccount(tx.from))
 *   start        states = new BlockStates(committedState, { hash, header })   (genesis or last commit)
 *   leader       built = buildBlock({ ..., parent, parentHash, state: states.stateAfter(parentHash), mempool: mempool.transactions() })
 *                states.add(hash(built.header), built)
 *   every member result = executeBlock({ ..., parent, parentHash, state: states.stateAfter(parentHash), header, blockData, inbox })
 *                (throws ExecutionError: do not vote)      states.add(hash(header), result)
 *   commit       for (const r of states.commit(hash)) persist r; mempool.prune(committedState, senders)
 */
export { checkTransactionAgainstAccount, effectiveGasPrice, maxTransactionCost, priorityFeePerGas } from "./admission.ts";
export { computeBaseFee } from "./baseFee.ts";
export { decodeBlockData, encodeBlockData, hashBlockData } from "./blockData.ts";
export { BlockStates } from "./blockStates.ts";
export { overrideState, type AccountOverride, type StateOverride } from "./stateOverride.ts";
export { buildBlock, type BuildBlockInput, type BuiltBlock, type SkippedTransaction } from "./build.ts";
export { MAX_TRANSACTION_BYTES, TRANSFER_GAS, type ExecutionConfig } from "./config.ts";
export { ExecutionError, type ExecutionErrorCode } from "./errors.ts";
export { executeBlock, type ExecuteBlockInput } from "./execute.ts";
export { type BlockHashes, type EvmBlock, type EvmOutcome, type EvmTransaction } from "./evm.ts";
export { simulateEvmTransaction } from "./evmBridge.ts";
export { minimumGasLimit } from "./intrinsicGas.ts";
export { createGenesis, type GenesisInput } from "./genesis.ts";
export { DEFAULT_MEMPOOL_LIMITS, Mempool, type MempoolLimits } from "./mempool.ts";
export type { BlockResult, InboxOutcome } from "./pendingBlock.ts";
export { verifyAccountProof, verifyStorageProof, verifyTrieProof } from "./proof.ts";
export { EMPTY_LOGS_BLOOM, encodeReceipt, logsBloom, logsBloomHex, receiptFromJson, receiptToJson, type Receipt, type ReceiptLog } from "./receipts.ts";
export { computeReceiptsRoot, computeTransactionsRoot } from "./roots.ts";
export {
  EMPTY_ACCOUNT,
  EMPTY_CODE_HASH,
  EMPTY_STORAGE_ROOT,
  MemoryState,
  type Account,
  type AccountChange,
  type AccountProof,
  type State,
  type StateChanges,
  type StateReader,
  type StateWriter,
} from "./state.ts";
export { decodeTransaction, type TransactionRules, type TransactionType, type Transfer } from "./transaction.ts";
