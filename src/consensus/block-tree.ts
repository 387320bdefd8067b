/**
 * The block tree: every block this member accepted, keyed by hash, each with the proposal that
 * carried it (so it can be served to a member that syncs, leader signature included: that is how
 * an equivocating leader's second proposal reaches members that saw its first).
 *
 * Invariant: every block in the tree except the root has its parent in the tree; the root is the
 * committed head. Committing prunes everything that does not descend from the new head; the
 * committed blocks themselves move to a bounded archive that still answers sync requests.
 */
import type { Hex } from "viem";
import type { Block, Proposal } from "./types.ts";

export interface TreeEntry {
  readonly hash: Hex;
  readonly block: Block;
  /** The proposal that carried the block; null only for genesis. */
  readonly proposal: Proposal | null;
}

export class BlockTree {
  readonly #entries = new Map<Hex, TreeEntry>();
  readonly #archive = new Map<Hex, TreeEntry>();
  readonly #archiveLimit: number;
  #root: TreeEntry;

  constructor(root: TreeEntry, archiveLimit: number) {
    this.#root = root;
    this.#archiveLimit = archiveLimit;
    this.#entries.set(root.hash, root);
  }

  get root(): TreeEntry {
    return this.#root;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(hash: Hex): TreeEntry | undefined {
    return this.#entries.get(hash);
  }

  has(hash: Hex): boolean {
    return this.#entries.has(hash);
  }

  /**
   * The block committed at exactly `view`: the root or one of its archived ancestors (undefined
   * when no committed block has that view, when it is above the root, or no longer kept).
   */
  committedAt(view: bigint): TreeEntry | undefined {
    let entry: TreeEntry | undefined = this.#root;
    while (entry !== undefined && entry.block.header.view > view) entry = this.parentOf(entry);
    return entry !== undefined && entry.block.header.view === view ? entry : undefined;
  }

  /** The parent of a kept block, if kept (never for the root block the tree started from). */
  parentOf(entry: TreeEntry): TreeEntry | undefined {
    if (entry.proposal === null) return undefined;
    const parent = entry.block.header.parentHash;
    return this.#entries.get(parent) ?? this.#archive.get(parent);
  }

  /** Adds a block whose parent is in the tree (the caller checked it). */
  insert(entry: TreeEntry): void {
    this.#entries.set(entry.hash, entry);
  }

  /** Whether `hash` is the root or descends from it. */
  extendsRoot(hash: Hex): boolean {
    let entry = this.#entries.get(hash);
    while (entry !== undefined && entry.block.header.number > this.#root.block.header.number) {
      entry = this.#entries.get(entry.block.header.parentHash);
    }
    return entry !== undefined && entry.hash === this.#root.hash;
  }

  /**
   * The blocks from the child of the root up to `hash`, oldest first; empty when `hash` does not
   * descend from the root (it was pruned, or it is on a fork below the committed head).
   */
  pathFromRoot(hash: Hex): TreeEntry[] {
    const path: TreeEntry[] = [];
    let entry = this.#entries.get(hash);
    while (entry !== undefined && entry.block.header.number > this.#root.block.header.number) {
      path.push(entry);
      entry = this.#entries.get(entry.block.header.parentHash);
    }
    if (entry === undefined || entry.hash !== this.#root.hash) return [];
    return path.reverse();
  }

  /** Makes `hash` (a descendant of the root) the new root and drops every block not below it. */
  commit(hash: Hex): void {
    const head = this.#entries.get(hash);
    if (head === undefined) return;
    for (const entry of this.pathFromRoot(hash)) this.#archiveEntry(entry);
    const keep = new Map<Hex, TreeEntry>([[head.hash, head]]);
    const byNumber = [...this.#entries.values()]
      .filter((e) => e.block.header.number > head.block.header.number)
      .sort((a, b) => (a.block.header.number < b.block.header.number ? -1 : 1));
    for (const e of byNumber) if (keep.has(e.block.header.parentHash)) keep.set(e.hash, e);
    this.#entries.clear();
    for (const [k, e] of keep) this.#entries.set(k, e);
    this.#root = head;
  }

  /**
   * Replaces the root with a restored committed chain (oldest first, each the parent of the
   * next): its last block becomes the root, the others go to the archive. Only for a tree that
   * holds nothing but its first root, at a restart.
   */
  reroot(committed: readonly TreeEntry[]): void {
    const head = committed[committed.length - 1];
    if (head === undefined) return;
    for (const entry of committed.slice(0, -1)) this.#archiveEntry(entry);
    this.#entries.clear();
    this.#entries.set(head.hash, head);
    this.#root = head;
  }

  #archiveEntry(entry: TreeEntry): void {
    this.#archive.set(entry.hash, entry);
    if (this.#archive.size > this.#archiveLimit) this.#archive.delete(this.#archive.keys().next().value as Hex);
  }

  /**
   * Proposals for `hash` and its ancestors, newest first, for a member that syncs: at most
   * `limit` of them, none at or below height `above`, and payloads of at most `payloadBudget`
   * bytes in total (so the answer fits the codec's message bound; the first one always goes).
   */
  proposalsFrom(hash: Hex, limit: number, above: bigint, payloadBudget: number): Proposal[] {
    const out: Proposal[] = [];
    let budget = payloadBudget;
    let entry = this.#entries.get(hash) ?? this.#archive.get(hash);
    while (entry !== undefined && entry.proposal !== null && out.length < limit && entry.block.header.number > above) {
      budget -= (entry.block.payload.length - 2) / 2;
      if (budget < 0 && out.length > 0) break;
      out.push(entry.proposal);
      const parent: Hex = entry.block.header.parentHash;
      entry = this.#entries.get(parent) ?? this.#archive.get(parent);
    }
    return out;
  }
}
