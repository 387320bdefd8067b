/**
 * Who signed what L1 settled: each `BatchSettled` transaction's commit proof, read back from its
 * calldata (Rollup.settle's `proof` argument), with its two QCs' signer bitmaps mapped to member
 * ids through the epoch's member list on L1 (bit i is `epochMembers(epoch)[i]`). This is L1's own
 * record of which members' signatures it verified.
 */
import { decodeFunctionData, type Address, type Hex, type PublicClient } from "viem";
import { COMMITTEE_ABI, ROLLUP_ABI } from "../../src/settlement/index.ts";

export interface SettledSigners {
  readonly l1TxHash: Hex;
  readonly epoch: bigint;
  /** Member ids whose signatures are in the justify QC or the child's QC. */
  readonly signers: readonly number[];
}

interface ProofArg {
  readonly epoch: bigint;
  readonly justify: { readonly signers: bigint };
  readonly childQc: { readonly signers: bigint };
}

const isProof = (x: unknown): x is ProofArg => typeof x === "object" && x !== null && "justify" in x && "childQc" in x && "epoch" in x;

export async function settledSigners(client: PublicClient, contracts: { rollup: Address; committee: Address }, fromBlock = 0n): Promise<SettledSigners[]> {
  const logs = await client.getContractEvents({ address: contracts.rollup, abi: ROLLUP_ABI, eventName: "BatchSettled", fromBlock, strict: true });
  const out: SettledSigners[] = [];
  const membersOf = new Map<bigint, readonly number[]>();
  for (const log of logs) {
    const tx = await client.getTransaction({ hash: log.transactionHash! });
    const { args } = decodeFunctionData({ abi: ROLLUP_ABI, data: tx.input });
    const proof = (args ?? []).find(isProof);
    if (proof === undefined) throw new Error(`settle ${log.transactionHash}: no commit proof among its arguments`);
    let members = membersOf.get(proof.epoch);
    if (members === undefined) {
      members = ((await client.readContract({ address: contracts.committee, abi: COMMITTEE_ABI, functionName: "epochMembers", args: [proof.epoch] })) as readonly number[]).map(Number);
      membersOf.set(proof.epoch, members);
    }
    const bits = proof.justify.signers | proof.childQc.signers;
    out.push({ l1TxHash: log.transactionHash!, epoch: proof.epoch, signers: members.filter((_, i) => ((bits >> BigInt(i)) & 1n) === 1n) });
  }
  return out;
}
