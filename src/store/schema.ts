/**
 * The on-disk schema of a member's store (SQLite through node:sqlite). Bump SCHEMA_VERSION with
 * any change; a store of another version is refused rather than misread, unless MIGRATIONS says
 * how to bring it to this version.
 */
// 4: headers carry l1OriginHash (stored blocks and proofs of version 3 no longer decode).
// 5: accounts carry a code hash; contract code and storage slots (EVM execution, issue 12).
// 6: receipts carry firstLogIndex, their first log's index in the block.
export const SCHEMA_VERSION = "6";

/**
 * In-place upgrades by the version they start from, each to the next version. SCHEMA has already
 * run (CREATE TABLE IF NOT EXISTS), so new tables exist; a migration changes existing ones.
 * 4 -> 5: a version-4 chain had no contracts, so every account is code-less and no slot is set.
 * 5 -> 6: each receipt's firstLogIndex is the count of logs in the receipts before it in its block.
 */
export const MIGRATIONS: Readonly<Record<string, { readonly to: string; readonly sql: string }>> = {
  "4": { to: "5", sql: "ALTER TABLE accounts ADD COLUMN code_hash TEXT" },
  "5": {
    to: "6",
    sql: `UPDATE transactions SET receipt = json_set(receipt, '$.firstLogIndex', (
      SELECT COALESCE(SUM(json_array_length(earlier.receipt, '$.logs')), 0) FROM transactions AS earlier
      WHERE earlier.block_hash = transactions.block_hash AND earlier.idx < transactions.idx))`,
  },
};

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
-- The consensus safety state: one row, with a checksum so a torn or edited row is detected.
CREATE TABLE IF NOT EXISTS safety (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  data TEXT NOT NULL,
  checksum TEXT NOT NULL
) STRICT;
-- Every block this member has accepted (committed or not), encoded by the consensus codec, with
-- the committee epoch whose keys signed it and its proposer's signer index in that epoch (-1
-- when not known: the leader rule reads the proposers of recent blocks, and a restart must give
-- them back without re-verifying every signature).
CREATE TABLE IF NOT EXISTS blocks (
  hash TEXT PRIMARY KEY,
  number INTEGER NOT NULL,
  view INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  proposer INTEGER NOT NULL,
  data TEXT NOT NULL,
  checksum TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS blocks_by_epoch_number ON blocks (epoch, number);
-- QCs by the block they certify.
CREATE TABLE IF NOT EXISTS qcs (
  block_hash TEXT PRIMARY KEY,
  view INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
-- The committed chain: height -> block hash.
CREATE TABLE IF NOT EXISTS canonical (
  number INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE TABLE IF NOT EXISTS transactions (
  hash TEXT PRIMARY KEY,
  block_number INTEGER NOT NULL,
  block_hash TEXT NOT NULL,
  idx INTEGER NOT NULL,
  receipt TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS transactions_by_block ON transactions (block_number, idx);
-- Committed account state (the state trie is rebuilt from it on start). code_hash: NULL without code.
CREATE TABLE IF NOT EXISTS accounts (
  address TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  balance TEXT NOT NULL,
  code_hash TEXT
) STRICT;
-- Contract code by its keccak256 (contracts deployed from the same init code share a row).
CREATE TABLE IF NOT EXISTS code (
  hash TEXT PRIMARY KEY,
  code BLOB NOT NULL
) STRICT;
-- Committed contract storage: non-zero slots only (a slot set to 0 is deleted, as in the trie).
CREATE TABLE IF NOT EXISTS storage (
  address TEXT NOT NULL,
  slot TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (address, slot)
) STRICT;
CREATE TABLE IF NOT EXISTS withdrawals (
  block_number INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (block_number, idx)
) STRICT;
-- Commit proofs (consensus codec JSON: the child block and the QC over it) by the height of
-- the block they finalize: what the settlement worker posts to L1 with the headers.
-- epoch: the committee epoch the proof's QCs are signed in (L1 checks them against it).
CREATE TABLE IF NOT EXISTS commit_proofs (
  number INTEGER PRIMARY KEY,
  epoch INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
-- Epoch-change proofs (src/node/epochs.ts): for each epoch that ended, the epoch-change block
-- and the old committee's blocks and QC that committed it, served to members still in it.
CREATE TABLE IF NOT EXISTS epoch_changes (
  epoch INTEGER PRIMARY KEY,
  boundary INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
-- Signed messages this member sent, by epoch, kind and view: the audit trail that shows it
-- never signed twice in a view, kept across restarts. A signature names its epoch (DESIGN §3),
-- so one in view v of epoch 2 does not conflict with one in view v of epoch 1.
CREATE TABLE IF NOT EXISTS signed (
  epoch INTEGER NOT NULL,
  kind TEXT NOT NULL,
  view INTEGER NOT NULL,
  payload TEXT NOT NULL,
  PRIMARY KEY (epoch, kind, view)
) STRICT;
`;
