/**
 * Committee epochs as a member lives through them: reconfiguration as DiemBFT v4 / Aptos do it
 * (DESIGN §4, "Reconfiguration").
 *
 * L1 starts epoch e+1 in some L1 block X (Committee's `EpochStarted(e+1, memberIds)`). The
 * epoch-change block E is the first block of the chain whose `l1Origin` is at least X. l1Origin
 * is in the header, agreed by consensus and never decreasing along a chain, and a member
 * validates a block only once it has read L1 up to its origin (so it has seen the event): every
 * honest member that sees E knows it is E, whatever else it saw, and the committed chain fixes it.
 *
 * E's descendants in the old epoch (the "suffix", needed only to certify and commit E) carry no
 * transactions, consume no Inbox entries and keep E's l1Origin: `isEpochSuffix` says which blocks
 * those are (their parent's origin already reaches X), leaders build them empty and members refuse
 * anything else. When E commits, a member applies the committed blocks up to E and no further
 * (the suffix is dropped: nothing in it changed any state), keeps E with the blocks and QC that
 * committed it as the epoch-change proof, and starts the new epoch's core rooted at E (its genesis
 * QC is E at E's view, so views keep increasing along the chain).
 *
 * A member in an older epoch (restarted, partitioned, or it just missed the message that
 * committed E) catches up with the proof: it is made of the old epoch's own proposals and QC, so
 * the old core verifies it with the keys it knows, fetches E's ancestors by ordinary sync,
 * commits E, and switches in turn (replica.ts serves and requests proofs).
 *
 * Member ids are L1's: the deployment registers the genesis committee in config order, so id i
 * is `committee[i]` of the config; members admitted later are known from the records the
 * follower reads with each epoch (directory.ts). Only an epoch naming a member whose record was
 * refused cannot be joined (EPOCH_UNKNOWN_MEMBER).
 */
import type { Hex } from "viem";
import { decodeMessage, encodeMessage, type Block, type Proposal, type QC, type Signer } from "../consensus/index.ts";
import type { Header } from "../protocol/header.ts";
import type { EpochStart } from "../settlement/index.ts";

export const EPOCH_FACT = "consensus:epoch";

export interface EpochState {
  readonly epoch: bigint;
  /** Member ids in the epoch's order: signer index i of this epoch is member members[i]. */
  readonly members: readonly number[];
  /** The block the epoch's core starts from; absent for the deployment's genesis epoch. */
  readonly boundary?: { readonly number: bigint; readonly hash: Hex; readonly view: bigint };
}

/** Where the current epoch ends: L1 started `epoch` with `members` in L1 block `l1Block`. */
export interface EpochEnd {
  readonly epoch: bigint;
  readonly members: readonly number[];
  readonly l1Block: bigint;
}

/**
 * What a member in epoch `epoch` needs to leave it: the epoch-change block E and the old epoch's
 * blocks and QC that committed it. `proposals` are newest first (a sync answer's order): the last
 * is E, the first is certified by `qc`, and the first two have consecutive views (the two-chain).
 */
export interface EpochChangeProof {
  readonly epoch: bigint;
  readonly proposals: readonly Proposal[];
  readonly qc: QC;
}

export class EpochError extends Error {
  readonly code = "EPOCH_UNKNOWN_MEMBER";
}

/** The deployment's epoch: every configured member, from genesis. */
export function genesisEpoch(epoch: bigint, members: readonly number[]): EpochState {
  return { epoch, members: [...members] };
}

export function encodeEpoch(e: EpochState): string {
  const boundary = e.boundary === undefined ? undefined : { number: e.boundary.number.toString(), hash: e.boundary.hash, view: e.boundary.view.toString() };
  return JSON.stringify({ epoch: e.epoch.toString(), members: e.members, boundary });
}

