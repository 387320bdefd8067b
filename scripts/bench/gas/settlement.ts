/**
 * Gas section "settlement" of `npm run bench:gas` (scripts/bench-gas.ts merges its keys; standalone:
 * `node --experimental-strip-types scripts/bench/gas/run-settlement.ts`). Fixed workload:
 *
 *  - commitProofGas[n]: verifying a commit proof's two QCs (hash-to-G2 twice, the epoch's aggregate
 *    key minus each QC's non-signers, one 3-pair pairing), measured with gasleft() around the
 *    Rollup's external call to Committee.verifyQuorumPair (contracts/test/GasProbe.sol), for
 *    n = 4, 16, 64, 128, everyone signing and f = floor((n-1)/3) members not signing.
 *    perNonSigner = (withF - all) / (2f): each of the two QCs subtracts f keys.
 *  - settleOneBlockGas[n]: the whole `settle` transaction finalizing one block (everyone
 *    signing): 21,000 base, calldata, header and Inbox checks, the proof, the block's storage.
 *  - settleGasPerBlock[k]: settle transaction gas / k for batches of k = 1, 8, 32 blocks
 *    (n = 4, 128 bytes of block data each, no Inbox entries, no withdrawals).
 *  - doubleVoteEvidenceGas: a whole `reportDoubleVote` transaction, the reveal of a committed
 *    report (commitment check, two signature checks in one pairing, slashing, reporter payment);
 *    the commitment itself is `commitReportGas` in the membership section.
 *  - epochStartGas[n]: what a settlement pays on top when it starts an epoch of n members (an
 *    admitted applicant waiting): key pages written as contract code, aggregate key, member order.
 */
import { keccak256, toHex } from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { voteDigest } from "../../../src/protocol/digests.ts";
import { application, commitmentOf, commitProof, deploySystem, MINIMUM_BOND, signVote } from "../../../test/contracts/fixtures.ts";

const COMMITTEE_SIZES = [4, 16, 64, 128] as const;
const BATCH_SIZES = [1, 8, 32] as const;
const BLOCK_DATA_BYTES = 128;

export async function measure(viem: HardhatViemHelpers): Promise<Record<string, unknown>> {
  const publicClient = await viem.getPublicClient();
  const gasOf = async (hash: `0x${string}`) => (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;

  const probe = await viem.deployContract("GasProbe");
  const commitProofGas: Record<string, { allSigning: number; fNonSigners: number; f: number; perNonSigner: number }> = {};
  const settleOneBlockGas: Record<string, number> = {};
  for (const n of COMMITTEE_SIZES) {
    const { rollup, committee, chain, keys, domain } = await deploySystem(viem, { n, seed: `bench-${n}` });
    for (let i = 0; i < 4; i++) chain.extend();
    const f = Math.floor((n - 1) / 3);
    const proofGas = async (signers?: number[]) => {
      const { justify, childQc } = commitProof(keys, domain, chain.headers[3]!, chain.headers[4]!, signers);
      const digestA = voteDigest(domain, chain.headers[3]!.view, chain.hashes[3]!);
      const digestB = voteDigest(domain, chain.headers[4]!.view, chain.hashes[4]!);
      const [valid, gas] = await probe.read.quorumPairGas([
        committee.address, 1n, digestA, justify.signers, justify.signature, digestB, childQc.signers, childQc.signature,
      ]);
      if (!valid) throw new Error(`benchmark commit proof did not verify (n = ${n})`);
      return Number(gas);
    };
    const all = await proofGas();
    const withF = await proofGas(keys.map((_, i) => i).slice(0, n - f));
    commitProofGas[`n${n}`] = { allSigning: all, fNonSigners: withF, f, perNonSigner: f === 0 ? 0 : Math.round((withF - all) / (2 * f)) };
    // Block 1 first, so block 2's transaction pays steady-state storage prices (head slot warm-written before).
    await gasOf(await rollup.write.settle(chain.settleArgs(keys, 1, 1)));
    settleOneBlockGas[`n${n}`] = Number(await gasOf(await rollup.write.settle(chain.settleArgs(keys, 2, 2))));
  }

  const settleGasPerBlock: Record<string, number> = {};
  {
    const { rollup, chain, keys } = await deploySystem(viem, { n: 4, seed: "bench-batches" });
    const total = BATCH_SIZES.reduce((a, b) => a + b, 0);
    const blockData = (i: number) => `0x${keccak256(toHex(i)).slice(2).repeat(BLOCK_DATA_BYTES / 32)}` as const;
    for (let i = 0; i <= total + 1; i++) chain.extend({}, blockData(i));
    await gasOf(await rollup.write.settle(chain.settleArgs(keys, 1, 1))); // warm-up, as above
    let from = 2;
    for (const k of BATCH_SIZES) {
      const gas = await gasOf(await rollup.write.settle(chain.settleArgs(keys, from, from + k - 1)));
      settleGasPerBlock[`batch${k}`] = Math.round(Number(gas) / k);
      from += k;
    }
  }

  const { committee, keys, domain, wallets } = await deploySystem(viem, { n: 4, seed: "bench-evidence" });
  const [a, b] = [keccak256(toHex("a")), keccak256(toHex("b"))];
  const reporter = wallets[0]!.account.address;
  await committee.write.commitReport([commitmentOf("vote", 0n, 1n, 9n, a, b, reporter)]);
  const doubleVoteEvidenceGas = Number(
    await gasOf(await committee.write.reportDoubleVote([1n, 0n, 9n, a, signVote(keys[0]!, domain, 9n, a), b, signVote(keys[0]!, domain, 9n, b), reporter])),
  );

  const epochStartGas: Record<string, number> = {};
  for (const n of [4, 127]) {
    const { committee, rollup, chain, keys, wallets } = await deploySystem(viem, { n, seed: `bench-epoch-${n}` });
    for (let i = 0; i < 4; i++) chain.extend();
    const plain = await gasOf(await rollup.write.settle(chain.settleArgs(keys, 1, 1)));
    const operator = wallets[7]!;
    const { args } = application(committee.address, operator.account.address, `bench-newcomer-${n}`);
    await committee.write.applyForSeat(args, { value: MINIMUM_BOND, account: operator.account });
    await committee.write.admit([BigInt(n)]);
    const withEpoch = await gasOf(await rollup.write.settle(chain.settleArgs(keys, 2, 2)));
    epochStartGas[`n${n + 1}`] = Number(withEpoch - plain);
  }

  return { commitProofGas, settleOneBlockGas, settleGasPerBlock, doubleVoteEvidenceGas, epochStartGas, settleBlockDataBytes: BLOCK_DATA_BYTES };
}
