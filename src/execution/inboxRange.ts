/**
 * Which Inbox entries a block consumes. A block takes entries strictly in Inbox order, starting at
 * its parent's cursor, only entries L1 had included by the block's l1Origin (so every member sees
 * the same entries whatever its own L1 view). It must take every entry that is due at its l1Origin
 * (l1Block + inclusionDeadline <= l1Origin): the Rollup contract refuses to settle a header that
 * leaves one behind (DueInboxEntrySkipped), so a block skipping one would make the chain
 * unsettleable. Beyond the due ones it takes at most `maxInboxEntriesPerBlock`. Entries are in L1
 * order, so the due ones are a prefix of the unconsumed ones. The header's inboxHash is the
 * Inbox's accumulated hash after the last one consumed, which L1 compares with its own.
 */
import type { Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import { accumulateInboxHash, type InboxEntry } from "../protocol/inbox.ts";
import { ExecutionError } from "./errors.ts";

export interface InboxRange {
  readonly entries: readonly InboxEntry[];
  readonly cursor: bigint;
  readonly hash: Hex;
}

export interface InboxRules {
  readonly maxInboxEntriesPerBlock: number;
  readonly inboxInclusionDeadline: bigint;
}

export function isDue(entry: InboxEntry, l1Origin: bigint, deadline: bigint): boolean {
  return entry.l1Block + deadline <= l1Origin;
}

/** What a builder consumes: every due entry, then entries included by `l1Origin` up to the limit. */
export function selectInboxEntries(parent: Header, available: readonly InboxEntry[], l1Origin: bigint, rules: InboxRules): InboxRange {
  const byIndex = indexEntries(available);
  const entries: InboxEntry[] = [];
  for (let index = parent.inboxCursor; ; index++) {
    const entry = byIndex.get(index);
    if (entry === undefined || entry.l1Block > l1Origin) break;
    if (entries.length >= rules.maxInboxEntriesPerBlock && !isDue(entry, l1Origin, rules.inboxInclusionDeadline)) break;
    entries.push(entry);
  }
  return accumulate(parent, entries);
}

/** What a proposal claims to consume, checked against the entries this member knows from L1. */
export function claimedInboxEntries(parent: Header, header: Header, available: readonly InboxEntry[], rules: InboxRules): InboxRange {
  if (header.inboxCursor < parent.inboxCursor) {
    throw new ExecutionError("INBOX_ENTRIES_MISSING", "inbox cursor moves backwards", `parent ${parent.inboxCursor}, block ${header.inboxCursor}`);
  }
  const byIndex = indexEntries(available);
  const entries: InboxEntry[] = [];
  for (let index = parent.inboxCursor; index < header.inboxCursor; index++) {
    const entry = byIndex.get(index);
    if (entry === undefined) {
      throw new ExecutionError("INBOX_ENTRIES_MISSING", "inbox entry not known", `entry ${index} (block consumes up to ${header.inboxCursor - 1n})`);
    }
    if (entry.l1Block > header.l1Origin) {
      throw new ExecutionError("INBOX_ENTRY_TOO_NEW", "inbox entry is newer than the block's l1Origin", `entry ${index} in L1 block ${entry.l1Block}, l1Origin ${header.l1Origin}`);
    }
    entries.push(entry);
  }
  // Past the limit only due entries are allowed; due entries are a prefix, so the last one decides.
  const last = entries[entries.length - 1];
  if (entries.length > rules.maxInboxEntriesPerBlock && last !== undefined && !isDue(last, header.l1Origin, rules.inboxInclusionDeadline)) {
    throw new ExecutionError("INBOX_LIMIT_EXCEEDED", "too many inbox entries in block", `${entries.length}, at most ${rules.maxInboxEntriesPerBlock} beyond the due ones`);
  }
  // The first entry left unconsumed must not be due yet, or L1 will refuse to settle this header.
  // (A member that does not know it yet cannot tell; its L1 view must reach l1Origin before it votes.)
  const next = byIndex.get(header.inboxCursor);
  if (next !== undefined && isDue(next, header.l1Origin, rules.inboxInclusionDeadline)) {
    throw new ExecutionError("INBOX_DUE_ENTRY_SKIPPED", "block leaves a due inbox entry unconsumed", `entry ${next.index} from L1 block ${next.l1Block} is due at ${next.l1Block + rules.inboxInclusionDeadline}, l1Origin ${header.l1Origin}`);
  }
  const range = accumulate(parent, entries);
  if (range.hash !== header.inboxHash.toLowerCase()) {
    throw new ExecutionError("INBOX_HASH_MISMATCH", "inbox hash mismatch", `expected ${range.hash}, header has ${header.inboxHash}`);
  }
  return range;
}

function accumulate(parent: Header, entries: readonly InboxEntry[]): InboxRange {
  let hash = parent.inboxHash;
  for (const entry of entries) hash = accumulateInboxHash(hash, entry);
  return { entries, cursor: parent.inboxCursor + BigInt(entries.length), hash: hash.toLowerCase() as Hex };
}

function indexEntries(entries: readonly InboxEntry[]): Map<bigint, InboxEntry> {
  return new Map(entries.map((entry) => [entry.index, entry]));
}
