/**
 * Wire format of consensus messages: UTF-8 JSON, with every uint256 as a 0x-hex quantity, hashes
 * and addresses as 0x-hex of their exact length, signatures as the scheme's hex encoding
 * (compressed 96-byte G2 for BLS) and member indices as JSON integers.
 *
 * Decoding is the boundary where bytes from a peer become protocol objects, so it is strict:
 * exact key sets, exact lengths, bounded sizes, and signatures parsed (on-curve, in-subgroup)
 * by the Signer. Anything else is a ConsensusError("MALFORMED_MESSAGE") naming the path of the
 * offending field and its value; the decoder never throws anything else.
 */
import { getAddress, type Address, type Hex } from "viem";
import type { Header } from "../protocol/header.ts";
import { ConsensusError } from "./errors.ts";
import { MAX_SYNC_PROPOSALS, type Message } from "./messages.ts";
import type { Signer } from "./signer.ts";
import type { Block, Evidence, Proposal, QC, TC, Timeout, Vote } from "./types.ts";

/** Largest message accepted (a sync answer of MAX_SYNC_PROPOSALS blocks must fit). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** Largest block payload accepted. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;

const HEADER_UINTS = ["number", "view", "timestamp", "l1Origin", "inboxCursor", "baseFee", "gasUsed"] as const;
const HEADER_HASHES = ["parentHash", "l1OriginHash", "inboxHash", "dataHash", "stateRoot", "transactionsRoot", "receiptsRoot", "withdrawalsRoot"] as const;

// ---- encoding ---------------------------------------------------------------------------------

const q = (v: bigint): Hex => `0x${v.toString(16)}`;

function encodeQc(qc: QC): unknown {
  return { view: q(qc.view), blockHash: qc.blockHash, signers: q(qc.signers), signature: qc.signature?.toHex() ?? null };
}

function encodeTc(tc: TC): unknown {
  return { view: q(tc.view), signers: q(tc.signers), highQcViews: tc.highQcViews.map(q), signature: tc.signature.toHex(), highQc: encodeQc(tc.highQc) };
}

function encodeBlock(block: Block): unknown {
  const header: Record<string, string> = { proposer: block.header.proposer };
  for (const k of HEADER_UINTS) header[k] = q(block.header[k]);
  for (const k of HEADER_HASHES) header[k] = block.header[k];
  return { header, justify: encodeQc(block.justify), payload: block.payload };
}

function encodeProposal(p: Proposal): unknown {
  const out: Record<string, unknown> = { block: encodeBlock(p.block), proposer: p.proposer, signature: p.signature.toHex() };
  if (p.tc !== undefined) out.tc = encodeTc(p.tc);
  return out;
}

function toJson(m: Message): unknown {
  switch (m.kind) {
    case "proposal":
      return { kind: m.kind, proposal: encodeProposal(m.proposal) };
    case "vote":
      return { kind: m.kind, vote: { view: q(m.vote.view), blockHash: m.vote.blockHash, signer: m.vote.signer, signature: m.vote.signature.toHex() } };
    case "timeout": {
      const t = m.timeout;
      const timeout = { view: q(t.view), highQc: encodeQc(t.highQc), signer: t.signer, signature: t.signature.toHex() };
      if (m.seen === undefined) return { kind: m.kind, timeout };
      return { kind: m.kind, timeout, seen: { blockHash: m.seen.blockHash, signature: m.seen.signature.toHex() } };
    }
    case "tc":
      return { kind: m.kind, tc: encodeTc(m.tc) };
    case "qc":
      return { kind: m.kind, qc: encodeQc(m.qc) };
    case "sync-request":
      return { kind: m.kind, blockHash: m.blockHash, limit: m.limit, above: q(m.above) };
    case "sync-response":
      return { kind: m.kind, proposals: m.proposals.map(encodeProposal) };
  }
}

export function encodeMessage(message: Message): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(toJson(message)));
}

// ---- decoding ---------------------------------------------------------------------------------

function fail(path: string, what: string, value?: unknown): never {
  const shown = value === undefined ? undefined : JSON.stringify(value)?.slice(0, 80);
  throw new ConsensusError("MALFORMED_MESSAGE", `${path}: ${what}`, shown === undefined ? undefined : `got ${shown}`);
}

type Obj = Record<string, unknown>;

function object(v: unknown, path: string, keys: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "expected an object", v);
  const o = v as Obj;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) fail(`${path}.${k}`, "unknown field");
  for (const k of keys) if (!(k in o)) fail(`${path}.${k}`, "missing field");
  return o;
}

function uint(v: unknown, path: string): bigint {
  if (typeof v !== "string" || !/^0x(0|[1-9a-f][0-9a-f]{0,63})$/.test(v)) fail(path, "expected a 0x-hex uint256 without leading zeros", v);
  return BigInt(v);
}

function hash(v: unknown, path: string): Hex {
  if (typeof v !== "string" || !/^0x[0-9a-f]{64}$/.test(v)) fail(path, "expected a 32-byte lowercase 0x-hex hash", v);
  return v as Hex;
}

function address(v: unknown, path: string): Address {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(v)) fail(path, "expected a 20-byte 0x-hex address", v);
  return getAddress(v);
}

function bytes(v: unknown, path: string, max: number): Hex {
  if (typeof v !== "string" || !/^0x([0-9a-f]{2})*$/.test(v)) fail(path, "expected lowercase 0x-hex bytes", v);
  if ((v.length - 2) / 2 > max) fail(path, `longer than ${max} bytes`);
  return v as Hex;
}

function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) fail(path, `expected an integer in [${min}, ${max}]`, v);
  return v;
}

function array(v: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(v)) fail(path, "expected an array", v);
  if (v.length > max) fail(path, `more than ${max} items`);
  return v;
}

class Decoder {
  readonly #signer: Signer;
  constructor(signer: Signer) {
    this.#signer = signer;
  }

  signature(v: unknown, path: string) {
    const hex = bytes(v, path, 1024);
    try {
      return this.#signer.decodeSignature(hex);
    } catch (e) {
      fail(path, `invalid signature (${e instanceof Error ? e.message : String(e)})`);
    }
  }

  member(v: unknown, path: string): number {
    return int(v, path, 0, this.#signer.committeeSize - 1);
  }

  qc(v: unknown, path: string): QC {
    const o = object(v, path, ["view", "blockHash", "signers", "signature"]);
    const signature = o.signature === null ? null : this.signature(o.signature, `${path}.signature`);
    return { view: uint(o.view, `${path}.view`), blockHash: hash(o.blockHash, `${path}.blockHash`), signers: uint(o.signers, `${path}.signers`), signature };
  }

  tc(v: unknown, path: string): TC {
    const o = object(v, path, ["view", "signers", "highQcViews", "signature", "highQc"]);
    const highQcViews = array(o.highQcViews, `${path}.highQcViews`, this.#signer.committeeSize).map((x, i) => uint(x, `${path}.highQcViews[${i}]`));
    return {
      view: uint(o.view, `${path}.view`),
      signers: uint(o.signers, `${path}.signers`),
      highQcViews,
      signature: this.signature(o.signature, `${path}.signature`),
      highQc: this.qc(o.highQc, `${path}.highQc`),
    };
  }

  header(v: unknown, path: string): Header {
    const o = object(v, path, ["proposer", ...HEADER_UINTS, ...HEADER_HASHES]);
    const h: Record<string, unknown> = { proposer: address(o.proposer, `${path}.proposer`) };
    for (const k of HEADER_UINTS) h[k] = uint(o[k], `${path}.${k}`);
    for (const k of HEADER_HASHES) h[k] = hash(o[k], `${path}.${k}`);
    return h as unknown as Header;
  }

  block(v: unknown, path: string): Block {
    const b = object(v, path, ["header", "justify", "payload"]);
    return {
      header: this.header(b.header, `${path}.header`),
      justify: this.qc(b.justify, `${path}.justify`),
      payload: bytes(b.payload, `${path}.payload`, MAX_PAYLOAD_BYTES),
    };
  }

  proposal(v: unknown, path: string): Proposal {
    const o = object(v, path, ["block", "proposer", "signature"], ["tc"]);
    const block = this.block(o.block, `${path}.block`);
    const proposer = this.member(o.proposer, `${path}.proposer`);
    const signature = this.signature(o.signature, `${path}.signature`);
    return o.tc === undefined ? { block, proposer, signature } : { block, proposer, signature, tc: this.tc(o.tc, `${path}.tc`) };
  }

  vote(v: unknown, path: string): Vote {
    const o = object(v, path, ["view", "blockHash", "signer", "signature"]);
    return {
      view: uint(o.view, `${path}.view`),
      blockHash: hash(o.blockHash, `${path}.blockHash`),
      signer: this.member(o.signer, `${path}.signer`),
      signature: this.signature(o.signature, `${path}.signature`),
    };
  }

  timeout(v: unknown, path: string): Timeout {
    const o = object(v, path, ["view", "highQc", "signer", "signature"]);
    return {
      view: uint(o.view, `${path}.view`),
      highQc: this.qc(o.highQc, `${path}.highQc`),
      signer: this.member(o.signer, `${path}.signer`),
      signature: this.signature(o.signature, `${path}.signature`),
    };
  }

  evidence(v: unknown): Evidence {
    const o = object(v, "evidence", ["kind", "view", "signer", "blockHashA", "signatureA", "blockHashB", "signatureB"]);
    if (o.kind !== "vote" && o.kind !== "proposal") fail("evidence.kind", "expected \"vote\" or \"proposal\"", o.kind);
    const blockHashA = hash(o.blockHashA, "evidence.blockHashA");
    const blockHashB = hash(o.blockHashB, "evidence.blockHashB");
    if (BigInt(blockHashA) >= BigInt(blockHashB)) fail("evidence.blockHashB", "must be above blockHashA (canonical order, different blocks)");
    return {
      kind: o.kind,
      view: uint(o.view, "evidence.view"),
      signer: this.member(o.signer, "evidence.signer"),
      blockHashA,
      signatureA: this.signature(o.signatureA, "evidence.signatureA"),
      blockHashB,
      signatureB: this.signature(o.signatureB, "evidence.signatureB"),
    };
  }

  message(v: unknown): Message {
    const kind = (v as Obj | null)?.kind;
    switch (kind) {
      case "proposal":
        return { kind, proposal: this.proposal(object(v, "message", ["kind", "proposal"]).proposal, "proposal") };
      case "vote":
        return { kind, vote: this.vote(object(v, "message", ["kind", "vote"]).vote, "vote") };
      case "timeout": {
        const o = object(v, "message", ["kind", "timeout"], ["seen"]);
        const timeout = this.timeout(o.timeout, "timeout");
        if (o.seen === undefined) return { kind, timeout };
        const seen = object(o.seen, "seen", ["blockHash", "signature"]);
        return { kind, timeout, seen: { blockHash: hash(seen.blockHash, "seen.blockHash"), signature: this.signature(seen.signature, "seen.signature") } };
      }
      case "tc":
        return { kind, tc: this.tc(object(v, "message", ["kind", "tc"]).tc, "tc") };
      case "qc":
        return { kind, qc: this.qc(object(v, "message", ["kind", "qc"]).qc, "qc") };
      case "sync-request": {
        const o = object(v, "message", ["kind", "blockHash", "limit", "above"]);
        return { kind, blockHash: hash(o.blockHash, "blockHash"), limit: int(o.limit, "limit", 1, MAX_SYNC_PROPOSALS), above: uint(o.above, "above") };
      }
      case "sync-response": {
        const o = object(v, "message", ["kind", "proposals"]);
        const proposals = array(o.proposals, "proposals", MAX_SYNC_PROPOSALS).map((p, i) => this.proposal(p, `proposals[${i}]`));
        return { kind, proposals };
      }
      default:
        return fail("message.kind", "unknown message kind", kind);
    }
  }
}

/** Evidence as JSON bytes (for the settlement outbox); signatures in the wire (compressed) form. */
export function encodeEvidence(e: Evidence): Uint8Array {
  const json = {
    kind: e.kind,
    view: q(e.view),
    signer: e.signer,
    blockHashA: e.blockHashA,
    signatureA: e.signatureA.toHex(),
    blockHashB: e.blockHashB,
    signatureB: e.signatureB.toHex(),
  };
  return new TextEncoder().encode(JSON.stringify(json));
}

