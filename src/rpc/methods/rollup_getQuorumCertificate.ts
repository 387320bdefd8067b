import { blockRefParam, expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { committedBlock } from "./block-ref.ts";

/**
 * The QC over a committed block (by number, tag or hash): view, block hash, the signers as the
 * committee bitmap (bit i = member i) and as indices, and the aggregate BLS signature. null for
 * an unknown block, one above the head, or the genesis (trusted by construction, never signed).
 */
export const rollup_getQuorumCertificate: RpcMethod = (params, ctx) => {
  expectParams(params, 1, 1, "[blockNumberOrHash]");
  const block = committedBlock(blockRefParam(params[0], "blockNumberOrHash"), ctx);
  if (block === undefined) return null;
  const qc = ctx.quorumCertificate(block.block.header.number);
  if (qc === undefined || qc.signature === null) return null;
  const signers: number[] = [];
  for (let i = 0; qc.signers >> BigInt(i) > 0n; i++) if ((qc.signers >> BigInt(i)) & 1n) signers.push(i);
  return { view: quantity(qc.view), blockHash: qc.blockHash, signersBitmap: quantity(qc.signers), signers, signature: qc.signature.toHex() };
};