/** Reads what encodeEpoch wrote; throws on anything else (the caller reports the store as damaged). */
export function decodeEpoch(text: string): EpochState {
  const o = JSON.parse(text) as { epoch?: unknown; members?: unknown; boundary?: { number?: unknown; hash?: unknown; view?: unknown } };
  const decimal = (x: unknown, what: string): bigint => {
    if (typeof x !== "string" || !/^\d+$/.test(x)) throw new Error(`${what} must be a decimal string`);
    return BigInt(x);
  };
  if (!Array.isArray(o.members) || o.members.length === 0 || !o.members.every((m) => Number.isInteger(m) && m >= 0)) throw new Error("members must be a non-empty list of member indexes");
  const epoch = decimal(o.epoch, "epoch");
  if (o.boundary === undefined) return { epoch, members: o.members as number[] };
  const b = o.boundary;
  if (typeof b.hash !== "string" || !/^0x[0-9a-f]{64}$/i.test(b.hash)) throw new Error("boundary.hash must be a 32-byte hex string");
  return { epoch, members: o.members as number[], boundary: { number: decimal(b.number, "boundary.number"), hash: b.hash as Hex, view: decimal(b.view, "boundary.view") } };
}

/**
 * The epoch L1 started after `current`, in member ids; undefined until L1 has started one.
 * `known` says which member ids this node has a key for (the directory: the config's genesis
 * committee and every record read from L1), or is a count (ids below it). Throws EpochError for
 * an epoch naming a member it has no key for (its record was refused, or L1 was read without records).
 */
export function nextEpochStart(current: EpochState, started: readonly EpochStart[], known: number | ((id: number) => boolean)): EpochEnd | undefined {
  const start = started.find((e) => e.epoch === current.epoch + 1n);
  if (start === undefined) return undefined;
  const isKnown = typeof known === "number" ? (id: number) => id < known : known;
  const unknown = start.members.filter((id) => !isKnown(id));
  if (unknown.length > 0) {
    throw new EpochError(`epoch ${start.epoch} (L1 block ${start.l1Block}) names member ids ${unknown.join(", ")}, for which this node has no valid key (neither its config nor a record read from L1: see committee.record_refused): this node cannot follow that committee`);
  }
  return { epoch: start.epoch, members: [...start.members], l1Block: start.l1Block };
}

/** The index in `blocks` (a committed run, oldest first) of the epoch-change block of `end`, or -1. */
export function boundaryIndex(blocks: readonly { readonly block: Block }[], end: EpochEnd): number {
  return blocks.findIndex((b) => b.block.header.l1Origin >= end.l1Block);
}

/** Whether a child of `parent` is in the old epoch's suffix (past the epoch-change block): it must then be empty. */
export function isEpochSuffix(parent: Header, end: EpochEnd | undefined): boolean {
  return end !== undefined && parent.l1Origin >= end.l1Block;
}

// ---- the proof on disk: JSON with the consensus codec's own encodings --------------------------

const text = new TextDecoder();
const bytes = new TextEncoder();

export function encodeEpochChangeProof(p: EpochChangeProof): string {
  const response = JSON.parse(text.decode(encodeMessage({ kind: "sync-response", proposals: p.proposals }))) as unknown;
  const qc = JSON.parse(text.decode(encodeMessage({ kind: "qc", qc: p.qc }))) as unknown;
  return JSON.stringify({ epoch: p.epoch.toString(), response, qc });
}

/** Reads a stored proof with the signer of its epoch (the codec checks sizes and signer indexes against it). */
export function decodeEpochChangeProof(data: string, signer: Signer): EpochChangeProof {
  const o = JSON.parse(data) as { epoch?: unknown; response?: unknown; qc?: unknown };
  if (typeof o.epoch !== "string" || !/^\d+$/.test(o.epoch)) throw new Error("epoch-change proof: epoch must be a decimal string");
  const response = decodeMessage(bytes.encode(JSON.stringify(o.response)), signer);
  const qc = decodeMessage(bytes.encode(JSON.stringify(o.qc)), signer);
  if (response.kind !== "sync-response" || qc.kind !== "qc") throw new Error("epoch-change proof: not a sync answer and a QC");
  return { epoch: BigInt(o.epoch), proposals: response.proposals, qc: qc.qc };
}
