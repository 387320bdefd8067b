/**
 * How the L1 contracts spell the protocol structs. `view` is a Solidity keyword, so the
 * contracts name the field `viewNumber`; the ABI encoding is positional, so hashes and digests
 * are the same bytes (contracts/protocol/Header.sol, contracts/protocol/CommitProof.sol).
 */
import type { Hex } from "viem";
import type { Header } from "./header.ts";

export type SolidityHeader = Omit<Header, "view"> & { readonly viewNumber: bigint };

/** A QC as `Rollup.settle` takes it: the certified block's view, the signer bitmap, the aggregate signature (EIP-2537 G2). */
export interface SolidityQuorumCertificate {
  readonly viewNumber: bigint;
  readonly signers: bigint;
  readonly signature: Hex;
}

/** The commit proof of a batch's last header B: B's child, the QC over B (the child's justify) and the QC over the child. */
export interface SolidityCommitProof {
  readonly epoch: bigint;
  readonly child: SolidityHeader;
  readonly justify: SolidityQuorumCertificate;
  readonly childQc: SolidityQuorumCertificate;
}

export function toSolidityHeader(header: Header): SolidityHeader {
  const { view, ...rest } = header;
  return { ...rest, viewNumber: view };
}

export function fromSolidityHeader(header: SolidityHeader): Header {
  const { viewNumber, ...rest } = header;
  return { ...rest, view: viewNumber };
}
