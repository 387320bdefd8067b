/**
 * How the member writes consensus objects into its store, and reads them back on restart. Every
 * object goes through the consensus codec (the wire format), so what is on disk is parsed with the
 * same strict checks as what comes from a peer: a store edited by hand cannot smuggle in a
 * malformed QC.
 *
 *   safety row   {"lastVotedView": "12", "lastProposedView": "9", "lastTimeoutView": "11",
 *                 "lastTimeout": <codec timeout message> | null, "highQc": <codec qc message>}
 *   block row    <codec proposal message>
 */
import { decodeMessage, encodeMessage, type Proposal, type SafetyState, type Signer } from "../consensus/index.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toJson(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes)) as unknown;
}

export function encodeSafety(s: SafetyState): string {
  return JSON.stringify({
    lastVotedView: s.lastVotedView.toString(),
    lastProposedView: s.lastProposedView.toString(),
    lastTimeoutView: s.lastTimeoutView.toString(),
    lastTimeout: s.lastTimeout === null ? null : toJson(encodeMessage({ kind: "timeout", timeout: s.lastTimeout })),
    highQc: toJson(encodeMessage({ kind: "qc", qc: s.highQc })),
  });
}

export function decodeSafety(text: string, signer: Signer): SafetyState {
  const o = JSON.parse(text) as Record<string, unknown>;
  const view = (k: string) => {
    const v = o[k];
    if (typeof v !== "string" || !/^\d+$/.test(v)) throw new Error(`safety state: ${k} is not a decimal view`);
    return BigInt(v);
  };
  const highQc = decodeMessage(encoder.encode(JSON.stringify(o.highQc)), signer);
  if (highQc.kind !== "qc") throw new Error("safety state: highQc is not a QC");
  let lastTimeout = null;
  if (o.lastTimeout !== null) {
    const m = decodeMessage(encoder.encode(JSON.stringify(o.lastTimeout)), signer);
    if (m.kind !== "timeout") throw new Error("safety state: lastTimeout is not a timeout");
    lastTimeout = m.timeout;
  }
  return { lastVotedView: view("lastVotedView"), lastProposedView: view("lastProposedView"), lastTimeoutView: view("lastTimeoutView"), lastTimeout, highQc: highQc.qc };
}

export function encodeProposal(proposal: Proposal): string {
  return decoder.decode(encodeMessage({ kind: "proposal", proposal }));
}

export function decodeProposal(text: string, signer: Signer): Proposal {
  const m = decodeMessage(encoder.encode(text), signer);
  if (m.kind !== "proposal") throw new Error("stored block is not a proposal");
  return m.proposal;
}
