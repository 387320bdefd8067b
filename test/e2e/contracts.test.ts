/**
 * A dapp developer's flow against the devnet, as the README's "Deploy your contracts to the
 * rollup" walks it: the Hardhat project's `l2devnet` network (hardhat.config.ts) pointed at a
 * running devnet (DevnetRun with L1 settlement, as `npm start` runs it), Hardhat Ignition
 * deploying contracts with constructor arguments and events, calls and reads through the
 * toolbox's viem, an ERC-20 transfer found again by eth_getLogs, a revert reason as viem and
 * ethers report it, a storage proof checked against the block's state root, a viem webSocket
 * client on the same port, and the contract's block final on L1.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { Contract, JsonRpcProvider, Wallet } from "ethers";
import { network } from "hardhat";
import type { NetworkConnection } from "hardhat/types/network";
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  decodeFunctionResult,
  encodeFunctionData,
  encodeEventTopics,
  getAddress,
  pad,
  parseAbi,
  parseEventLogs,
  webSocket,
  type Abi,
  type Address,
  type Block,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { connect } from "../../src/client/endpoints.ts";
import { checkFinality } from "../../src/client/finality.ts";
import { l2DevAccounts } from "../../src/devnet/accounts.ts";
import { DEVNET_CHAIN_ID } from "../../src/node/devnet.ts";
import { verifyStorageProof } from "../../src/execution/proof.ts";
import { eventually } from "../fixtures/redis.ts";
import { TestDevnet } from "../support/devnet.ts";

const bytecode = JSON.parse(readFileSync(new URL("../fixtures/evm/contracts.json", import.meta.url), "utf8")) as Record<"Store" | "Token" | "Hashes", { bytecode: Hex }>;
const hashesBytecode = bytecode.Hashes.bytecode;
// The fixture contracts' interfaces (test/fixtures/evm/Contracts.sol), typed for viem.
const STORE_ABI = parseAbi([
  "constructor(uint256 initial)",
  "function value() view returns (uint256)",
  "function set(uint256 next)",
  "event Stored(address indexed by, uint256 value)",
]);
const TOKEN_ABI = parseAbi([
  "constructor(uint256 supply)",
  "function balanceOf(address) view returns (uint256)",
  "function totalSupply() view returns (uint256)",
  "function transfer(address to, uint256 amount) returns (bool)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
]);

/** An Ignition artifact for a fixture contract (compiled by test/fixtures/evm/compile.ts, not one of the project's contracts/). */
function artifact<const A extends Abi>(contractName: "Store" | "Token", abi: A) {
  return {
    _format: "hh3-artifact-1",
    contractName,
    sourceName: "test/fixtures/evm/Contracts.sol",
    abi,
    bytecode: bytecode[contractName].bytecode,
    deployedBytecode: "0x",
    linkReferences: {},
    deployedLinkReferences: {},
  };
}

const Dapp = buildModule("Dapp", (m) => {
  const store = m.contract("Store", artifact("Store", STORE_ABI), [m.getParameter("initial", 42n)]);
  const token = m.contract("Token", artifact("Token", TOKEN_ABI), [m.getParameter("supply", 1_000_000n)]);
  return { store, token };
});

const INITIAL = 42n;
const SUPPLY = 1_000_000n;
/** Ignition's deployment id, unique per run: its journal goes to ignition/deployments/<id>, removed in after(). */
const deploymentId = `e2e-contracts-${process.pid}-${Date.now()}`;

let devnet: TestDevnet | undefined;
let hh: NetworkConnection | undefined;
let deployed: Awaited<ReturnType<typeof deploy>> | undefined;

async function deploy(connection: NetworkConnection) {
  return await connection.ignition.deploy(Dapp, { deploymentId, parameters: { Dapp: { initial: INITIAL, supply: SUPPLY } } });
}

before(async () => {
  devnet = await TestDevnet.start("contracts");
  hh = await network.create({ network: "l2devnet", override: { url: devnet.l2RpcUrl } });
  deployed = await deploy(hh);
});

after(async () => {
  try {
    await hh?.close();
  } finally {
    const deployments = join(import.meta.dirname, "..", "..", "ignition", "deployments");
    rmSync(join(deployments, deploymentId), { recursive: true, force: true });
    // The folder too, when this run made it and nothing else is in it.
    if (existsSync(deployments) && readdirSync(deployments).length === 0) rmdirSync(deployments);
    await devnet?.stop();
  }
});

const publicClient = async () => await hh!.viem.getPublicClient();
/** The account Hardhat sends from by default: L2 dev account #0 (Hardhat gives it lower-cased). */
const deployer = async () => getAddress((await hh!.viem.getWalletClients())[0]!.account.address);

test("the l2devnet network is the devnet's chain with its funded L2 dev accounts", async () => {
  assert.equal(BigInt(await (await publicClient()).getChainId()), DEVNET_CHAIN_ID);
  const wallets = await hh!.viem.getWalletClients();
  assert.deepEqual(wallets.map((w) => getAddress(w.account.address)), l2DevAccounts(10).map((a) => a.address));
  assert.ok((await (await publicClient()).getBalance({ address: wallets[9]!.account.address })) > 0n, "funded by the devnet's deposits");
});

