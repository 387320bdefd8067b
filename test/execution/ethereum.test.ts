/**
 * Cross-checks against a real Ethereum execution client (Hardhat's EDR, in process): the same
 * signed transfers mined by it must give the block's transactionsRoot and receiptsRoot we compute,
 * its eth_getProof answers must verify with our proof checker against its state root, and its
 * base fee must follow our formula.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { network } from "hardhat";
import { numberToHex, type Address, type Hex } from "viem";
import { computeBaseFee } from "../../src/execution/baseFee.ts";
import { verifyAccountProof } from "../../src/execution/proof.ts";
import type { Receipt } from "../../src/execution/receipts.ts";
import { computeReceiptsRoot, computeTransactionsRoot } from "../../src/execution/roots.ts";
import { decodeTransaction } from "../../src/execution/transaction.ts";
import { CHAIN_ID, ETHER, key, signTransaction, testConfig } from "./fixtures.ts";

interface RpcBlock {
  number: Hex;
  stateRoot: Hex;
  transactionsRoot: Hex;
  receiptsRoot: Hex;
  baseFeePerGas: Hex;
  gasUsed: Hex;
  gasLimit: Hex;
  transactions: Hex[];
}

describe("against Hardhat's EDR (a real EVM)", () => {
  type Provider = Awaited<ReturnType<typeof network.connect>>["provider"];
  let provider: Provider;
  let close: () => Promise<void>;
  const rpc = <T>(method: string, params: unknown[] = []) => provider.request({ method, params }) as Promise<T>;
  const alice = key("alice");
  const bob = key("bob");
  const raws: Hex[] = [
    signTransaction(alice, { type: "legacy", nonce: 0n, to: bob.address, value: 1n }),
    signTransaction(alice, { type: "eip2930", nonce: 1n, to: bob.address, value: 2n }),
    signTransaction(alice, { type: "eip1559", nonce: 2n, to: bob.address, value: 3n }),
  ];
  let block: RpcBlock;
  let parent: RpcBlock;

  before(async () => {
    const connection = await network.create({ override: { chainId: Number(CHAIN_ID) } } as Parameters<typeof network.connect>[0]);
    provider = connection.provider;
    close = () => connection.close();
    await rpc("hardhat_setBalance", [alice.address, numberToHex(ETHER)]);
    await rpc("evm_setAutomine", [false]);
    for (const raw of raws) await rpc("eth_sendRawTransaction", [raw]);
    await rpc("evm_mine");
    block = await rpc<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
    parent = await rpc<RpcBlock>("eth_getBlockByNumber", [numberToHex(BigInt(block.number) - 1n), false]);
  });
  after(async () => close());

  test("the EVM mined all three, under the hashes we compute", () => {
    const ours = raws.map((raw) => decodeTransaction(raw, testConfig()).hash);
    assert.deepEqual([...block.transactions].sort(), [...ours].sort());
  });

  test("transactionsRoot and receiptsRoot equal ours for the same transactions in the same order", () => {
    const byHash = new Map(raws.map((raw) => [decodeTransaction(raw, testConfig()).hash, raw]));
    const ordered = block.transactions.map((hash) => byHash.get(hash)!);
    assert.equal(computeTransactionsRoot(ordered), block.transactionsRoot);
    const receipts: Receipt[] = ordered.map((raw, i) => {
      const tx = decodeTransaction(raw, testConfig());
      return {
        transactionHash: tx.hash, transactionIndex: i, blockNumber: BigInt(block.number), from: tx.from, to: tx.to, type: tx.type,
        status: "success", contractAddress: null, logs: [], gasUsed: 21_000n, cumulativeGasUsed: 21_000n * BigInt(i + 1), effectiveGasPrice: 0n, inboxIndex: undefined,
      };
    });
    assert.equal(computeReceiptsRoot(receipts), block.receiptsRoot);
  });

  test("its eth_getProof answers verify against its state root with our checker", async () => {
    for (const address of [alice.address, bob.address]) {
      const proof = await rpc<{ accountProof: Hex[]; nonce: Hex; balance: Hex }>("eth_getProof", [address, [], block.number]);
      const account = verifyAccountProof(block.stateRoot, address, proof.accountProof);
      assert.deepEqual(account, { nonce: BigInt(proof.nonce), balance: BigInt(proof.balance) });
    }
    const absent: Address = "0x000000000000000000000000000000000000dead";
    const proof = await rpc<{ accountProof: Hex[] }>("eth_getProof", [absent, [], block.number]);
    assert.deepEqual(verifyAccountProof(block.stateRoot, absent, proof.accountProof), { nonce: 0n, balance: 0n });
    assert.equal(verifyAccountProof(block.stateRoot, alice.address, (await rpc<{ accountProof: Hex[] }>("eth_getProof", [alice.address, [], block.number])).accountProof).nonce, 3n);
  });

  test("its base fee follows our EIP-1559 formula, after an empty parent and after one with transfers", async () => {
    assert.equal(BigInt(block.baseFeePerGas), computeBaseFee(BigInt(parent.baseFeePerGas), BigInt(parent.gasUsed), BigInt(parent.gasLimit)));
    await rpc("evm_mine");
    const child = await rpc<RpcBlock>("eth_getBlockByNumber", ["latest", false]);
    assert.equal(BigInt(block.gasUsed), 63_000n);
    assert.equal(BigInt(child.baseFeePerGas), computeBaseFee(BigInt(block.baseFeePerGas), BigInt(block.gasUsed), BigInt(block.gasLimit)));
  });
});
