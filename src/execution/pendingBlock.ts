/**
 * A block being executed: the one place where transactions, deposits and forced transactions
 * change the state. Both the leader building a block and every member re-executing a proposal go
 * through it, so the two can only disagree if their inputs do.
 *
 * Order inside a block: the Inbox entries it consumes first (in Inbox order), then the block data's
 * transactions. The block's transaction list (transactions root, receipts, indices) is the forced
 * transactions that executed, followed by the block data's transactions.
 *
 * Two paths, one result: a plain value transfer to an account without code (no data, no access
 * list, not a precompile) is applied here directly, as Ethereum would execute it: it debits value
 * + 21,000 x effective gas price from the sender, credits the value to the recipient (or burns it
 * into a withdrawal when sent to WITHDRAWAL_ADDRESS), credits the tip to the proposer's fee
 * recipient, and burns the base fee. Everything else runs in the EVM (evm.ts, through the worker
 * of evmBridge.ts), whose writes are applied to the same pending state; a revert or out-of-gas is
 * included and charged with status "reverted". Withdrawals made by contracts (value sent to
 * WITHDRAWAL_ADDRESS by a call that does not revert) become leaves for the call's msg.sender, and
 * their value is burnt from the system address as an EOA's is.
 *
 * A deposit mints: it credits the recipient's balance, a contract's too, without running its code
 * (as OP Stack deposits without data do: an L1 deposit is not an L2 call).
 */
