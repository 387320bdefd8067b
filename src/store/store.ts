/**
 * A member's local store: an embedded SQLite database (node:sqlite) in the member's data
 * directory. Chosen because it is in Node itself (no native add-on to build), transactional, and
 * durable: WAL journal with `synchronous = FULL` fsyncs every commit, so when a write call
 * returns the data survives a crash or power loss (`atomically(work, false)` skips that fsync; the
 * next fsynced commit covers it). The calls are synchronous on purpose: the
 * node must not send a vote until the safety state is on disk, and a synchronous write makes
 * that ordering impossible to get wrong.
 *
 * Damage is detected, never silently used: on open, the file must read as SQLite, the schema
 * version and the chain identity (chain id, rollup address, genesis hash) must match, and the
 * safety row must match its checksum. Each failure is a StoreError naming the file. SQLite's
 * whole-file check reads every page, so it runs after start-up, off the restart path
 * (integrity.ts); SQLite reports a damaged page it reads at any time too (SQLITE_CORRUPT).
 * The connection itself (durability settings, schema and identity checks, transactions) is
 * database.ts; this file owns the tables.
 */
import { createHash } from "node:crypto";
import type { StatementSync } from "node:sqlite";
import { Database, type StoreIdentity } from "./database.ts";
import { damagedMessage, StoreError } from "./errors.ts";

export interface StoredBlock {
  readonly hash: string;
  readonly number: bigint;
  readonly view: bigint;
  /** The committee epoch whose keys signed the block. */
  readonly epoch: bigint;
  /** The proposer's signer index in that epoch; -1 when not known. */
  readonly proposer: number;
  /** The block in the consensus codec's encoding. */
  readonly data: string;
}

export interface StoredAccount {
  readonly address: string;
  readonly nonce: bigint;
  readonly balance: bigint;
  /** keccak256 of the account's code; absent without code. */
  readonly codeHash?: string;
}

/** A storage slot write: a 0 value deletes the slot. */
export interface StoredSlot {
  readonly address: string;
  readonly slot: string;
  readonly value: bigint;
}

export interface StoredTransaction {
  readonly hash: string;
  readonly index: number;
  /** The receipt, JSON-encoded by execution. */
  readonly receipt: string;
}

/** Everything that changes when a block commits, written in one transaction. */
export interface CommitRecord {
  readonly number: bigint;
  readonly hash: string;
  readonly transactions: readonly StoredTransaction[];
  /** Accounts with their new values; an empty one (nonce 0, balance 0, no code) is deleted with its storage. */
  readonly accounts: readonly StoredAccount[];
  /** Code deployed by the block, by hash (hex). */
  readonly code?: readonly { readonly hash: string; readonly code: Uint8Array }[];
  readonly storage?: readonly StoredSlot[];
  readonly withdrawals: readonly string[];
}

function checksum(data: string): string {
  return createHash("sha256").update(data).digest("hex");
}

export class Store {
  readonly path: string;
  readonly #db: Database;

  private constructor(db: Database) {
    this.path = db.path;
    this.#db = db;
  }

  /**
   * Opens (creating if needed) the store at `path` for `identity`. Throws STORE_DAMAGED for a
   * file SQLite cannot read or that fails its checks, STORE_MISMATCH for another chain's store.
   */
  static open(path: string, identity: StoreIdentity): Store {
    const store = new Store(Database.open(path, identity));
    store.loadSafety(); // verifies the checksum now, not at the first vote
    return store;
  }

