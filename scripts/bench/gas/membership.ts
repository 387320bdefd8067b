/**
 * Gas section "membership" of `npm run bench:gas`: every governed-membership operation of the
 * Committee as a whole transaction (21,000 base included), on a 4-member deployment, fixed seeds:
 *
 *  - applyGas: `applyForSeat` (proof of possession, whose pairing also checks the key's subgroup;
 *    key, endpoint and record storage) with a 26-byte endpoint.
 *  - admitGas, removeGas, announceExitGas: governance's admission and removal, an operator's exit.
 *  - withdrawBondGas (after the unbonding delay), withdrawApplicationGas: bond payments.
 *  - updateEndpointGas: an operator replacing its 26-byte endpoint with another.
 *  - proposeGovernanceGas, acceptGovernanceGas: the two steps of a governance transfer.
 *  - commitReportGas: the commitment before a slashing report (the reveal is doubleVoteEvidenceGas).
 *  - epochRecordsGas[n]: `epochRecords` for an epoch of n members, as eth_estimateGas of the view
 *    (what an eth_call costs the L1 node; nodes read it once per epoch, off-chain).
 */
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { encodeFunctionData, keccak256, toHex } from "viem";
import { application, commitmentOf, deploySystem, MINIMUM_BOND, UNBONDING_DELAY } from "../../../test/contracts/fixtures.ts";

export async function measure(viem: HardhatViemHelpers): Promise<Record<string, unknown>> {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const gasOf = async (hash: `0x${string}`) => Number((await publicClient.waitForTransactionReceipt({ hash })).gasUsed);
  const { committee, rollup, keys, chain, wallets } = await deploySystem(viem, { n: 4, seed: "bench-membership" });
  const [operator, quitter, successor] = [wallets[7]!, wallets[8]!, wallets[9]!];

  const first = application(committee.address, operator.account.address, "bench-apply-1", "ws://bench-member.example:1");
  const applyGas = await gasOf(await committee.write.applyForSeat(first.args, { value: MINIMUM_BOND, account: operator.account }));
  const admitGas = await gasOf(await committee.write.admit([4n]));
  const updateEndpointGas = await gasOf(await committee.write.updateEndpoint([4n, "ws://bench-member.example:2"], { account: operator.account }));
  const second = application(committee.address, quitter.account.address, "bench-apply-2");
  await committee.write.applyForSeat(second.args, { value: MINIMUM_BOND, account: quitter.account });
  const withdrawApplicationGas = await gasOf(await committee.write.withdrawApplication([5n], { account: quitter.account }));

  const announceExitGas = await gasOf(await committee.write.announceExit([3n], { account: wallets[4]!.account }));
  const removeGas = await gasOf(await committee.write.remove([2n]));
  for (let i = 0; i < 3; i++) chain.extend();
  await rollup.write.settle(chain.settleArgs(keys, 1, 1)); // the boundary: members 2 and 3 leave
  await testClient.increaseTime({ seconds: Number(UNBONDING_DELAY) });
  const withdrawBondGas = await gasOf(await committee.write.withdrawBond([3n], { account: wallets[4]!.account }));

  const proposeGovernanceGas = await gasOf(await committee.write.proposeGovernance([successor.account.address]));
  const acceptGovernanceGas = await gasOf(await committee.write.acceptGovernance({ account: successor.account }));
  const [a, b] = [keccak256(toHex("a")), keccak256(toHex("b"))];
  const commitReportGas = await gasOf(await committee.write.commitReport([commitmentOf("vote", 0n, 1n, 9n, a, b, operator.account.address)]));

  const epochRecordsGas: Record<string, number> = {};
  for (const n of [4, 128]) {
    const system = n === 4 ? { committee } : await deploySystem(viem, { n, seed: `bench-records-${n}` });
    const epoch = await system.committee.read.currentEpoch();
    const data = encodeFunctionData({ abi: system.committee.abi, functionName: "epochRecords", args: [epoch] });
    epochRecordsGas[`n${n}`] = Number(await publicClient.estimateGas({ to: system.committee.address, data }));
  }
  return {
    applyGas,
    admitGas,
    updateEndpointGas,
    withdrawApplicationGas,
    announceExitGas,
    removeGas,
    withdrawBondGas,
    proposeGovernanceGas,
    acceptGovernanceGas,
    commitReportGas,
    epochRecordsGas,
  };
}