import { zeroHash, type Address, type Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import { INBOX_DEPOSIT, type InboxEntry } from "../protocol/inbox.ts";
import { WITHDRAWAL_ADDRESS, withdrawalLeaf, withdrawalsRoot, type Withdrawal } from "../protocol/withdrawals.ts";
import { checkTransactionAgainstAccount, effectiveGasPrice } from "./admission.ts";
import { encodeBlockData, hashBlockData } from "./blockData.ts";
import { TRANSFER_GAS } from "./config.ts";
import type { BlockHashes } from "./evm.ts";
import { runEvmTransactionSync } from "./evmBridge.ts";
import { ExecutionError, type ExecutionErrorCode } from "./errors.ts";
import type { Receipt } from "./receipts.ts";
import { computeReceiptsRoot, computeTransactionsRoot } from "./roots.ts";
import { PendingState } from "./pendingState.ts";
import type { Account, State, StateChanges } from "./state.ts";
import { decodeTransaction, type TransactionRules, type Transfer } from "./transaction.ts";

const WITHDRAWAL = WITHDRAWAL_ADDRESS.toLowerCase() as Address;

export type InboxOutcome =
  | { readonly index: bigint; readonly kind: "deposit"; readonly recipient: Address; readonly value: bigint }
  | { readonly index: bigint; readonly kind: "forced"; readonly status: "executed"; readonly transactionHash: Hex }
  /** A forced transaction that was invalid: consumed (L1 requires it), not executed, reason kept. */
  | { readonly index: bigint; readonly kind: "forced"; readonly status: "skipped"; readonly code: ExecutionErrorCode; readonly reason: string };

/** Everything a block is and does; `changes` is applied to the state only when the block commits. */
export interface BlockResult {
  readonly header: Header;
  readonly blockData: Hex;
  /** Forced transactions that executed, then the block data's transactions. */
  readonly transactions: readonly Transfer[];
  readonly receipts: readonly Receipt[];
  readonly withdrawals: readonly Withdrawal[];
  readonly inbox: readonly InboxOutcome[];
  readonly changes: StateChanges;
}

export interface BlockEnvironment {
  readonly number: bigint;
  readonly timestamp: bigint;
  readonly baseFee: bigint;
  readonly proposer: Address;
  readonly gasLimit: bigint;
  /** The hashes of the blocks before this one, for BLOCKHASH. */
  readonly blockHashes: BlockHashes;
}

/** The consensus-given header fields, and what the Inbox consumption ended at. */
export interface SealFields {
  readonly view: bigint;
  readonly parentHash: Hex;
  readonly timestamp: bigint;
  readonly l1Origin: bigint;
  readonly l1OriginHash: Hex;
  readonly inboxCursor: bigint;
  readonly inboxHash: Hex;
}

export class PendingBlock {
  readonly #state: State;
  readonly #pending: PendingState;
  readonly #env: BlockEnvironment;
  readonly #rules: TransactionRules;
  readonly #transactions: Transfer[] = [];
  readonly #receipts: Receipt[] = [];
  readonly #withdrawals: Withdrawal[] = [];
  readonly #inbox: InboxOutcome[] = [];
  readonly #blockDataTransactions: Hex[] = [];
  #gasUsed = 0n;
  /** Logs in the block so far: the next receipt's first log index. */
  #logCount = 0;

  constructor(state: State, env: BlockEnvironment, rules: TransactionRules) {
    this.#state = state;
    this.#pending = new PendingState(state);
    this.#env = env;
    this.#rules = rules;
  }

  get gasUsed(): bigint {
    return this.#gasUsed;
  }

  get transactionCount(): number {
    return this.#blockDataTransactions.length;
  }

  applyInboxEntry(entry: InboxEntry): InboxOutcome {
    let outcome: InboxOutcome;
    if (entry.kind === INBOX_DEPOSIT) {
      const recipient = entry.recipient.toLowerCase() as Address;
      this.#credit(recipient, entry.value);
      outcome = { index: entry.index, kind: "deposit", recipient, value: entry.value };
    } else {
      try {
        const tx = decodeTransaction(entry.data, this.#rules);
        this.#applyTransfer(tx, entry.index);
        outcome = { index: entry.index, kind: "forced", status: "executed", transactionHash: tx.hash };
      } catch (error) {
        if (!(error instanceof ExecutionError)) throw error;
        // Anyone can post to the Inbox, so an invalid forced transaction must not stall the chain:
        // it is consumed like any entry, and why it did nothing is kept for its sender to see.
        outcome = { index: entry.index, kind: "forced", status: "skipped", code: error.code, reason: error.message };
      }
    }
    this.#inbox.push(outcome);
    return outcome;
  }

  /** Applies a mempool / block data transaction; throws (changing nothing) if it is invalid here. */
  applyTransaction(tx: Transfer): void {
    this.#applyTransfer(tx, undefined);
    this.#blockDataTransactions.push(tx.raw);
  }

  seal(fields: SealFields): BlockResult {
    const blockData = encodeBlockData(this.#blockDataTransactions);
    const changes = this.#pending.changes();
    const header: Header = {
      number: this.#env.number,
      view: fields.view,
      parentHash: fields.parentHash,
      timestamp: fields.timestamp,
      proposer: this.#env.proposer,
      l1Origin: fields.l1Origin,
      l1OriginHash: fields.l1OriginHash,
      inboxCursor: fields.inboxCursor,
      inboxHash: fields.inboxHash,
      dataHash: hashBlockData(blockData),
      stateRoot: this.#state.rootWith(changes),
      transactionsRoot: computeTransactionsRoot(this.#transactions.map((tx) => tx.raw)),
      receiptsRoot: computeReceiptsRoot(this.#receipts),
      withdrawalsRoot: this.#withdrawals.length === 0 ? zeroHash : withdrawalsRoot(this.#withdrawals.map(withdrawalLeaf)),
      baseFee: this.#env.baseFee,
      gasUsed: this.#gasUsed,
    };
    return {
      header,
      blockData,
      transactions: this.#transactions,
      receipts: this.#receipts,
      withdrawals: this.#withdrawals,
      inbox: this.#inbox,
      changes,
    };
  }

  #applyTransfer(tx: Transfer, inboxIndex: bigint | undefined): void {
    const { baseFee, gasLimit } = this.#env;
    const sender = this.#pending.getAccount(tx.from);
    checkTransactionAgainstAccount(tx, sender, baseFee);
    if (sender.codeHash !== undefined) {
      throw new ExecutionError("SENDER_NOT_EOA", "sender has code", `${tx.from} is a contract (EIP-3607)`);
    }
    if (this.#isPlainTransfer(tx)) {
      if (this.#gasUsed + TRANSFER_GAS > gasLimit) {
        throw new ExecutionError("BLOCK_GAS_LIMIT_EXCEEDED", "block gas limit reached", `${this.#gasUsed} of ${gasLimit} used, a transfer needs ${TRANSFER_GAS}`);
      }
      this.#applyPlainTransfer(tx, sender);
      this.#record(tx, inboxIndex, { status: "success", gasUsed: TRANSFER_GAS, logs: [], contractAddress: null });
      return;
    }
    // As on Ethereum, a transaction that may use more gas than the block has left waits for the next block.
    if (this.#gasUsed + tx.gasLimit > gasLimit) {
      throw new ExecutionError("BLOCK_GAS_LIMIT_EXCEEDED", "block gas limit reached", `${this.#gasUsed} of ${gasLimit} used, the transaction may use ${tx.gasLimit}`);
    }
    const outcome = runEvmTransactionSync(this.#pending, this.#env.blockHashes, tx, {
      chainId: this.#rules.chainId,
      number: this.#env.number,
      timestamp: this.#env.timestamp,
      coinbase: this.#env.proposer,
      baseFee,
      gasLimit,
    });
    if (outcome.kind === "invalid") throw new ExecutionError("EVM_REFUSED", "transaction refused by the EVM", outcome.reason);
    const { accounts, code, storage } = outcome.writes;
    for (const [address, account] of accounts) this.#pending.setAccount(address, account);
    for (const [address, bytes] of code) this.#pending.setCode(address, bytes);
    for (const [address, slot, value] of storage) this.#pending.setStorage(address, slot, value);
    let withdrawn = 0n;
    for (const w of outcome.withdrawals) {
      this.#withdrawals.push({ blockNumber: this.#env.number, index: BigInt(this.#withdrawals.length), recipient: w.recipient, amount: w.amount, transactionHash: tx.hash });
      withdrawn += w.amount;
    }
    if (withdrawn > 0n) {
      // The EVM credited the system address; a withdrawal burns on L2 what L1 pays out.
      const system = this.#pending.getAccount(WITHDRAWAL);
      this.#pending.setAccount(WITHDRAWAL, { ...system, balance: system.balance - withdrawn });
    }
    this.#record(tx, inboxIndex, outcome);
  }

  /** The fast path: value to an account that runs no code, with nothing else to charge for. */
  #isPlainTransfer(tx: Transfer): tx is Transfer & { to: Address } {
    return tx.to !== null && tx.data === "0x" && tx.accessList.length === 0 && !isPrecompile(tx.to) && this.#pending.getAccount(tx.to).codeHash === undefined;
  }

  #applyPlainTransfer(tx: Transfer & { to: Address }, sender: Account): void {
    const { baseFee } = this.#env;
    const price = effectiveGasPrice(tx, baseFee);
    this.#pending.setAccount(tx.from, { nonce: sender.nonce + 1n, balance: sender.balance - tx.value - TRANSFER_GAS * price });
    if (tx.to === WITHDRAWAL) {
      // A zero-value transfer here is a plain (fee-paying) no-op: a leaf would be a claim of nothing.
      if (tx.value > 0n) {
        this.#withdrawals.push({ blockNumber: this.#env.number, index: BigInt(this.#withdrawals.length), recipient: tx.from, amount: tx.value, transactionHash: tx.hash });
      }
    } else {
      this.#credit(tx.to, tx.value);
    }
    this.#credit(this.#env.proposer, TRANSFER_GAS * (price - baseFee));
  }

  #record(tx: Transfer, inboxIndex: bigint | undefined, result: Pick<Receipt, "status" | "gasUsed" | "logs" | "contractAddress">): void {
    this.#gasUsed += result.gasUsed;
    const firstLogIndex = this.#logCount;
    this.#logCount += result.logs.length;
    this.#transactions.push(tx);
    this.#receipts.push({
      transactionHash: tx.hash,
      transactionIndex: this.#receipts.length,
      blockNumber: this.#env.number,
      from: tx.from,
      to: tx.to,
      type: tx.type,
      status: result.status,
      contractAddress: result.contractAddress,
      logs: result.logs,
      firstLogIndex,
      gasUsed: result.gasUsed,
      cumulativeGasUsed: this.#gasUsed,
      effectiveGasPrice: effectiveGasPrice(tx, this.#env.baseFee),
      inboxIndex,
    });
  }

  #credit(address: Address, amount: bigint): void {
    // A zero credit must not touch the account: touching would create an empty account (EIP-161).
    if (amount === 0n) return;
    const account = this.#pending.getAccount(address);
    this.#pending.setAccount(address, { nonce: account.nonce, balance: account.balance + amount });
  }
}

/** 0x01..0x11: the precompiles of Prague (ecrecover .. BLS12-381 map fp2 to g2); a call to one runs it. */
function isPrecompile(address: Address): boolean {
  if (!address.startsWith("0x00000000000000000000000000000000000000")) return false;
  const n = Number.parseInt(address.slice(40), 16);
  return n >= 1 && n <= 0x11;
}