test("Ignition deployed Store and Token with their constructor arguments; the constructors' events are in the receipts", async () => {
  const { store, token } = deployed!;
  const client = await publicClient();
  const from = await deployer();
  assert.equal(await store.read.value(), INITIAL);
  assert.equal(await token.read.totalSupply(), SUPPLY);
  assert.equal(await token.read.balanceOf([from]), SUPPLY);
  assert.notEqual(await client.getCode({ address: store.address }), undefined);
  const stored = await client.getContractEvents({ address: store.address, abi: store.abi, eventName: "Stored", fromBlock: 0n });
  assert.deepEqual(stored.map((l) => l.args), [{ by: from, value: INITIAL }]);
});

test("a call changes the Store's value; eth_call reads the new one", async () => {
  const { store } = deployed!;
  const client = await publicClient();
  const hash = await store.write.set([1234n]);
  const receipt = await client.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  assert.deepEqual(parseEventLogs({ abi: store.abi, eventName: "Stored", logs: receipt.logs }).map((l) => l.args.value), [1234n]);
  const { data } = await client.call({ to: store.address, data: encodeFunctionData({ abi: STORE_ABI, functionName: "value" }) });
  assert.equal(decodeFunctionResult({ abi: STORE_ABI, functionName: "value", data: data! }), 1234n);
  assert.equal(await store.read.value(), 1234n);
});

test("viem's call with stateOverride reads the overridden slot; the chain keeps its own", async () => {
  const { store } = deployed!;
  const client = await publicClient();
  const data = encodeFunctionData({ abi: STORE_ABI, functionName: "value" });
  const overridden = await client.call({ to: store.address, data, stateOverride: [{ address: store.address, stateDiff: [{ slot: pad("0x0"), value: pad("0x2a") }] }] });
  assert.equal(decodeFunctionResult({ abi: STORE_ABI, functionName: "value", data: overridden.data! }), 42n);
  assert.notEqual(await store.read.value(), 42n);
});

test("an ERC-20 transfer, found again by eth_getLogs with the Transfer topic", async () => {
  const { token } = deployed!;
  const client = await publicClient();
  const from = await deployer();
  const to = privateKeyToAccount(generatePrivateKey()).address;
  const hash = await token.write.transfer([to, 250n]);
  const receipt = await client.waitForTransactionReceipt({ hash });
  assert.equal(receipt.status, "success");
  const [transfer] = encodeEventTopics({ abi: token.abi, eventName: "Transfer" });
  const logs = await client.request({
    method: "eth_getLogs",
    params: [{ address: token.address, topics: [transfer!, null, pad(to)], fromBlock: "0x0", toBlock: "latest" }],
  });
  assert.equal(logs.length, 1);
  assert.equal(logs[0]!.transactionHash, hash);
  const [decoded] = parseEventLogs({ abi: token.abi, logs });
  assert.deepEqual(decoded!.args, { from: from, to, value: 250n });
  assert.equal(await token.read.balanceOf([to]), 250n);
});

test("a transfer beyond the balance reverts; viem and ethers both report the reason", async () => {
  const { token } = deployed!;
  const to = privateKeyToAccount(generatePrivateKey()).address;
  await assert.rejects(token.write.transfer([to, SUPPLY * 10n]), (e: unknown) => {
    const reverted = (e as BaseError).walk((c) => c instanceof ContractFunctionRevertedError);
    assert.ok(reverted instanceof ContractFunctionRevertedError, `a ContractFunctionRevertedError in: ${String(e)}`);
    assert.equal(reverted.reason, "insufficient balance");
    return true;
  });
  const signer = new Wallet(l2DevAccounts(1)[0]!.privateKey, new JsonRpcProvider(devnet!.l2RpcUrl, Number(DEVNET_CHAIN_ID), { staticNetwork: true }));
  const erc20 = new Contract(token.address, ["function transfer(address to, uint256 amount) returns (bool)"], signer);
  try {
    await assert.rejects(erc20.getFunction("transfer")(to, SUPPLY * 10n), (e: unknown) => {
      assert.equal((e as { code?: string }).code, "CALL_EXCEPTION", String(e));
      assert.equal((e as { reason?: string }).reason, "insufficient balance");
      return true;
    });
  } finally {
    signer.provider!.destroy();
  }
});

test("BLOCKHASH in a transaction and in eth_call gives the hashes eth_getBlockByNumber serves", async () => {
  const client = await publicClient();
  const [wallet] = await hh!.viem.getWalletClients();
  const abi = parseAbi(["function hashOf(uint256 number) view returns (bytes32)", "function record(uint256 number)", "function recorded() view returns (bytes32)"]);
  const deployment = await client.waitForTransactionReceipt({ hash: await wallet!.deployContract({ abi, bytecode: hashesBytecode }) });
  const address = deployment.contractAddress!;
  // In a transaction: every member executed it with the same hash, or the block would not have committed.
  const recorded = await client.waitForTransactionReceipt({ hash: await wallet!.writeContract({ address, abi, functionName: "record", args: [deployment.blockNumber] }) });
  assert.equal(recorded.status, "success");
  const stored = await client.readContract({ address, abi, functionName: "recorded" });
  assert.equal(stored, (await client.getBlock({ blockNumber: deployment.blockNumber })).hash);
  // In a call at the latest block: its parent's hash, and 0 for itself.
  const head = await client.getBlock();
  assert.equal(await client.readContract({ address, abi, functionName: "hashOf", args: [head.number - 1n], blockNumber: head.number }), head.parentHash);
  assert.equal(await client.readContract({ address, abi, functionName: "hashOf", args: [head.number], blockNumber: head.number }), pad("0x0"));
});