/** Decodes evidence, as strictly as a message (signatures are NOT verified here). */
export function decodeEvidence(input: Uint8Array, signer: Signer): Evidence {
  return decodeWith(input, signer, (d, json) => d.evidence(json));
}

/** A block as the store keeps it (`Store.putBlock`'s data): the wire form of the block alone. */
export function encodeBlockRecord(block: Block): string {
  return JSON.stringify(encodeBlock(block));
}

/** Decodes a stored block; also takes a stored proposal message (its block). */
export function decodeBlockRecord(data: string, signer: Signer): Block {
  return decodeWith(new TextEncoder().encode(data), signer, (d, json) =>
    (json as Obj | null)?.kind === "proposal" ? (d.message(json) as Extract<Message, { kind: "proposal" }>).proposal.block : d.block(json, "block"),
  );
}

/**
 * The two-chain that finalizes a commit's last block (the `proof` of a `commit` action), as the
 * store keeps it (`Store.putCommitProof`) for the settlement worker: the child block, whose
 * justify is the QC over the committed block, and the QC over the child.
 */
export function encodeCommitProof(proof: { readonly child: Block; readonly childQc: QC }): string {
  return JSON.stringify({ child: encodeBlock(proof.child), childQc: encodeQc(proof.childQc) });
}

/** Decodes a stored commit proof; the child may also be a proposal message and the QC a qc message. */
export function decodeCommitProof(data: string, signer: Signer): { child: Block; childQc: QC } {
  return decodeWith(new TextEncoder().encode(data), signer, (d, json) => {
    const o = object(json, "proof", ["child", "childQc"]);
    const kind = (v: unknown) => (v as Obj | null)?.kind;
    const child = kind(o.child) === "proposal" ? (d.message(o.child) as Extract<Message, { kind: "proposal" }>).proposal.block : d.block(o.child, "proof.child");
    const childQc = kind(o.childQc) === "qc" ? (d.message(o.childQc) as Extract<Message, { kind: "qc" }>).qc : d.qc(o.childQc, "proof.childQc");
    return { child, childQc };
  });
}

/**
 * Decodes one message from a peer. Throws ConsensusError("MALFORMED_MESSAGE") for anything that
 * is not a well-formed message; semantic checks (signatures valid, views sensible) are the core's.
 */
export function decodeMessage(input: Uint8Array, signer: Signer): Message {
  return decodeWith(input, signer, (d, json) => d.message(json));
}

function decodeWith<T>(input: Uint8Array, signer: Signer, read: (d: Decoder, json: unknown) => T): T {
  if (input.length > MAX_MESSAGE_BYTES) fail("message", `larger than ${MAX_MESSAGE_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(input));
  } catch (e) {
    fail("message", `not UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return read(new Decoder(signer), json);
  } catch (e) {
    if (e instanceof ConsensusError) throw e;
    // A defect in a check above must still not crash the caller: report it as malformed.
    return fail("message", `undecodable (${e instanceof Error ? e.message : String(e)})`);
  }
}
