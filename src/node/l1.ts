/**
 * A member's L1 side (config section `l1`): it follows L1 (Inbox entries, finality, slashings)
 * and settles on it (commit proofs, equivocation evidence), with the settlement library's parts:
 *
 *  - `L1Follower` from the deployment block, persisting the finalized head in the member's store
 *    (fact `l1:finalized`: the RPC's `finalized` tag and `hotstuff_finalized_height` read it).
 *    Its reads feed `L1View`, which chain.ts builds and validates blocks against.
 *  - The outbox consumer: a `SettlementWorker` over the member's own store (`StoredChain`) and an
 *    `EvidenceWorker`, sharing one `TransactionSender` for the config's L1 account. Every member
 *    settles, member i only once a committed block is `i × settleHoldOffMs` old and still not
 *    final on L1: member 0 settles, the others step in only when it stalls, so one crashed
 *    member never stops finality.
 *
 * Why the hold-off counts from the commit and not from when the outbox item runs (as the
 * worker's own `holdOff` would): the outbox runs one item at a time and gets one item per
 * commit, so a backup sleeping i × 2 s per item falls further behind with every block, its
 * queue growing without bound while member 0 is healthy. Counted from the commit, a backlog's
 * older items are already past their hold-off and are dropped after one L1 read.
 */
import type { Log } from "./log.ts";
import type { NodeConfig } from "./config.ts";
import type { L1Config } from "./config-l1.ts";
import type { ReplicaL1 } from "./io.ts";
import type { Signer } from "../consensus/index.ts";
import type { L1Outbox, OutboxItem } from "../queues/index.ts";
import type { Store } from "../store/index.ts";
import {
  connectL1,
  createOutboxConsumer,
  EvidenceWorker,
  L1Follower,
  SettlementError,
  SettlementWorker,
  StoredChain,
  TransactionSender,
  type EpochStart,
  type L1Connection,
} from "../settlement/index.ts";
import type { InboxEntry } from "../protocol/inbox.ts";
import type { Hex } from "viem";

/** A settlement log entry's fields without its own level and event (the member's log sets those). */
function fieldsOf(entry: object): Record<string, unknown> {
  const { level: _level, event: _event, ...rest } = entry as Record<string, unknown>;
  return rest;
}

/** L1 heads with the time this member first read them, newest last (only the recent ones are kept). */
class HeadHistory {
  readonly #heads: { head: bigint; at: number }[] = [];

