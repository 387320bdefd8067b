/**
 * Gas section "escape" of `npm run bench:gas` (scripts/bench-gas.ts merges its keys). Fixed
 * workload (seeded accounts, balances from their index):
 *
 *  - enterExitModeGas: a whole `Rollup.enterExitMode` transaction once an Inbox entry is
 *    EXIT_WINDOW blocks past due (reads the Inbox checkpoint, writes the Rollup's head slot and
 *    the Bridge's exit state).
 *  - claimBalanceGas[accounts]: a whole `Bridge.claimBalance` transaction (calldata of the
 *    eth_getProof accountProof, the Merkle-Patricia walk, one payment) against an L2 state of
 *    that many accounts (made by src/execution's MemoryState), with proofNodes its proof length.
 *  - refundDepositGas: a whole `Bridge.refundDeposit` transaction (one Inbox entry checked
 *    against the hash chain, one payment).
 *  - depositGas: a whole `Bridge.deposit` transaction, which now reads the exit flag.
 */
import { parseEther, type Address } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { MemoryState } from "../../../src/execution/state.ts";
import { deploySystem } from "../../../test/contracts/fixtures.ts";

const STATE_SIZES = [16, 1_000, 20_000] as const;
const DEADLINE = 64n;
/** contracts/escape/ExitWindow.sol */
const EXIT_WINDOW = 7200n;

function stateOf(size: number): { state: MemoryState; first: Address } {
  const accounts = Array.from({ length: size }, (_, i) => [privateKeyToAddress(`0x${(i + 1).toString(16).padStart(64, "0")}`), { nonce: 1n, balance: BigInt(i + 1) * 10n ** 12n }] as const);
  return { state: MemoryState.fromAccounts(accounts), first: accounts[0]![0] };
}

export async function measure(viem: HardhatViemHelpers): Promise<Record<string, unknown>> {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const receiptOf = (hash: `0x${string}`) => publicClient.waitForTransactionReceipt({ hash });

  let enterExitModeGas = 0;
  let depositGas = 0;
  let refundDepositGas = 0;
  const claimBalanceGas: Record<string, { gas: number; proofNodes: number; proofBytes: number }> = {};
  for (const size of STATE_SIZES) {
    const { rollup, bridge, chain, keys, wallets } = await deploySystem(viem, { n: 4, inclusionDeadline: DEADLINE, seed: `escape-${size}` });
    const { state, first } = stateOf(size);
    // A warm-up deposit, then the measured one (the Inbox's slots already written once).
    await receiptOf(await bridge.write.deposit([wallets[6]!.account.address], { value: parseEther("1000") }));
    const deposit = await receiptOf(await bridge.write.deposit([wallets[6]!.account.address], { value: parseEther("1000") }));
    depositGas = Number(deposit.gasUsed);
    chain.extend({ stateRoot: state.stateRoot() });
    chain.extend();
    await rollup.write.settle(chain.settleArgs(keys, 1, 1));
    const firstEntryBlock = (await publicClient.getBlockNumber()) - 2n; // the warm-up deposit's block
    await testClient.mine({ blocks: Number(firstEntryBlock + DEADLINE + EXIT_WINDOW - (await publicClient.getBlockNumber())) });
    enterExitModeGas = Number((await receiptOf(await rollup.write.enterExitMode())).gasUsed);
    const proof = state.proveAccount(first).accountProof;
    const claim = await receiptOf(await bridge.write.claimBalance([first, 1n, proof], { account: wallets[7]!.account }));
    claimBalanceGas[`accounts${size}`] = { gas: Number(claim.gasUsed), proofNodes: proof.length, proofBytes: proof.reduce((n, node) => n + (node.length - 2) / 2, 0) };
    const [entry] = await publicClient.getContractEvents({ address: bridge.address, abi: bridge.abi, eventName: "InboxEntryAppended", fromBlock: 0n });
    const a = entry!.args as { sender: Address; recipient: Address; value: bigint; l1Block: bigint };
    refundDepositGas = Number((await receiptOf(await bridge.write.refundDeposit([0n, a.sender, a.recipient, a.value, a.l1Block]))).gasUsed);
  }
  return { enterExitModeGas, claimBalanceGas, refundDepositGas, depositGas };
}
