/**
 * Sends a node's L1 transactions from one account, one at a time: tracks the account's nonce,
 * waits for each receipt with a timeout, and replaces a transaction that is stuck (same nonce,
 * fees raised by at least 12.5%, the minimum a geth-style mempool takes as a replacement) a
 * bounded number of times. What it cannot finish it reports as RECEIPT_TIMEOUT; the outbox
 * retries the whole item later, and the next transaction reuses the stuck nonce, so a stuck
 * transaction is always either mined or replaced, never left to block the account.
 */
import {
  BaseError,
  NonceTooLowError,
  TransactionReceiptNotFoundError,
  type Account,
  type Address,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import { SettlementError } from "./errors.ts";
import type { L1Connection } from "./l1.ts";

export interface SenderOptions {
  /** How long to wait for a receipt before replacing the transaction with higher fees (ms). */
  readonly receiptTimeoutMs?: number;
  /** Replacements per send before giving up with RECEIPT_TIMEOUT (the outbox retries later). */
  readonly maxBumps?: number;
  /** Fee increase per replacement, percent; at least 13 (12.5% is the mempool minimum). */
  readonly bumpPercent?: number;
  /** Receipt polling interval (ms). */
  readonly pollMs?: number;
  /** Sees every transaction sent (logs, tests). */
  readonly onSent?: (sent: SentTransaction) => void;
  /**
   * Aborts waiting for receipts (node shutdown: the outbox waits for the running item, and a
   * receipt wait can last minutes). The transaction may still land; L1 is the cursor, so the
   * next start simply finds it settled.
   */
  readonly signal?: AbortSignal;
}

export interface SentTransaction {
  readonly hash: Hex;
  readonly nonce: number;
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
  /** The hash this transaction replaces (same nonce, higher fees). */
  readonly replaces?: Hex;
}

export interface TransactionRequest {
  readonly to: Address;
  readonly data: Hex;
  readonly gas: bigint;
}

interface InFlight {
  readonly nonce: number;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  readonly hashes: Hex[];
}

const bump = (fee: bigint, percent: number): bigint => (fee * BigInt(100 + percent) + 99n) / 100n;

export class TransactionSender {
  readonly #publicClient: PublicClient;
  readonly #walletClient: WalletClient;
  readonly #account: Account;
  readonly #timeoutMs: number;
  readonly #maxBumps: number;
  readonly #bumpPercent: number;
  readonly #pollMs: number;
  readonly #onSent: ((sent: SentTransaction) => void) | undefined;
  readonly #signal: AbortSignal | undefined;
  #nonce: number | undefined;
  /** A transaction that timed out: the next send replaces it rather than queueing behind it. */
  #stuck: InFlight | undefined;

  constructor(l1: L1Connection, options: SenderOptions = {}) {
    if (l1.walletClient === undefined || l1.account === undefined) throw new TypeError("TransactionSender needs an L1 connection with an account");
    this.#publicClient = l1.publicClient;
    this.#walletClient = l1.walletClient;
    this.#account = l1.account;
    this.#timeoutMs = options.receiptTimeoutMs ?? 30_000;
    this.#maxBumps = options.maxBumps ?? 3;
    this.#bumpPercent = Math.max(13, options.bumpPercent ?? 25);
    this.#pollMs = options.pollMs ?? 100;
    this.#onSent = options.onSent;
    this.#signal = options.signal;
  }

  get address(): Address {
    return this.#account.address;
  }

  /** Sends `request` and returns its receipt (which may say reverted: the caller decides). */
  async send(request: TransactionRequest): Promise<TransactionReceipt> {
    this.#signal?.throwIfAborted();
    const flight = await this.#start(request);
    for (let bumps = 0; ; bumps++) {
      const receipt = await this.#waitForAny(flight.hashes);
      if (receipt !== undefined) {
        this.#stuck = undefined;
        this.#nonce = flight.nonce + 1;
        return receipt;
      }
      if (bumps === this.#maxBumps) {
        this.#stuck = flight;
        throw new SettlementError(
          "RECEIPT_TIMEOUT",
          `no receipt for nonce ${flight.nonce} (${flight.hashes.join(", ")}) after ${bumps} fee bumps; the next send replaces it`,
        );
      }
      const mined = await this.#replace(request, flight);
      if (mined) continue; // an earlier hash was mined meanwhile: its receipt is found next round
    }
  }

  async #fees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const fees = await this.#publicClient.estimateFeesPerGas({ type: "eip1559", chain: null });
    return { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas };
  }

  async #start(request: TransactionRequest): Promise<InFlight> {
    const fees = await this.#fees();
    const stuck = this.#stuck;
    if (stuck !== undefined) {
      const flight: InFlight = {
        nonce: stuck.nonce,
        maxFeePerGas: max(fees.maxFeePerGas, bump(stuck.maxFeePerGas, this.#bumpPercent)),
        maxPriorityFeePerGas: max(fees.maxPriorityFeePerGas, bump(stuck.maxPriorityFeePerGas, this.#bumpPercent)),
        hashes: [...stuck.hashes],
      };
      const mined = await this.#replace(request, flight, flight.maxFeePerGas, flight.maxPriorityFeePerGas);
      if (!mined) return flight;
      // The stuck transaction landed after all: its nonce is used, so start fresh.
      this.#stuck = undefined;
      this.#nonce = undefined;
    }
    this.#nonce ??= await this.#publicClient.getTransactionCount({ address: this.#account.address, blockTag: "pending" });
    const flight: InFlight = { nonce: this.#nonce, ...fees, hashes: [] };
    try {
      flight.hashes.push(await this.#sign(request, flight));
    } catch (error) {
      if (!isNonceTooLow(error)) throw error;
      // Another process (or a restart) used the nonce: resynchronise once.
      flight.hashes.length = 0;
      this.#nonce = await this.#publicClient.getTransactionCount({ address: this.#account.address, blockTag: "pending" });
      Object.assign(flight, { nonce: this.#nonce });
      flight.hashes.push(await this.#sign(request, flight));
    }
    this.#onSent?.({ hash: flight.hashes[0]!, nonce: flight.nonce, maxFeePerGas: flight.maxFeePerGas, maxPriorityFeePerGas: flight.maxPriorityFeePerGas });
    return flight;
  }

  /**
   * Re-sends `request` with flight's nonce and raised fees. Returns true when the nonce turns out
   * to be used already (one of the earlier hashes was mined), false when the replacement was sent.
   */
  async #replace(request: TransactionRequest, flight: InFlight, maxFee?: bigint, priorityFee?: bigint): Promise<boolean> {
    const previous = flight.hashes[flight.hashes.length - 1];
    flight.maxFeePerGas = maxFee ?? bump(flight.maxFeePerGas, this.#bumpPercent);
    flight.maxPriorityFeePerGas = priorityFee ?? bump(flight.maxPriorityFeePerGas, this.#bumpPercent);
    let hash: Hex;
    try {
      hash = await this.#sign(request, flight);
    } catch (error) {
      if (isNonceTooLow(error)) return true;
      throw error;
    }
    flight.hashes.push(hash);
    this.#onSent?.({
      hash,
      nonce: flight.nonce,
      maxFeePerGas: flight.maxFeePerGas,
      maxPriorityFeePerGas: flight.maxPriorityFeePerGas,
      ...(previous === undefined ? {} : { replaces: previous }),
    });
    return false;
  }

  #sign(request: TransactionRequest, flight: InFlight): Promise<Hex> {
    return this.#walletClient.sendTransaction({
      account: this.#account,
      chain: null,
      to: request.to,
      data: request.data,
      gas: request.gas,
      nonce: flight.nonce,
      maxFeePerGas: flight.maxFeePerGas,
      maxPriorityFeePerGas: flight.maxPriorityFeePerGas,
    });
  }

  /** Polls until one of `hashes` has a receipt, or the timeout passes (undefined). */
  async #waitForAny(hashes: readonly Hex[]): Promise<TransactionReceipt | undefined> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      for (const hash of hashes) {
        try {
          return await this.#publicClient.getTransactionReceipt({ hash });
        } catch (error) {
          if (!(error instanceof TransactionReceiptNotFoundError)) throw error;
        }
      }
      if (Date.now() >= deadline) return undefined;
      this.#signal?.throwIfAborted();
      await new Promise((r) => setTimeout(r, this.#pollMs));
      this.#signal?.throwIfAborted();
    }
  }
}

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

function isNonceTooLow(error: unknown): boolean {
  if (error instanceof BaseError && error.walk((e) => e instanceof NonceTooLowError) !== null) return true;
  return /nonce too low|nonce has already been used/i.test(error instanceof Error ? error.message : String(error));
}