  note(head: bigint, at: number): void {
    const last = this.#heads[this.#heads.length - 1];
    if (last !== undefined && last.head >= head) return;
    this.#heads.push({ head, at });
    if (this.#heads.length > 64) this.#heads.splice(0, this.#heads.length - 64);
  }

  /** The newest head read at or before `time`; the oldest kept one if none is that old. */
  at(time: number): bigint | undefined {
    for (let i = this.#heads.length - 1; i >= 0; i--) if (this.#heads[i]!.at <= time) return this.#heads[i]!.head;
    return this.#heads[0]?.head;
  }
}

export class MemberL1 implements ReplicaL1 {
  readonly #config: L1Config;
  readonly #log: Log;
  readonly #connection: L1Connection;
  readonly follower: L1Follower;
  readonly #history = new HeadHistory();
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #failing = false;
  /** When this member committed the blocks that settle items name (in memory: after a restart, items run at once). */
  readonly #committedAt = new Map<bigint, number>();
  #holdOffMs = 0;
  readonly #epochListeners: (() => void)[] = [];

  private constructor(config: L1Config, store: Store, log: Log) {
    this.#config = config;
    this.#log = log;
    this.#connection = connectL1({ rpcUrl: config.rpcUrl, account: config.privateKey });
    const { rollup, committee, bridge } = config.deployment.contracts;
    this.follower = new L1Follower({
      l1: this.#connection,
      contracts: { rollup, committee, bridge },
      fromBlock: BigInt(config.deployment.deployBlock),
      confirmations: config.confirmations,
      store,
      onUpdate: (u) => {
        if (u.finalized !== undefined) log("info", "l1.finalized", { number: u.finalized.number, hash: u.finalized.hash, l1TxHash: u.finalized.l1TxHash, l1Block: u.finalized.l1Block });
        if (u.inbox.length > 0) log("info", "l1.inbox", { entries: u.inbox.length, total: this.follower.inboxEntries().length, l1Head: u.l1Head });
        for (const s of u.slashed) log("warn", "l1.slashed", { ...s });
        for (const e of u.epochs) log("info", "l1.epoch_started", { epoch: e.epoch, members: e.members, l1Block: e.l1Block });
        if (u.epochs.length > 0) for (const listener of this.#epochListeners) listener();
      },
    });
  }

  /**
   * Connects and reads L1 up to its tip once, before the member validates anything: until then it
   * would refuse every block (their l1Origin is beyond what it read). Throws when L1 does not answer.
   */
  static async open(config: NodeConfig, store: Store, log: Log): Promise<MemberL1> {
    const l1 = new MemberL1(config.l1!, store, log);
    try {
      await l1.follower.poll();
    } catch (e) {
      throw new Error(`cannot read L1 at ${config.l1!.rpcUrl}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    }
    l1.#history.note(l1.follower.l1Head(), 0);
    log("info", "l1.following", { rpcUrl: config.l1!.rpcUrl, confirmations: String(config.l1!.confirmations), rollup: config.l1!.deployment.contracts.rollup, l1Head: l1.follower.l1Head(), inbox: l1.follower.inboxEntries().length, settler: l1.#connection.account?.address });
    return l1;
  }

  // ---- L1View --------------------------------------------------------------------------------

  head(): bigint {
    return this.follower.l1Head();
  }

  originAt(now: number): bigint {
    return this.#history.at(now - this.#config.originDelayMs) ?? this.follower.l1Head();
  }

  hashAt(number: bigint): Hex | undefined {
    return this.follower.hashAt(number);
  }

  inboxEntries(): readonly InboxEntry[] {
    return this.follower.inboxEntries();
  }

  refresh(): void {
    void this.#poll();
  }

  epochs(): readonly EpochStart[] {
    return this.follower.epochs();
  }

  // ---- following -----------------------------------------------------------------------------

  /** `listener` runs after each poll that brought new epochs (read them from follower.epochs()). */
  onEpochs(listener: () => void): void {
    this.#epochListeners.push(listener);
  }

  /** Polls every pollIntervalMs until stop(); an L1 that does not answer is logged once per outage. */
  startFollowing(): void {
    const loop = async () => {
      await this.#poll();
      if (!this.#stopped) this.#timer = setTimeout(loop, this.#config.pollIntervalMs);
    };
    this.#timer = setTimeout(loop, this.#config.pollIntervalMs);
  }

  async #poll(): Promise<void> {
    try {
      await this.follower.poll();
      this.#history.note(this.follower.l1Head(), Date.now());
      if (this.#failing) this.#log("info", "l1.recovered", { l1Head: this.follower.l1Head() });
      this.#failing = false;
    } catch (e) {
      // INBOX_MISMATCH and L1_REORG are always worth a line; an L1 that is down, once per outage.
      const code = e instanceof SettlementError ? e.code : undefined;
      if (!this.#failing || code === "INBOX_MISMATCH" || code === "L1_REORG") this.#log("error", "l1.follow_failed", { code, error: e instanceof Error ? e.message.split("\n")[0] : String(e) });
      this.#failing = true;
    }
  }

  // ---- settlement ----------------------------------------------------------------------------

  /** The member committed up to `number` at `at` (ms) and enqueued a settle item for it. */
  noteCommitted(number: bigint, at: number): void {
    if (this.#holdOffMs === 0) return; // member 0 settles at once and needs no commit times
    this.#committedAt.set(number, at);
    // Items that never ran (an enqueue lost to a Redis outage) must not make this grow forever.
    if (this.#committedAt.size > 10_000) this.#committedAt.delete(this.#committedAt.keys().next().value!);
  }

  /** Sleeps `ms` unless stop() comes first, which rejects (the outbox retries the item at the next start). */
  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const signal = this.#abort.signal;
      if (signal.aborted) return reject(new Error("member stopping"));
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(new Error("member stopping"));
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Starts the outbox consumer: settle items settle what this member's store committed, evidence items report it. */
  startSettlement(outbox: L1Outbox, options: { store: Store; signer: Signer; member: number }): void {
    const { deployment, settleHoldOffMs } = this.#config;
    const rollup = deployment.contracts.rollup;
    const log = this.#log;
    const sender = new TransactionSender(this.#connection, {
      signal: this.#abort.signal,
      onSent: (t) => log("info", "l1.sent", { hash: t.hash, nonce: t.nonce, replaces: t.replaces }),
    });
    const holdOffMs = options.member * settleHoldOffMs;
    this.#holdOffMs = holdOffMs;
    const retried = (item: OutboxItem, attempt: number, error: unknown) => {
      // Deferrals and an L1 that is down are retried with back-off: say so sparingly, and not at shutdown.
      if (this.#abort.signal.aborted) return;
      if (attempt === 1 || attempt % 10 === 0) log("warn", "l1.retry", { item, attempt, error: error instanceof Error ? error.message.split("\n")[0] : String(error) });
    };
    const settlement = new SettlementWorker({
      l1: this.#connection,
      rollup,
      chain: new StoredChain(options.store, options.signer, (n, e) => log("error", "settlement.unreadable_proof", { number: n, error: (e as Error).message })),
      sender,
      // No fixed epoch: each run settles proofs of L1's current one (epochs change after slashing).
      log: (entry) => log(entry.level === "alert" ? "error" : entry.level, `settlement.${entry.event}`, fieldsOf(entry)),
    });
    const evidence = new EvidenceWorker({
      l1: this.#connection,
      rollup,
      sender,
      signer: options.signer,
      // Evidence items name the epoch they were signed in (member.ts).
      log: (entry) => log(entry.level, `evidence.${entry.event}`, fieldsOf(entry)),
    });
    const consume = createOutboxConsumer({
      settlement,
      evidence,
      onAlert: (item, error) => {
        // Every honest member that saw the equivocation reports it; all but the first find it done.
        const done = error.revert?.errorName === "EvidenceAlreadyReported" || error.revert?.errorName === "MemberAlreadySlashed";
        if (done) log("info", "evidence.already_reported", { item, revert: error.revert });
        else log("error", "l1.alert", { item, code: error.code, error: error.message, revert: error.revert });
      },
      onRetry: retried,
    });
    outbox.start(async (item, attempt) => {
      if (item.kind === "settle" && holdOffMs > 0) {
        const number = BigInt(item.number);
        try {
          const at = this.#committedAt.get(number);
          if (at !== undefined) await this.#sleep(at + holdOffMs - Date.now());
          for (const n of this.#committedAt.keys()) if (n <= number) this.#committedAt.delete(n);
          // Settled by another member: the follower's reading usually says so without asking L1.
          if ((this.follower.finalized()?.number ?? -1n) >= number) return;
          if ((await settlement.finalizedHead()).number >= number) return;
        } catch (error) {
          retried(item, attempt, error);
          throw error;
        }
      }
      await consume(item, attempt);
    });
  }

  /**
   * Ends receipt waits (so that the outbox's running item returns) and the polling. Call before
   * closing the outbox: the outbox's close waits for the running item.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.follower.stop();
  }
}
