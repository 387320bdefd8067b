/**
 * Re-executing a proposal (every member, before voting): the block must be exactly what honest
 * execution of its inputs gives. The header fields consensus chose (view, timestamp, l1Origin,
 * proposer) are taken as given after sanity checks against the parent; everything derived from
 * execution (base fee, Inbox consumption, data hash, gas used, the four roots) is recomputed and
 * compared, cheapest first. A member that gets an error here does not vote.
 *
 * Nothing is written to the given state: the result carries the change set, which the node
 * commits when the block commits (or uses via `state.extend` as the parent state of a child).
 */
import type { Address, Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import type { InboxEntry } from "../protocol/inbox.ts";
import { computeBaseFee } from "./baseFee.ts";
import { decodeBlockData, hashBlockData } from "./blockData.ts";
import type { ExecutionConfig } from "./config.ts";
import { ExecutionError, type ExecutionErrorCode } from "./errors.ts";
import type { BlockHashes } from "./evm.ts";
import { checkOriginHash } from "./build.ts";
import { claimedInboxEntries } from "./inboxRange.ts";
import { PendingBlock, type BlockResult } from "./pendingBlock.ts";
import type { State } from "./state.ts";
import { decodeTransaction, type Transfer } from "./transaction.ts";

export interface ExecuteBlockInput {
  readonly config: ExecutionConfig;
  readonly parent: Header;
  /** The parent's block hash; the header must name it. */
  readonly parentHash: Hex;
  /** Hashes of the parent and its ancestors by number (BLOCKHASH). */
  readonly blockHashes: BlockHashes;
  /** The state after the parent block. */
  readonly state: State;
  readonly header: Header;
  readonly blockData: Hex;
  /** Inbox entries this member knows from L1 (at least those the block claims to consume). */
  readonly inbox: readonly InboxEntry[];
  /**
   * Transactions already decoded and signature-checked by this member (its mempool), by hash: a
   * shortcut past secp256k1 recovery, safe because the hash commits to every byte of the raw tx.
   */
  readonly knownTransaction?: (hash: Hex) => Transfer | undefined;
}

export function executeBlock(input: ExecuteBlockInput): BlockResult {
  const { config, parent, header } = input;
  if (header.number !== parent.number + 1n) {
    throw new ExecutionError("WRONG_PARENT", "block number does not follow the parent's", `parent ${parent.number}, block ${header.number}`);
  }
  if (header.parentHash.toLowerCase() !== input.parentHash.toLowerCase()) {
    throw new ExecutionError("WRONG_PARENT", "parent hash mismatch", `expected ${input.parentHash}, header has ${header.parentHash}`);
  }
  if (header.timestamp < parent.timestamp) {
    throw new ExecutionError("TIMESTAMP_BEFORE_PARENT", "timestamp before parent's", `parent ${parent.timestamp}, block ${header.timestamp}`);
  }
  if (header.l1Origin < parent.l1Origin) {
    throw new ExecutionError("L1_ORIGIN_BEFORE_PARENT", "l1Origin before parent's", `parent ${parent.l1Origin}, block ${header.l1Origin}`);
  }
  checkOriginHash(parent, header.l1Origin, header.l1OriginHash);
  const baseFee = computeBaseFee(parent.baseFee, parent.gasUsed, config.blockGasLimit);
  expectEqual("BASE_FEE_MISMATCH", "base fee", baseFee, header.baseFee);
  const dataHash = hashBlockData(input.blockData.toLowerCase() as Hex);
  expectEqual("DATA_HASH_MISMATCH", "data hash", dataHash, header.dataHash.toLowerCase());
  const inbox = claimedInboxEntries(parent, header, input.inbox, config);
  const raws = decodeBlockData(input.blockData.toLowerCase() as Hex, config.maxTransactionsPerBlock);

  const rules = { chainId: config.chainId, blockGasLimit: config.blockGasLimit };
  const transactions = raws.map((raw, i) => {
    const known = input.knownTransaction?.(hashBlockData(raw));
    if (known !== undefined) return known;
    try {
      return decodeTransaction(raw, rules);
    } catch (error) {
      throw wrapTransactionError(error, i);
    }
  });

  const block = new PendingBlock(
    input.state,
    { number: header.number, timestamp: header.timestamp, baseFee, proposer: header.proposer.toLowerCase() as Address, gasLimit: config.blockGasLimit, blockHashes: input.blockHashes },
    rules,
  );
  for (const entry of inbox.entries) block.applyInboxEntry(entry);
  transactions.forEach((tx, i) => {
    try {
      block.applyTransaction(tx);
    } catch (error) {
      throw wrapTransactionError(error, i);
    }
  });

  const result = block.seal({
    view: header.view,
    parentHash: header.parentHash,
    timestamp: header.timestamp,
    l1Origin: header.l1Origin,
    l1OriginHash: header.l1OriginHash,
    inboxCursor: inbox.cursor,
    inboxHash: inbox.hash,
  });
  const ours = result.header;
  expectEqual("GAS_USED_MISMATCH", "gas used", ours.gasUsed, header.gasUsed);
  expectEqual("WITHDRAWALS_ROOT_MISMATCH", "withdrawals root", ours.withdrawalsRoot, header.withdrawalsRoot.toLowerCase());
  expectEqual("TRANSACTIONS_ROOT_MISMATCH", "transactions root", ours.transactionsRoot, header.transactionsRoot.toLowerCase());
  expectEqual("RECEIPTS_ROOT_MISMATCH", "receipts root", ours.receiptsRoot, header.receiptsRoot.toLowerCase());
  expectEqual("STATE_ROOT_MISMATCH", "state root", ours.stateRoot, header.stateRoot.toLowerCase());
  // The proposal's own header is what consensus signs and stores; it now provably equals ours.
  return { ...result, header };
}

function expectEqual(code: ExecutionErrorCode, what: string, expected: bigint | string, got: bigint | string): void {
  if (expected !== got) throw new ExecutionError(code, `${what} mismatch`, `expected ${expected}, header has ${got}`);
}

function wrapTransactionError(error: unknown, index: number): unknown {
  if (!(error instanceof ExecutionError)) return error;
  return new ExecutionError("INVALID_BLOCK_TRANSACTION", `invalid transaction ${index} in block`, `${error.code}: ${error.message}`, { cause: error });
}
