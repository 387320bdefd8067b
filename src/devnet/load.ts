/**
 * A transfer load for any Ethereum JSON-RPC endpoint (the devnet's, or a plain `hardhat node`
 * as the baseline of DESIGN §8): the same function measures both, so the comparison is the
 * endpoints', not the tools'.
 *
 *  1. signTransfers: N EIP-1559 value transfers from K deterministic senders, signed before
 *     anything is timed (round-robin over senders, consecutive nonces, each to the next sender).
 *  2. runLoad: sends them with at most `concurrency` transactions in flight (submitted and not
 *     yet seen in a block), each sender's in nonce order, and measures for each one the time
 *     from submission to the first block that holds it, as a client polling the endpoint sees
 *     it. A single watcher polls eth_blockNumber and fetches new blocks in JSON-RPC batches:
 *     one request per poll instead of one receipt poll per transaction, so the load generator
 *     does not steal the endpoint's capacity it is trying to measure.
 */
import { type Address, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { privateKeyToAccount } from "viem/accounts";
import { DevnetError } from "./errors.ts";
import { callRpc, callRpcBatch, RpcError } from "./rpc.ts";

export interface SignTransfersOptions {
  readonly chainId: number | bigint;
  /** Private keys of funded accounts. */
  readonly senders: readonly Hex[];
  /** Each sender's next nonce (readNonces gives the endpoint's pending ones). */
  readonly startNonces: readonly bigint[];
  readonly count: number;
  /** Wei per transfer (default 1 gwei). */
  readonly value?: bigint;
  /** Default 10 gwei: above the 1 gwei starting base fee of both the L2 and hardhat node. */
  readonly maxFeePerGas?: bigint;
  /** Default 1 gwei. */
  readonly maxPriorityFeePerGas?: bigint;
  /** Transfer i goes to recipients[i % length] (default: each to the next sender). */
  readonly recipients?: readonly Address[];
}

export interface SignedTransfer {
  readonly from: Address;
  readonly nonce: bigint;
  readonly raw: Hex;
  readonly hash: Hex;
}

export async function signTransfers(options: SignTransfersOptions): Promise<SignedTransfer[]> {
  const { senders, startNonces, count } = options;
  if (senders.length === 0) throw new RangeError("signTransfers needs at least one sender");
  if (startNonces.length !== senders.length) throw new RangeError(`startNonces has ${startNonces.length} entries for ${senders.length} senders`);
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (options.recipients?.length === 0) throw new RangeError("recipients, when given, must not be empty");
  const accounts = senders.map((key) => privateKeyToAccount(key));
  const transfers: SignedTransfer[] = [];
  for (let i = 0; i < count; i++) {
    const k = i % accounts.length;
    const account = accounts[k]!;
    const nonce = startNonces[k]! + BigInt(Math.floor(i / accounts.length));
    const raw = await account.signTransaction({
      type: "eip1559",
      chainId: Number(options.chainId),
      nonce: Number(nonce),
      to: options.recipients === undefined ? accounts[(k + 1) % accounts.length]!.address : options.recipients[i % options.recipients.length]!,
      value: options.value ?? 1_000_000_000n,
      gas: 21_000n,
      maxFeePerGas: options.maxFeePerGas ?? 10_000_000_000n,
      maxPriorityFeePerGas: options.maxPriorityFeePerGas ?? 1_000_000_000n,
    });
    transfers.push({ from: account.address, nonce, raw, hash: keccak256(raw) });
  }
  return transfers;
}

/** Each address's pending nonce at `rpcUrl`, in one batch. */
export async function readNonces(rpcUrl: string, addresses: readonly Address[]): Promise<bigint[]> {
  const answers = await again(() => callRpcBatch(rpcUrl, addresses.map((a) => ({ method: "eth_getTransactionCount", params: [a, "pending"] }))));
  return answers.map((n) => BigInt(n as string));
}

export interface RunLoadOptions {
  readonly rpcUrl: string;
  readonly transfers: readonly SignedTransfer[];
  /** Most transactions submitted and not yet seen in a block (default 64). */
  readonly concurrency?: number;
  /**
   * Most of those from one sender (default: no limit but `concurrency`). An endpoint that
   * refuses nonces too far ahead of an account's included one (the L2 mempool takes 64) needs it.
   */
  readonly maxInFlightPerSender?: number;
  /** Block polling period (default 10 ms); it bounds the latency resolution. */
  readonly pollIntervalMs?: number;
  /** Give up when nothing new is included for this long (default 30 s). */
  readonly stallTimeoutMs?: number;
  /**
   * What giving up does: "throw" (default) fails the run with LOAD_FAILED; "report" ends it and
   * returns what it saw, with `stalled` saying why and the transfers left `pending` or `unsent`,
   * so that a benchmark of a halting chain accounts for every transfer instead of losing them.
   */
  readonly onStall?: "throw" | "report";
  /**
   * Open loop: submissions start at most this many per second, evenly spaced, whatever the
   * endpoint does (still within `concurrency`). Default: as fast as the slots allow.
   */
  readonly ratePerSec?: number;
  /** Called after each poll that saw some of ours included: how many so far, and how many are in flight. */
  readonly onProgress?: (included: number, inFlight: number) => void;
}

/** One of ours seen in a block. Times are `performance.now()` values of this process. */
export interface Inclusion {
  readonly hash: Hex;
  readonly blockNumber: bigint;
  readonly submittedAt: number;
  /** The poll that first saw it in a block. */
  readonly seenAt: number;
}

export interface LoadResult {
  /** Transactions seen in a block. */
  readonly txs: number;
  /** Refused at submission, or never sent because an earlier nonce of the same sender was refused. */
  readonly failed: number;
  /** The first refusals, for the report. */
  readonly errors: readonly string[];
  /** Included transactions / (last inclusion seen - first submission). */
  readonly txPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly durationMs: number;
  /** Submission -> seen in a block, per included transaction, in inclusion order. */
  readonly latenciesMs: readonly number[];
  /** The same transactions with their blocks (what finality is measured on), in inclusion order. */
  readonly inclusions: readonly Inclusion[];
  /** Why the run ended early (onStall "report" only); undefined when every submitted transfer was included. */
  readonly stalled?: string;
  /** Submitted and accepted, never seen in a block before the run gave up (onStall "report" only). */
  readonly pending: readonly Hex[];
  /** Never submitted because the run gave up first (onStall "report" only). */
  readonly unsent: number;
}

/** Nearest-rank percentile of `values` (p in 0..1); NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** A counting semaphore: at most `permits` holders at a time, woken in arrival order. */
function createSemaphore(permits: number) {
  const waiting: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (permits > 0) {
        permits--;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release(): void {
      const next = waiting.shift();
      if (next === undefined) permits++;
      else next();
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The request did not get an answer (connection refused, reset, closed): not a refusal by the endpoint. */
function isTransportFailure(error: unknown): boolean {
  return error instanceof DevnetError && error.code === "RPC_ERROR" && !(error instanceof RpcError);
}

/**
 * Attempts per request lost with its connection. Several pooled keep-alive sockets can die
 * together (the server closes its idle ones at once), so one request may pick more than one.
 */
const TRANSPORT_ATTEMPTS = 6;

/** `call`, again while it fails without an answer (only for requests that are safe to repeat). */
async function again<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isTransportFailure(error) || attempt >= TRANSPORT_ATTEMPTS) throw error;
    }
  }
}