test("eth_getProof of the Store's value slot, at the block that set it, verifies against that block's state root", async () => {
  const { store } = deployed!;
  const client = await publicClient();
  const { blockNumber } = await client.waitForTransactionReceipt({ hash: await store.write.set([777n]) });
  await client.waitForTransactionReceipt({ hash: await store.write.set([778n]) });
  const block = await client.getBlock({ blockNumber });
  const slot = pad("0x0");
  const proof = await client.getProof({ address: store.address, storageKeys: [slot], blockNumber });
  assert.equal(proof.storageProof[0]!.value, 777n);
  assert.equal(verifyStorageProof(block.stateRoot, store.address, proof.accountProof, slot, proof.storageProof[0]!.proof), 777n);
  assert.throws(() => verifyStorageProof(block.parentHash, store.address, proof.accountProof, slot, proof.storageProof[0]!.proof), "not a proof under another root");
});

test("a viem webSocket client on the same port receives newHeads and the Store's logs for a transaction sent after subscribing", async () => {
  const { store } = deployed!;
  const wsUrl = devnet!.l2RpcUrl.replace(/^http/, "ws");
  // No keep-alive timer and no reconnect: a socket viem reopens after the close below (a race
  // with the unsubscribes) would otherwise ping the stopped devnet every 30 s and keep the test
  // process alive for good (seen once in npm test).
  const ws = createPublicClient({ transport: webSocket(wsUrl, { keepAlive: false, reconnect: false }) });
  const heads: Block[] = [];
  const logs: { value: bigint; transactionHash: Hex }[] = [];
  const errors: Error[] = [];
  // The logs subscription is asked for first on the same socket: once a head arrives, both are live.
  const unwatchLogs = ws.watchContractEvent({
    address: store.address,
    abi: store.abi,
    eventName: "Stored",
    onLogs: (received) => logs.push(...received.map((l) => ({ value: l.args.value!, transactionHash: l.transactionHash! }))),
    onError: (e) => errors.push(e),
  });
  const unwatchBlocks = ws.watchBlocks({ onBlock: (b) => heads.push(b as Block), onError: (e) => errors.push(e) });
  try {
    await eventually(() => heads.length > 0 || errors.length > 0, "a first newHeads notification", 60_000);
    assert.deepEqual(errors, []);
    const hash = await store.write.set([4242n]);
    const receipt = await (await publicClient()).waitForTransactionReceipt({ hash });
    await eventually(() => logs.some((l) => l.transactionHash === hash), "the Stored log over the socket", 60_000);
    assert.deepEqual(logs.filter((l) => l.transactionHash === hash).map((l) => l.value), [4242n]);
    await eventually(() => heads.some((h) => h.number === receipt.blockNumber), "the head of the transaction's block", 60_000);
    assert.equal(heads.find((h) => h.number === receipt.blockNumber)!.hash, receipt.blockHash);
    assert.deepEqual(errors, []);
  } finally {
    unwatchLogs();
    unwatchBlocks();
    await (ws.transport as { getRpcClient(): Promise<{ close(): void }> }).getRpcClient().then((c) => c.close());
  }
});

test("the block holding the Store's deployment is final on L1, read from the Rollup itself", async () => {
  const { store } = deployed!;
  const client = await publicClient();
  const code = await client.getCode({ address: store.address });
  assert.ok(code !== undefined && code.length > 2);
  const [l2, l1] = await Promise.all([connect(devnet!.l2RpcUrl, "L2"), connect(devnet!.summary.l1RpcUrl, "L1")]);
  const stored = await client.getContractEvents({ address: store.address, abi: store.abi, eventName: "Stored", fromBlock: 0n, toBlock: "latest" });
  const deployment = stored[0]!.transactionHash;
  const receipt = await client.getTransactionReceipt({ hash: deployment });
  assert.equal(getAddress(receipt.contractAddress!), getAddress(store.address as Address));
  let report: Awaited<ReturnType<typeof checkFinality>> | undefined;
  await eventually(async () => {
    report = await checkFinality({ l2, l1, rollup: devnet!.summary.contracts.rollup, transactionHash: deployment });
    return report.status === "finalized";
  }, "the deployment's block final on L1", 180_000);
  assert.deepEqual(report!.block, { number: receipt.blockNumber, hash: receipt.blockHash });
  assert.equal(report!.l1!.isFinalized, true);
  assert.notEqual(report!.l1!.settlement, null, "the L2 names the L1 settlement transaction and L1 confirms it");
});
