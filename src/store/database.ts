/**
 * The SQLite connection under the Store (store.ts): opened with the durability settings (WAL
 * journal, `synchronous = FULL`: a commit is fsynced before the call returns, unless a
 * transaction asks for none, see `transaction`) and the schema;
 * checked on open for the schema version (older versions are migrated, schema.ts) and for the
 * chain identity it was made for; prepared statements cached by their SQL; and transactions that
 * nest as savepoints. What the tables mean is the Store's.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { damagedMessage, StoreError } from "./errors.ts";
import { MIGRATIONS, SCHEMA, SCHEMA_VERSION } from "./schema.ts";

/** Who this store belongs to; a store made for another chain or deployment is refused. */
export interface StoreIdentity {
  readonly chainId: string;
  readonly rollup: string;
  readonly genesisHash: string;
}

export class Database {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  private constructor(path: string, db: DatabaseSync) {
    this.path = path;
    this.#db = db;
  }

  /**
   * Opens (creating if needed) the database at `path` for `identity`, migrating an older schema.
   * Throws STORE_DAMAGED for a file SQLite cannot read, STORE_MISMATCH for another chain's store.
   */
  static open(path: string, identity: StoreIdentity): Database {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;");
      db.exec(SCHEMA);
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw new StoreError("STORE_DAMAGED", damagedMessage(path, (cause as Error).message), { cause });
    }
    const database = new Database(path, db);
    database.#checkIdentity(identity);
    return database;
  }

  /** A prepared statement, cached by its SQL. */
  statement(sql: string): StatementSync {
    let s = this.#statements.get(sql);
    if (s === undefined) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /** A row of the meta table (schema version, identity, facts). */
  meta(key: string): string | undefined {
    const row = this.statement("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value;
  }

  #checkIdentity(identity: StoreIdentity): void {
    const expected: Record<string, string> = { schema: SCHEMA_VERSION, ...identity };
    let existing = this.meta("schema");
    for (let step = existing === undefined ? undefined : MIGRATIONS[existing]; step !== undefined; step = MIGRATIONS[existing!]) {
      const migration = step;
      this.transaction(() => {
        this.#db.exec(migration.sql);
        this.statement("UPDATE meta SET value = ? WHERE key = 'schema'").run(migration.to);
      });
      existing = migration.to;
    }
    if (existing === undefined) {
      this.transaction(() => {
        for (const [k, v] of Object.entries(expected)) this.statement("INSERT INTO meta (key, value) VALUES (?, ?)").run(k, v);
      });
      return;
    }
    for (const [k, v] of Object.entries(expected)) {
      const found = this.meta(k);
      if (found !== v) {
        throw new StoreError("STORE_MISMATCH", `the store at ${this.path} belongs to another ${k}: it holds ${found ?? "nothing"}, this node runs ${v}`);
      }
    }
  }

  #depth = 0;

  /** Whether a transaction is open: what it wrote is not yet on disk. */
  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  /** Outermost transactions begun so far, and the last of them whose commit was fsynced (and so every one before it). */
  #seq = 0;
  #durableSeq = 0;

  /** The outermost transaction open now, or the last one (a number that grows by one per transaction). */
  get seq(): number {
    return this.#seq;
  }

  /** Every transaction up to this one is on disk (an fsynced commit covers all earlier ones). */
  get durableSeq(): number {
    return this.#durableSeq;
  }

  /**
   * One SQLite transaction; nested calls become savepoints inside the outer one. `durable: false`
   * commits the outermost one without fsync (synchronous = NORMAL for that commit): SQLite keeps
   * the order of commits, and the next fsynced commit makes everything before it durable too, so
   * a writer that fsyncs before anything depends on its writes (a signed message leaving) saves
   * the fsyncs of the steps in between.
   */
  transaction<T>(work: () => T, durable = true): T {
    const outer = this.#depth === 0;
    const savepoint = `s${this.#depth}`;
    if (outer && !durable) this.#db.exec("PRAGMA synchronous = NORMAL");
    try {
      this.#db.exec(outer ? "BEGIN IMMEDIATE" : `SAVEPOINT ${savepoint}`);
      if (outer) this.#seq++;
      this.#depth++;
      try {
        const result = work();
        this.#depth--;
        this.#db.exec(outer ? "COMMIT" : `RELEASE ${savepoint}`);
        if (outer && durable) this.#durableSeq = this.#seq;
        return result;
      } catch (error) {
        this.#depth--;
        this.#db.exec(outer ? "ROLLBACK" : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        throw error;
      }
    } finally {
      if (outer && !durable) this.#db.exec("PRAGMA synchronous = FULL");
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
