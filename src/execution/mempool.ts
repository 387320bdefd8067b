/**
 * The pending transactions of one member: decoded, signature-checked transfers waiting for a
 * block. Pure and in-process; the Redis/BullMQ intake in front of it (node issue) feeds `add`.
 *
 * Rules, as wallets expect them from Ethereum nodes:
 * - one transaction per (sender, nonce); a second one replaces it only if it raises both the fee
 *   cap and the tip by at least `priceBumpPercent` (10%, geth's default), otherwise anyone could
 *   churn the pool for free;
 * - stale nonces and senders that cannot pay are refused at the door;
 * - the pool and each sender's share of it are bounded, with an error saying so when full, so a
 *   single sender cannot crowd out everyone else; the pool is bounded in bytes too (transactions
 *   carry contract code and call data up to 128 KiB each: a count alone would let 20,000 of them
 *   hold 2.5 GiB).
 */
import type { Address, Hex } from "viem";
import { maxTransactionCost } from "./admission.ts";
import { ExecutionError } from "./errors.ts";
import type { Account, StateReader } from "./state.ts";
import type { Transfer } from "./transaction.ts";

export interface MempoolLimits {
  readonly maxTransactions: number;
  /** Also how far ahead of its account nonce a sender may queue transactions. */
  readonly maxPerSender: number;
  readonly priceBumpPercent: bigint;
  /** Most bytes of raw transactions held at once. */
  readonly maxBytes: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = { maxTransactions: 20_000, maxPerSender: 64, priceBumpPercent: 10n, maxBytes: 64 * 1024 * 1024 };

const rawBytes = (tx: Transfer): number => (tx.raw.length - 2) / 2;

export class Mempool {
  readonly #limits: MempoolLimits;
  readonly #byHash = new Map<Hex, Transfer>();
  readonly #bySender = new Map<Address, Map<bigint, Transfer>>();
  #bytes = 0;

  constructor(limits: MempoolLimits = DEFAULT_MEMPOOL_LIMITS) {
    this.#limits = limits;
  }

  get size(): number {
    return this.#byHash.size;
  }

  /** Bytes of raw transactions held. */
  get bytes(): number {
    return this.#bytes;
  }

  get(hash: Hex): Transfer | undefined {
    return this.#byHash.get(hash.toLowerCase() as Hex);
  }

  has(hash: Hex): boolean {
    return this.#byHash.has(hash.toLowerCase() as Hex);
  }

  /** Every pending transaction, for `buildBlock` (which orders them itself). */
  transactions(): Transfer[] {
    return [...this.#byHash.values()];
  }

  /**
   * Adds `tx`, given its sender's account in the latest state. Returns the transaction it replaced,
   * if any, so the caller can tell the old one's submitter.
   */
  add(tx: Transfer, sender: Account): Transfer | undefined {
    if (this.#byHash.has(tx.hash)) throw new ExecutionError("ALREADY_KNOWN", "already known", `transaction ${tx.hash}`);
    if (tx.nonce < sender.nonce) {
      throw new ExecutionError("NONCE_TOO_LOW", "nonce too low", `expected at least ${sender.nonce}, got ${tx.nonce}`);
    }
    const ahead = BigInt(this.#limits.maxPerSender);
    if (tx.nonce >= sender.nonce + ahead) {
      throw new ExecutionError("NONCE_TOO_HIGH", "nonce too far ahead", `account nonce ${sender.nonce}, got ${tx.nonce}, at most ${sender.nonce + ahead - 1n}`);
    }
    const cost = maxTransactionCost(tx);
    if (sender.balance < cost) {
      throw new ExecutionError("INSUFFICIENT_FUNDS", "insufficient funds for gas * price + value", `balance ${sender.balance}, cost ${cost}`);
    }
    const queued = this.#bySender.get(tx.from);
    const previous = queued?.get(tx.nonce);
    if (previous !== undefined) {
      this.#checkReplacement(previous, tx);
    } else {
      if (this.#byHash.size >= this.#limits.maxTransactions) {
        throw new ExecutionError("MEMPOOL_FULL", "transaction pool is full", `${this.#byHash.size} transactions, at most ${this.#limits.maxTransactions}`);
      }
      if (queued !== undefined && queued.size >= this.#limits.maxPerSender) {
        throw new ExecutionError("SENDER_LIMIT", "too many pending transactions from sender", `${tx.from} has ${queued.size}, at most ${this.#limits.maxPerSender}`);
      }
    }
    const bytes = this.#bytes + rawBytes(tx) - (previous === undefined ? 0 : rawBytes(previous));
    if (bytes > this.#limits.maxBytes && rawBytes(tx) > (previous === undefined ? 0 : rawBytes(previous))) {
      throw new ExecutionError("MEMPOOL_FULL", "transaction pool is full", `${this.#bytes} bytes held, this transaction's ${rawBytes(tx)} would pass the ${this.#limits.maxBytes}-byte bound`);
    }
    if (previous !== undefined) this.#byHash.delete(previous.hash);
    this.#bytes = bytes;
    this.#byHash.set(tx.hash, tx);
    if (queued === undefined) this.#bySender.set(tx.from, new Map([[tx.nonce, tx]]));
    else queued.set(tx.nonce, tx);
    return previous;
  }

  remove(hash: Hex): boolean {
    const tx = this.#byHash.get(hash.toLowerCase() as Hex);
    if (tx === undefined) return false;
    this.#byHash.delete(tx.hash);
    this.#bytes -= rawBytes(tx);
    const queued = this.#bySender.get(tx.from);
    queued?.delete(tx.nonce);
    if (queued?.size === 0) this.#bySender.delete(tx.from);
    return true;
  }

  /**
   * The nonce a sender's next transaction should carry (eth_getTransactionCount "pending"): the
   * account nonce, advanced past every consecutive nonce already waiting here.
   */
  pendingNonce(sender: Address, accountNonce: bigint): bigint {
    const queued = this.#bySender.get(sender.toLowerCase() as Address);
    let nonce = accountNonce;
    while (queued?.has(nonce)) nonce++;
    return nonce;
  }

  /**
   * After a block commits: drops every transaction of `senders` whose nonce the committed state
   * has passed (included ones, and ones a forced transaction or a replacement made stale).
   */
  prune(state: StateReader, senders: Iterable<Address>): number {
    let removed = 0;
    for (const sender of new Set([...senders].map((s) => s.toLowerCase() as Address))) {
      const queued = this.#bySender.get(sender);
      if (queued === undefined) continue;
      const nonce = state.getAccount(sender).nonce;
      for (const tx of [...queued.values()]) {
        if (tx.nonce < nonce && this.remove(tx.hash)) removed++;
      }
    }
    return removed;
  }

  #checkReplacement(previous: Transfer, tx: Transfer): void {
    const bump = 100n + this.#limits.priceBumpPercent;
    const minFeeCap = ceilDiv(previous.maxFeePerGas * bump, 100n);
    const minTip = ceilDiv(previous.maxPriorityFeePerGas * bump, 100n);
    if (tx.maxFeePerGas < minFeeCap || tx.maxPriorityFeePerGas < minTip) {
      throw new ExecutionError(
        "REPLACEMENT_UNDERPRICED",
        "replacement transaction underpriced",
        `nonce ${tx.nonce} needs fee cap >= ${minFeeCap} and tip >= ${minTip} (+${this.#limits.priceBumpPercent}%), got ${tx.maxFeePerGas} and ${tx.maxPriorityFeePerGas}`,
      );
    }
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
