/**
 * ERC-20 transfers through the EVM for bench:execution: the Token of test/fixtures/evm (an ERC-20
 * core: balances, transfer, Transfer event) deployed at genesis + 1, HOLDERS holders funded with
 * tokens (not timed), then ERC20_TXS signed `transfer` calls taken in (decode + recovery) and
 * executed in blocks with the three roots, as bench-execution.ts does for plain transfers.
 */
import { readFileSync } from "node:fs";
import { encodeDeployData, encodeFunctionData, getContractAddress, type Abi, type Address, type Hex } from "viem";
import { computeBaseFee } from "../../src/execution/baseFee.ts";
import type { ExecutionConfig } from "../../src/execution/config.ts";
import { createGenesis } from "../../src/execution/genesis.ts";
import { PendingBlock } from "../../src/execution/pendingBlock.ts";
import { decodeTransaction, type Transfer } from "../../src/execution/transaction.ts";
import { hashHeader, type Header } from "../../src/protocol/header.ts";

const HOLDERS = 200;
const PER_HOLDER = 10;
const BLOCK_SIZE = 500;

export interface Erc20Figures {
  readonly txs: number;
  readonly blocks: number;
  readonly txPerSec: number;
  readonly recoveryMs: number;
  readonly applyMs: number;
  readonly rootsMs: number;
  readonly gasPerTx: number;
}

type Signer = (privateKey: Hex, nonce: bigint, to: Address | null, data: Hex, gas: bigint) => Hex;

export function benchErc20(config: ExecutionConfig, rollup: Address, proposer: Address, senders: { privateKey: Hex; address: Address }[], sign: Signer): Erc20Figures {
  const token = JSON.parse(readFileSync(new URL("../../test/fixtures/evm/contracts.json", import.meta.url), "utf8")).Token as { abi: Abi; bytecode: Hex };
  const deployer = senders[0]!;
  const holders = senders.slice(1, 1 + HOLDERS);
  const address = getContractAddress({ from: deployer.address, nonce: 0n }).toLowerCase() as Address;
  const transferData = (to: Address, amount: bigint) => encodeFunctionData({ abi: token.abi, functionName: "transfer", args: [to, amount] });
  const setup: Hex[] = [sign(deployer.privateKey, 0n, null, encodeDeployData({ abi: token.abi, bytecode: token.bytecode, args: [10n ** 30n] }), 1_000_000n)];
  holders.forEach((h, i) => setup.push(sign(deployer.privateKey, BigInt(i + 1), address, transferData(h.address, 10n ** 24n), 100_000n)));
  const raws: Hex[] = [];
  for (let nonce = 0; nonce < PER_HOLDER; nonce++) {
    holders.forEach((h, i) => raws.push(sign(h.privateKey, BigInt(nonce), address, transferData(holders[(i * 7 + nonce + 1) % HOLDERS]!.address, BigInt(1 + i + nonce)), 100_000n)));
  }

  const chain = createGenesis({ config, timestamp: 0n, l1Origin: 0n, balances: senders.map((s) => [s.address, 1_000n * 10n ** 18n] as const) });
  let parent: Header = chain.header;
  const run = (txs: Transfer[]) => {
    const baseFee = computeBaseFee(parent.baseFee, parent.gasUsed, config.blockGasLimit);
    const block = new PendingBlock(chain.state, { number: parent.number + 1n, timestamp: parent.number + 1n, baseFee, proposer, gasLimit: config.blockGasLimit, blockHashes: () => undefined }, config);
    let t = performance.now();
    for (const tx of txs) block.applyTransaction(tx);
    const applyMs = performance.now() - t;
    t = performance.now();
    const result = block.seal({ view: parent.view + 1n, parentHash: hashHeader(config.chainId, rollup, parent), timestamp: parent.number + 1n, l1Origin: 0n, l1OriginHash: parent.l1OriginHash, inboxCursor: 0n, inboxHash: parent.inboxHash });
    const rootsMs = performance.now() - t;
    if (result.receipts.some((r) => r.status !== "success")) throw new Error("an ERC-20 transfer of the bench reverted");
    chain.state.commit(result.changes);
    parent = result.header;
    return { applyMs, rootsMs, gasUsed: result.header.gasUsed };
  };
  run(setup.map((raw) => decodeTransaction(raw, config)));

  let t = performance.now();
  const transfers = raws.map((raw) => decodeTransaction(raw, config));
  const recoveryMs = performance.now() - t;
  let applyMs = 0;
  let rootsMs = 0;
  let gas = 0n;
  for (let b = 0; b < transfers.length / BLOCK_SIZE; b++) {
    const figures = run(transfers.slice(b * BLOCK_SIZE, (b + 1) * BLOCK_SIZE));
    applyMs += figures.applyMs;
    rootsMs += figures.rootsMs;
    gas += figures.gasUsed;
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    txs: transfers.length,
    blocks: transfers.length / BLOCK_SIZE,
    txPerSec: Math.round((transfers.length / (recoveryMs + applyMs + rootsMs)) * 1000),
    recoveryMs: round(recoveryMs),
    applyMs: round(applyMs),
    rootsMs: round(rootsMs),
    gasPerTx: Number(gas / BigInt(transfers.length)),
  };
}
