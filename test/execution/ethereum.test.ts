/**
 * Cross-checks against a real Ethereum execution client (Hardhat's EDR, in process): the same
 * signed transfers mined by it must give the block's transactionsRoot and receiptsRoot we compute,
 * its eth_getProof answers must verify with our proof checker against its state root, and its
 * base fee must follow our formula. The same contract transactions (creation with constructor
 * arguments, an ERC-20 transfer with its log, a revert) must give its receipts root, gas and
 * logs, and every account they touch the same nonce, balance, code hash and storage root (its
 * whole state root cannot match: EDR's genesis holds its own funded accounts and system contracts).
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
import { createGenesis } from "../../src/execution/genesis.ts";
import { PendingBlock } from "../../src/execution/pendingBlock.ts";
import { getContractAddress, zeroHash } from "viem";
import { callData, deployData } from "./contracts.ts";
import { CHAIN_ID, ETHER, GWEI, key, signTransaction, testConfig } from "./fixtures.ts";

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
        status: "success", contractAddress: null, logs: [], firstLogIndex: 0, gasUsed: 21_000n, cumulativeGasUsed: 21_000n * BigInt(i + 1), effectiveGasPrice: 0n, inboxIndex: undefined,
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

describe("contracts against Hardhat's EDR", () => {
  type Provider = Awaited<ReturnType<typeof network.connect>>["provider"];
  let provider: Provider;
  let close: () => Promise<void>;
  const rpc = <T>(method: string, params: unknown[] = []) => provider.request({ method, params }) as Promise<T>;
  const alice = key("evm-alice");
  const bob = key("evm-bob");
  const token = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
  const fee = { maxFeePerGas: 10n * GWEI, maxPriorityFeePerGas: GWEI };
  const raws: Hex[] = [
    signTransaction(alice, { nonce: 0n, to: "0x", value: 0n, gas: 600_000n, data: deployData("Token", [1000n]), ...fee }),
    signTransaction(alice, { nonce: 1n, to: token, value: 0n, gas: 100_000n, data: callData("Token", "transfer", [bob.address, 250n]), ...fee }),
    signTransaction(bob, { type: "eip2930", nonce: 0n, to: token, value: 0n, gas: 100_000n, data: callData("Token", "transfer", [alice.address, 251n]), accessList: [[token, []]], maxFeePerGas: (3n * GWEI) / 2n }),
    signTransaction(bob, { type: "legacy", nonce: 1n, to: token, value: 0n, gas: 100_000n, data: callData("Token", "transfer", [alice.address, 50n]), maxFeePerGas: (3n * GWEI) / 2n }),
  ];
  let block: RpcBlock & { miner: Address; timestamp: Hex };

  before(async () => {
    const connection = await network.create({ override: { chainId: Number(CHAIN_ID) } } as Parameters<typeof network.connect>[0]);
    provider = connection.provider;
    close = () => connection.close();
    await rpc("hardhat_setBalance", [alice.address, numberToHex(ETHER)]);
    await rpc("hardhat_setBalance", [bob.address, numberToHex(ETHER)]);
    await rpc("evm_setAutomine", [false]);
    for (const raw of raws) await rpc("eth_sendRawTransaction", [raw]);
    await rpc("evm_mine");
    block = await rpc("eth_getBlockByNumber", ["latest", false]);
  });
  after(async () => close());

  test("the same transactions in the same order give EDR's receipts root, gas used, and per-account state", async () => {
    assert.equal(block.transactions.length, 4);
    const byHash = new Map(raws.map((raw) => [decodeTransaction(raw, testConfig()).hash, raw]));
    const ordered = block.transactions.map((hash) => decodeTransaction(byHash.get(hash)!, testConfig()));
    const genesis = createGenesis({ config: testConfig(), timestamp: 0n, l1Origin: 0n, balances: [[alice.address, ETHER], [bob.address, ETHER]] });
    const pending = new PendingBlock(genesis.state, {
      number: BigInt(block.number), timestamp: BigInt(block.timestamp), baseFee: BigInt(block.baseFeePerGas), proposer: block.miner.toLowerCase() as Address, gasLimit: BigInt(block.gasLimit), blockHashes: () => undefined,
    }, testConfig({ blockGasLimit: BigInt(block.gasLimit) }));
    for (const tx of ordered) pending.applyTransaction(tx);
    const ours = pending.seal({ view: 1n, parentHash: zeroHash, timestamp: BigInt(block.timestamp), l1Origin: 0n, l1OriginHash: zeroHash, inboxCursor: 0n, inboxHash: zeroHash });
    assert.ok(ours.receipts.some((r) => r.status === "reverted") && ours.receipts.filter((r) => r.logs.length > 0).length >= 2, "a creation with its log, a transfer with its log, a revert");
    assert.equal(ours.header.gasUsed, BigInt(block.gasUsed));
    assert.equal(ours.header.receiptsRoot, block.receiptsRoot);
    assert.equal(ours.header.transactionsRoot, block.transactionsRoot);
    for (const [i, receipt] of ours.receipts.entries()) {
      const theirs = await rpc<{ status: Hex; gasUsed: Hex; contractAddress: Address | null; logs: { address: Address; topics: Hex[]; data: Hex }[] }>("eth_getTransactionReceipt", [block.transactions[i]]);
      assert.equal(receipt.status, theirs.status === "0x1" ? "success" : "reverted");
      assert.equal(receipt.gasUsed, BigInt(theirs.gasUsed));
      assert.equal(receipt.contractAddress, theirs.contractAddress?.toLowerCase() ?? null);
      assert.deepEqual(receipt.logs, theirs.logs.map((l) => ({ address: l.address.toLowerCase(), topics: l.topics, data: l.data })));
    }
    const after = genesis.state.extend(ours.changes);
    const slot = `0x${"00".repeat(31)}00` as Hex;
    for (const address of [alice.address, bob.address, token]) {
      const theirs = await rpc<{ nonce: Hex; balance: Hex; codeHash: Hex; storageHash: Hex; storageProof: { value: Hex }[] }>("eth_getProof", [address, [slot], block.number]);
      const mine = after.proveAccount(address, [slot]);
      assert.deepEqual(
        { nonce: mine.nonce, balance: mine.balance, codeHash: mine.codeHash, storageHash: mine.storageHash, slot0: mine.storageProof[0]!.value },
        { nonce: BigInt(theirs.nonce), balance: BigInt(theirs.balance), codeHash: theirs.codeHash, storageHash: theirs.storageHash, slot0: BigInt(theirs.storageProof[0]!.value) },
        address,
      );
    }
  });
});
