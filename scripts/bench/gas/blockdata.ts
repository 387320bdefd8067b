/**
 * Gas section "blockdata" of `npm run bench:gas`: what the L1 pays to settle one block as its
 * content grows, with block data made of real signed L2 transactions (the full signed
 * transactions that members post, encoded by encodeBlockData), n = 4, everyone signing:
 *
 *  - settleGasByBlockData[workload]: { transactions, bytes, gas, perTransaction } where gas is
 *    the whole `settle` of that one block and perTransaction = (gas - empty block's gas) / count.
 *    Workloads: an empty block; 100 plain transfers; 100 ERC-20 `transfer` calls; 10 deployments
 *    of the test ERC-20 (test/fixtures/evm, ~0.9 KB of init code each).
 *
 * Only the calldata and its hash vary: L1 never executes the transactions, it checks dataHash.
 */
import { readFileSync } from "node:fs";
import { encodeDeployData, encodeFunctionData, hexToBytes, parseAbi, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { encodeBlockData } from "../../../src/execution/blockData.ts";
import { DEVNET_CHAIN_ID } from "../../../src/node/devnet.ts";
import { deploySystem } from "../../../test/contracts/fixtures.ts";

const TOKEN = JSON.parse(readFileSync(new URL("../../../test/fixtures/evm/contracts.json", import.meta.url), "utf8")).Token as { bytecode: Hex };
const ERC20 = parseAbi(["constructor(uint256 supply)", "function transfer(address to, uint256 amount) returns (bool)"]);
const sender = privateKeyToAccount(`0x${"42".repeat(32)}`);
const recipient = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

/** One signed EIP-1559 transaction at `nonce`, as a wallet would send it to the devnet. */
async function signed(nonce: number, to: Hex | undefined, data: Hex, gas: bigint): Promise<Hex> {
  return await sender.signTransaction({ chainId: Number(DEVNET_CHAIN_ID), type: "eip1559", nonce, to, data, gas, value: to === undefined ? 0n : 1n, maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n });
}

async function workloads(): Promise<Record<string, Hex[]>> {
  const many = (count: number, make: (i: number) => Promise<Hex>) => Promise.all(Array.from({ length: count }, (_, i) => make(i)));
  const transfer = encodeFunctionData({ abi: ERC20, functionName: "transfer", args: [recipient, 1_000n] });
  const deploy = encodeDeployData({ abi: ERC20, bytecode: TOKEN.bytecode, args: [10n ** 24n] });
  return {
    empty: [],
    plainTransfers100: await many(100, (i) => signed(i, recipient, "0x", 21_000n)),
    erc20Transfers100: await many(100, (i) => signed(i, "0x5fbdb2315678afecb367f032d93f642f64180aa3", transfer, 60_000n)),
    erc20Deployments10: await many(10, (i) => signed(i, undefined, deploy, 700_000n)),
  };
}

export async function measure(viem: HardhatViemHelpers): Promise<Record<string, unknown>> {
  const publicClient = await viem.getPublicClient();
  const gasOf = async (hash: Hex) => Number((await publicClient.waitForTransactionReceipt({ hash })).gasUsed);
  const { rollup, chain, keys } = await deploySystem(viem, { n: 4, seed: "bench-blockdata" });
  const blocks = Object.entries(await workloads());
  chain.extend(); // block 1: the warm-up settle below, so each measured one pays steady-state storage prices
  for (const [, raws] of blocks) chain.extend({}, encodeBlockData(raws));
  chain.extend(); // the child whose QC finalizes the last measured block
  await gasOf(await rollup.write.settle(chain.settleArgs(keys, 1, 1)));

  const settleGasByBlockData: Record<string, { transactions: number; bytes: number; gas: number; perTransaction: number }> = {};
  let emptyGas = 0;
  for (const [i, [name, raws]] of blocks.entries()) {
    const number = i + 2;
    const gas = await gasOf(await rollup.write.settle(chain.settleArgs(keys, number, number)));
    if (name === "empty") emptyGas = gas;
    const bytes = hexToBytes(encodeBlockData(raws)).length;
    settleGasByBlockData[name] = { transactions: raws.length, bytes, gas, perTransaction: raws.length === 0 ? 0 : Math.round((gas - emptyGas) / raws.length) };
  }
  return { settleGasByBlockData };
}