/**
 * eth_sendRawTransaction, sent again when the connection failed without an answer. The first
 * attempt may still have reached the endpoint, so before resending we ask whether it knows the
 * transaction, and a resend refused as "already known" counts as sent.
 */
async function submit(rpcUrl: string, transfer: SignedTransfer): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await callRpc<string>(rpcUrl, "eth_sendRawTransaction", [transfer.raw]);
    } catch (error) {
      if (attempt > 1 && error instanceof RpcError && /already known/i.test(error.message)) return transfer.hash;
      if (!isTransportFailure(error) || attempt >= TRANSPORT_ATTEMPTS) throw error;
      if ((await again(() => callRpc<unknown>(rpcUrl, "eth_getTransactionByHash", [transfer.hash]))) !== null) return transfer.hash;
    }
  }
}

export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const concurrency = options.concurrency ?? 64;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be >= 1, got ${concurrency}`);
  const perSender = options.maxInFlightPerSender ?? concurrency;
  if (!Number.isInteger(perSender) || perSender < 1) throw new RangeError(`maxInFlightPerSender must be >= 1, got ${perSender}`);
  const rate = options.ratePerSec;
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) throw new RangeError(`ratePerSec must be a positive number, got ${rate}`);
  const pollIntervalMs = options.pollIntervalMs ?? 10;
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const { rpcUrl } = options;
  const lanes = new Map<Address, SignedTransfer[]>();
  for (const transfer of options.transfers) {
    const lane = lanes.get(transfer.from) ?? [];
    lane.push(transfer);
    lanes.set(transfer.from, lane);
  }
  const slots = createSemaphore(concurrency);
  const inFlight = new Map<string, { hash: Hex; submittedAt: number; done: () => void }>();
  const inclusions: Inclusion[] = [];
  const errors: string[] = [];
  let failed = 0;
  let firstSubmit: number | undefined;
  let lastInclusion: number | undefined;
  let sending = true;
  let watchFailure: Error | undefined;
  let stalled: string | undefined;
  const pending = new Set<Hex>();
  let unsent = 0;

  // Blocks already on the chain before the load hold none of its transactions.
  let seenBlock = BigInt(await again(() => callRpc<string>(rpcUrl, "eth_blockNumber")));

  const watch = async () => {
    // Progress is one of ours being included (or nothing of ours outstanding): an endpoint
    // that keeps making empty blocks while our transactions sit somewhere is stalled too.
    let lastProgress = performance.now();
    while (sending || inFlight.size > 0) {
      const now = performance.now();
      if (inFlight.size === 0) lastProgress = now;
      else if (now - lastProgress > stallTimeoutMs) {
        const reason = `${inFlight.size} submitted transactions were not included within ${stallTimeoutMs} ms (last block seen ${seenBlock})`;
        if (options.onStall !== "report") throw new DevnetError("LOAD_FAILED", reason);
        stalled = reason;
        for (const entry of [...inFlight.values()]) {
          pending.add(entry.hash);
          entry.done();
        }
        return;
      }
      let latest: bigint;
      let numbers: bigint[] = [];
      let blocks: ({ transactions: string[] } | null)[];
      try {
        latest = BigInt(await callRpc<string>(rpcUrl, "eth_blockNumber"));
        if (latest <= seenBlock) {
          await sleep(pollIntervalMs);
          continue;
        }
        numbers = [];
        for (let n = seenBlock + 1n; n <= latest && numbers.length < 200; n++) numbers.push(n);
        blocks = (await callRpcBatch(
          rpcUrl,
          numbers.map((n) => ({ method: "eth_getBlockByNumber", params: [`0x${n.toString(16)}`, false] })),
        )) as ({ transactions: string[] } | null)[];
      } catch (error) {
        // A poll lost to the connection (a keep-alive socket the server just closed) is polled
        // again; an endpoint that stays unreachable ends the run at the stall timeout.
        if (!isTransportFailure(error)) throw error;
        await sleep(pollIntervalMs);
        continue;
      }
      const seenAt = performance.now();
      const before = inclusions.length;
      for (const [i, block] of blocks.entries()) {
        if (block === null) throw new DevnetError("LOAD_FAILED", `block ${numbers[i]} is missing though eth_blockNumber reported ${latest}`);
        for (const hash of block.transactions) {
          const entry = inFlight.get(hash.toLowerCase());
          if (entry === undefined) continue;
          inclusions.push({ hash: entry.hash, blockNumber: numbers[i]!, submittedAt: entry.submittedAt, seenAt });
          lastInclusion = seenAt;
          lastProgress = seenAt;
          entry.done();
        }
      }
      seenBlock = numbers[numbers.length - 1]!;
      if (inclusions.length > before) options.onProgress?.(inclusions.length, inFlight.size);
    }
  };

  // Open loop: the k-th submission (in the order lanes ask) is due k / rate seconds after the first.
  let paceStart: number | undefined;
  let paced = 0;
  const pace = async () => {
    if (rate === undefined) return;
    paceStart ??= performance.now();
    const due = paceStart + (paced++ * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  };

  const send = async (lane: readonly SignedTransfer[]) => {
    const laneSlots = createSemaphore(perSender);
    for (const [i, transfer] of lane.entries()) {
      // The sender's own limit first: a lane waiting for it must not hold a shared slot.
      await laneSlots.acquire();
      await slots.acquire();
      await pace();
      if (watchFailure !== undefined || stalled !== undefined) {
        slots.release();
        laneSlots.release();
        unsent += lane.length - i;
        return;
      }
      const key = transfer.hash.toLowerCase();
      let released = false;
      const done = () => {
        if (released) return;
        released = true;
        inFlight.delete(key);
        slots.release();
        laneSlots.release();
      };
      // Registered before sending: an automining endpoint includes it before answering.
      const submittedAt = performance.now();
      firstSubmit ??= submittedAt;
      inFlight.set(key, { hash: transfer.hash, submittedAt, done });
      try {
        const answer = await submit(rpcUrl, transfer);
        if (answer.toLowerCase() !== key) throw new Error(`endpoint answered hash ${answer}, expected ${transfer.hash}`);
      } catch (error) {
        done();
        // Refused (counted below), not pending, even if the run gave up while it was being sent.
        pending.delete(transfer.hash);
        // Later nonces of this sender cannot be included without this one.
        failed += lane.length - i;
        if (errors.length < 10) errors.push(`${transfer.from} nonce ${transfer.nonce}: ${(error as Error).message}`);
        return;
      }
    }
  };

  const watcher = watch().catch((error: Error) => {
    watchFailure = error;
    // Wake every sender blocked on a slot so that the run ends instead of hanging.
    for (const entry of [...inFlight.values()]) entry.done();
  });
  await Promise.all([...lanes.values()].map(send));
  sending = false;
  await watcher;
  if (watchFailure !== undefined) throw watchFailure;
  const durationMs = firstSubmit === undefined || lastInclusion === undefined ? 0 : lastInclusion - firstSubmit;
  const latenciesMs = inclusions.map((i) => i.seenAt - i.submittedAt);
  return {
    txs: latenciesMs.length,
    failed,
    errors,
    txPerSec: durationMs > 0 ? (latenciesMs.length * 1000) / durationMs : 0,
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    durationMs,
    latenciesMs,
    inclusions,
    ...(stalled === undefined ? {} : { stalled }),
    pending: [...pending],
    unsent,
  };
}