  #statement(sql: string): StatementSync {
    return this.#db.statement(sql);
  }

  /** One SQLite transaction; nested calls become savepoints inside the outer one (database.ts). */
  #transaction<T>(work: () => T): T {
    return this.#db.transaction(work);
  }

  /** Whether a transaction is open (atomically): what it wrote is not yet on disk. */
  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  /** The transaction that last wrote the signed-message ledger (database.ts `seq`). */
  #ledgerSeq = 0;

  /** Whether every ledger entry written so far is on disk (no non-durable commit holds one). */
  get ledgerDurable(): boolean {
    return this.#ledgerSeq <= this.#db.durableSeq;
  }

  /**
   * Runs `work` (any number of store writes) as one transaction: after a crash, all of it or none
   * is on disk. `durable: false` skips the commit's fsync; the next durable commit covers it
   * (database.ts), and until then a power loss (not a process crash) may lose it.
   */
  atomically<T>(work: () => T, durable = true): T {
    return this.#db.transaction(work, durable);
  }

  // ---- consensus safety state ------------------------------------------------------------

  /** Durably replaces the safety state; returns only once it is fsynced. */
  saveSafety(data: string): void {
    this.#statement("INSERT INTO safety (id, data, checksum) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, checksum = excluded.checksum").run(data, checksum(data));
  }

  loadSafety(): string | undefined {
    const row = this.#statement("SELECT data, checksum FROM safety WHERE id = 1").get() as { data: string; checksum: string } | undefined;
    if (row === undefined) return undefined;
    if (checksum(row.data) !== row.checksum) {
      throw new StoreError("STORE_DAMAGED", damagedMessage(this.path, "the safety state does not match its checksum; refusing to sign from it"));
    }
    return row.data;
  }

  /**
   * Records that this member signed `payload` as a `kind` message in `view` of `epoch`, durably,
   * before it is sent. Signing the same payload again is allowed (a resend); a different payload
   * for the same epoch, kind and view is refused with STORE_CONFLICT: the last guard against
   * equivocation.
   */
  recordSignature(kind: string, view: bigint, payload: string, epoch: bigint): void {
    this.#transaction(() => {
      const row = this.#statement("SELECT payload FROM signed WHERE epoch = ? AND kind = ? AND view = ?").get(epoch, kind, view) as { payload: string } | undefined;
      if (row === undefined) {
        this.#statement("INSERT INTO signed (epoch, kind, view, payload) VALUES (?, ?, ?, ?)").run(epoch, kind, view, payload);
        this.#ledgerSeq = this.#db.seq;
      }
      else if (row.payload !== payload) {
        throw new StoreError("STORE_CONFLICT", `refusing to sign a second ${kind} in view ${view} of epoch ${epoch}: already signed ${row.payload}, asked for ${payload}`);
      }
    });
  }

  signedMessages(): { epoch: bigint; kind: string; view: bigint; payload: string }[] {
    return (this.#statement("SELECT epoch, kind, view, payload FROM signed ORDER BY epoch, view, kind").all() as { epoch: number | bigint; kind: string; view: number | bigint; payload: string }[]).map(
      (r) => ({ epoch: BigInt(r.epoch), kind: r.kind, view: BigInt(r.view), payload: r.payload }),
    );
  }

  /**
   * Moves the member into a new committee epoch, in one transaction: the epoch record (`fact`,
   * under fact key `consensus:epoch`), the new epoch's first safety state, the old epoch's
   * epoch-change proof (`proof`, kept to be served), and the removal of the old epoch's blocks
   * above the boundary block `boundary` that were never committed (the suffix is in the proof).
   */
  startEpoch(fact: string, safety: string, boundary: bigint, proof: { epoch: bigint; data: string }): void {
    this.#transaction(() => {
      this.setFact("consensus:epoch", fact);
      this.saveSafety(safety);
      this.#statement("INSERT OR REPLACE INTO epoch_changes (epoch, boundary, data) VALUES (?, ?, ?)").run(proof.epoch, boundary, proof.data);
      this.#statement("DELETE FROM blocks WHERE epoch = ? AND number > ? AND hash NOT IN (SELECT hash FROM canonical)").run(proof.epoch, boundary);
    });
  }

  /** The epoch-change proof that ended `epoch` (epochs.ts), if this member went through that change. */
  epochChange(epoch: bigint): { boundary: bigint; data: string } | undefined {
    const row = this.#statement("SELECT boundary, data FROM epoch_changes WHERE epoch = ?").get(epoch) as { boundary: number | bigint; data: string } | undefined;
    return row === undefined ? undefined : { boundary: BigInt(row.boundary), data: row.data };
  }

  // ---- blocks and QCs --------------------------------------------------------------------

  putBlock(block: StoredBlock): void {
    this.#statement("INSERT OR IGNORE INTO blocks (hash, number, view, epoch, proposer, data, checksum) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
      block.hash, block.number, block.view, block.epoch, block.proposer, block.data, checksum(block.data),
    );
  }

  getBlock(hash: string): StoredBlock | undefined {
    const row = this.#statement("SELECT hash, number, view, epoch, proposer, data, checksum FROM blocks WHERE hash = ?").get(hash) as
      | { hash: string; number: number | bigint; view: number | bigint; epoch: number | bigint; proposer: number | bigint; data: string; checksum: string }
      | undefined;
    if (row === undefined) return undefined;
    if (checksum(row.data) !== row.checksum) throw new StoreError("STORE_DAMAGED", `block ${hash} in ${this.path} does not match its checksum`);
    return { hash: row.hash, number: BigInt(row.number), view: BigInt(row.view), epoch: BigInt(row.epoch), proposer: Number(row.proposer), data: row.data };
  }

  /**
   * The blocks of `epoch` above height `number`, lowest first: at a restart, what the member
   * accepted but had not committed (bounded by what consensus leaves uncommitted, not by the
   * chain's length).
   */
  blocksAbove(number: bigint, epoch: bigint): StoredBlock[] {
    const rows = this.#statement("SELECT hash FROM blocks WHERE epoch = ? AND number > ? ORDER BY number").all(epoch, number) as { hash: string }[];
    return rows.map((r) => this.getBlock(r.hash)!);
  }

  putQc(blockHash: string, view: bigint, data: string): void {
    this.#statement("INSERT OR IGNORE INTO qcs (block_hash, view, data) VALUES (?, ?, ?)").run(blockHash, view, data);
  }

  getQc(blockHash: string): string | undefined {
    return (this.#statement("SELECT data FROM qcs WHERE block_hash = ?").get(blockHash) as { data: string } | undefined)?.data;
  }

  // ---- the committed chain ---------------------------------------------------------------

  /** Applies a committed block atomically: canonical entry, transactions, receipts, accounts. */
  commitBlock(record: CommitRecord): void {
    this.#transaction(() => {
      const existing = this.canonicalHash(record.number);
      if (existing !== undefined) {
        if (existing === record.hash) return; // already committed: commits are idempotent
        throw new StoreError("STORE_CONFLICT", `height ${record.number} is already committed to ${existing}, not ${record.hash}`);
      }
      const head = this.committedHead();
      if (head !== undefined && record.number !== head.number + 1n) {
        throw new StoreError("STORE_CONFLICT", `cannot commit height ${record.number} on top of height ${head.number}`);
      }
      this.#statement("INSERT INTO canonical (number, hash) VALUES (?, ?)").run(record.number, record.hash);
      const tx = this.#statement("INSERT INTO transactions (hash, block_number, block_hash, idx, receipt) VALUES (?, ?, ?, ?, ?)");
      for (const t of record.transactions) tx.run(t.hash.toLowerCase(), record.number, record.hash, t.index, t.receipt);
      const account = this.#statement("INSERT INTO accounts (address, nonce, balance, code_hash) VALUES (?, ?, ?, ?) ON CONFLICT (address) DO UPDATE SET nonce = excluded.nonce, balance = excluded.balance, code_hash = excluded.code_hash");
      const code = this.#statement("INSERT OR IGNORE INTO code (hash, code) VALUES (?, ?)");
      for (const c of record.code ?? []) code.run(c.hash.toLowerCase(), c.code);
      const slot = this.#statement("INSERT INTO storage (address, slot, value) VALUES (?, ?, ?) ON CONFLICT (address, slot) DO UPDATE SET value = excluded.value");
      const clearSlot = this.#statement("DELETE FROM storage WHERE address = ? AND slot = ?");
      for (const s of record.storage ?? []) {
        if (s.value === 0n) clearSlot.run(s.address.toLowerCase(), s.slot.toLowerCase());
        else slot.run(s.address.toLowerCase(), s.slot.toLowerCase(), s.value.toString());
      }
      const removeAccount = this.#statement("DELETE FROM accounts WHERE address = ?");
      const removeStorage = this.#statement("DELETE FROM storage WHERE address = ?");
      for (const a of record.accounts) {
        const address = a.address.toLowerCase();
        if (a.nonce === 0n && a.balance === 0n && a.codeHash === undefined) {
          removeAccount.run(address);
          removeStorage.run(address);
        } else account.run(address, a.nonce.toString(), a.balance.toString(), a.codeHash?.toLowerCase() ?? null);
      }
      const withdrawal = this.#statement("INSERT INTO withdrawals (block_number, idx, data) VALUES (?, ?, ?)");
      record.withdrawals.forEach((w, i) => withdrawal.run(record.number, i, w));
    });
  }

  committedHead(): { number: bigint; hash: string } | undefined {
    const row = this.#statement("SELECT number, hash FROM canonical ORDER BY number DESC LIMIT 1").get() as { number: number | bigint; hash: string } | undefined;
    return row === undefined ? undefined : { number: BigInt(row.number), hash: row.hash };
  }

  canonicalHash(number: bigint): string | undefined {
    return (this.#statement("SELECT hash FROM canonical WHERE number = ?").get(number) as { hash: string } | undefined)?.hash;
  }

  getTransaction(hash: string): { blockNumber: bigint; blockHash: string; index: number; receipt: string } | undefined {
    const row = this.#statement("SELECT block_number, block_hash, idx, receipt FROM transactions WHERE hash = ?").get(hash.toLowerCase()) as
      | { block_number: number | bigint; block_hash: string; idx: number | bigint; receipt: string }
      | undefined;
    return row === undefined ? undefined : { blockNumber: BigInt(row.block_number), blockHash: row.block_hash, index: Number(row.idx), receipt: row.receipt };
  }

  /** A committed block's transactions in block order (their receipts' transactionIndex). */
  transactionsOf(blockNumber: bigint): StoredTransaction[] {
    const rows = this.#statement("SELECT hash, idx, receipt FROM transactions WHERE block_number = ? ORDER BY idx").all(blockNumber) as { hash: string; idx: number | bigint; receipt: string }[];
    return rows.map((r) => ({ hash: r.hash, index: Number(r.idx), receipt: r.receipt }));
  }

  /** How many transactions a committed block holds (0 for a height not committed). */
  transactionCountOf(blockNumber: bigint): number {
    const row = this.#statement("SELECT COUNT(*) AS n FROM transactions WHERE block_number = ?").get(blockNumber) as { n: number | bigint };
    return Number(row.n);
  }

  withdrawalsOf(blockNumber: bigint): string[] {
    return (this.#statement("SELECT data FROM withdrawals WHERE block_number = ? ORDER BY idx").all(blockNumber) as { data: string }[]).map((r) => r.data);
  }

  /** Every committed account, to rebuild the working state on start. */
  accounts(): StoredAccount[] {
    return (this.#statement("SELECT address, nonce, balance, code_hash FROM accounts").all() as { address: string; nonce: string; balance: string; code_hash: string | null }[]).map((r) => ({
      address: r.address,
      nonce: BigInt(r.nonce),
      balance: BigInt(r.balance),
      ...(r.code_hash === null ? {} : { codeHash: r.code_hash }),
    }));
  }

  /** Contract code by hash. */
  code(hash: string): Uint8Array | undefined {
    const row = this.#statement("SELECT code FROM code WHERE hash = ?").get(hash.toLowerCase()) as { code: Uint8Array } | undefined;
    return row === undefined ? undefined : new Uint8Array(row.code);
  }

  /** Every committed non-zero storage slot, to rebuild the working state on start. */
  storage(): StoredSlot[] {
    return (this.#statement("SELECT address, slot, value FROM storage").all() as { address: string; slot: string; value: string }[]).map((r) => ({
      address: r.address,
      slot: r.slot,
      value: BigInt(r.value),
    }));
  }

  // ---- commit proofs -------------------------------------------------------------------

  /** Keeps the commit proof of committed block `number`, whose QCs are signed in `epoch`. */
  putCommitProof(number: bigint, data: string, epoch: bigint): void {
    this.#statement("INSERT OR IGNORE INTO commit_proofs (number, epoch, data) VALUES (?, ?, ?)").run(number, epoch, data);
  }

  /** The commit proof of the highest committed block at or below `atMost` that has one. */
  latestCommitProof(atMost?: bigint): { number: bigint; epoch: bigint; data: string } | undefined {
    const row = (atMost === undefined
      ? this.#statement("SELECT number, epoch, data FROM commit_proofs ORDER BY number DESC LIMIT 1").get()
      : this.#statement("SELECT number, epoch, data FROM commit_proofs WHERE number <= ? ORDER BY number DESC LIMIT 1").get(atMost)) as
      | { number: number | bigint; epoch: number | bigint; data: string }
      | undefined;
    return row === undefined ? undefined : { number: BigInt(row.number), epoch: BigInt(row.epoch), data: row.data };
  }

  // ---- small facts (L1 finalized head, inbox cursor...) ------------------------------------

  setFact(key: string, value: string): void {
    this.#statement("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(`fact:${key}`, value);
  }

  getFact(key: string): string | undefined {
    return this.#db.meta(`fact:${key}`);
  }

  close(): void {
    this.#db.close();
  }
}
