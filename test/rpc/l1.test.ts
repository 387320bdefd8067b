/**
 * The JSON-RPC answers that depend on L1, from four real member processes on a real `hardhat
 * node` (the contracts deployed, the members following L1 and settling on it):
 *  - rollup_getFinality names the L1 transaction of the batch that settled a block, not the
 *    latest settlement;
 *  - a transaction forced through the L1 Inbox is served like any other (by hash, in its
 *    block's list, at its receipt's index);
 *  - rollup_getWithdrawalProof gives what Bridge.claimWithdrawal takes: the real contract pays
 *    each claim once and refuses the second with WithdrawalAlreadyClaimed.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { getAddress, keccak256, parseEther, parseEventLogs, type Address, type Hex } from "viem";
import { l2DevAccounts } from "../../src/devnet/accounts.ts";
import { connectL1 } from "../../src/devnet/clients.ts";
import { fundByDeposits } from "../../src/devnet/fund.ts";
import { rootFromProof, WITHDRAWAL_ADDRESS, withdrawalLeaf } from "../../src/protocol/withdrawals.ts";
import { BRIDGE_ABI, decodeRevert, ROLLUP_ABI } from "../../src/settlement/index.ts";
import { eventually } from "../fixtures/redis.ts";
import { L1TestCluster } from "../node/support/l1-cluster.ts";
import { signTransfer } from "../node/support/transactions.ts";
import { call, refusal } from "./support/rpc.ts";

let net: L1TestCluster | undefined;
const accounts = l2DevAccounts(7);
const FUNDS = parseEther("10");

const members = () => net!.members;
const rpc = <T = any>(method: string, params: unknown[] = [], member = 0) => members().rpc<T>(member, method, params);
const hex = (n: bigint | number) => `0x${n.toString(16)}`;

before(async () => {
  net = await L1TestCluster.create("rpc-l1");
  await members().startAll();
  await fundByDeposits({ rpcUrl: net.l1!.rpcUrl, bridge: net.contracts.bridge, from: net.l1!.accounts[10]!.privateKey, recipients: accounts.map((a) => ({ address: a.address, amount: FUNDS })) });
  for (const a of accounts) await eventually(async () => BigInt(await rpc<Hex>("eth_getBalance", [a.address, "latest"])) === FUNDS, `the deposit to ${a.address} on L2`, 120_000);
});

after(async () => {
  await net?.stop();
});

/** Signs a transfer with the sender's next nonce (pending count at member 0). */
async function sign(from: (typeof accounts)[number], to: Address, value: bigint): Promise<Hex> {
  const nonce = Number(BigInt(await rpc<Hex>("eth_getTransactionCount", [from.address, "pending"])));
  return await signTransfer(from, { chainId: members().devnet.chainId, to, value, nonce });
}

async function send(from: (typeof accounts)[number], to: Address, value: bigint): Promise<Hex> {
  return await rpc<Hex>("eth_sendRawTransaction", [await sign(from, to, value)]);
}

async function receiptOf(hash: Hex, member = 0): Promise<any> {
  let receipt: any = null;
  await eventually(async () => (receipt = await rpc("eth_getTransactionReceipt", [hash], member)) !== null, `a receipt for ${hash} at member ${member}`, 120_000);
  return receipt;
}

/** The Rollup's BatchSettled events on L1 so far: each batch's range and the L1 transaction that settled it. */
async function settledBatches(): Promise<{ from: bigint; to: bigint; l1TxHash: Hex; l1Block: bigint }[]> {
  const logs = await net!.l1Client().getContractEvents({ address: net!.contracts.rollup, abi: ROLLUP_ABI, eventName: "BatchSettled", fromBlock: 0n });
  return logs.map((l) => {
    const a = l.args as unknown as { firstNumber: bigint; lastNumber: bigint };
    return { from: a.firstNumber, to: a.lastNumber, l1TxHash: l.transactionHash!, l1Block: l.blockNumber! };
  });
}

describe("JSON-RPC over members that settle on a real L1", () => {
  test("rollup_getFinality names the L1 transaction of the batch that settled the block, not the latest settlement", async () => {
    const hash = await send(accounts[0]!, accounts[1]!.address, parseEther("1"));
    const receipt = await receiptOf(hash);
    const number = BigInt(receipt.blockNumber);
    await eventually(() => net!.isFinalized(number, receipt.blockHash), `block ${number} to be final on L1`, 120_000);
    const batch = (await settledBatches()).find((b) => b.from <= number && number <= b.to);
    assert.ok(batch !== undefined, `a BatchSettled event on L1 covers block ${number}`);
    // Later batches settle later blocks (the members keep committing and settling): wait for one
    // that member 0 has read, so the latest settlement is another L1 transaction.
    await eventually(async () => BigInt((await rpc<{ finalizedHeight: string }>("rollup_status")).finalizedHeight) > batch.to, `a batch after block ${batch.to} to be final at member 0`, 120_000);
    const latest = await rpc("rollup_getFinality", ["finalized"]);
    assert.equal(latest.status, "finalized");
    assert.notEqual(latest.l1.transactionHash, batch.l1TxHash, "the finalized head was settled by a later batch");

    const expected = { status: "finalized", block: { number: receipt.blockNumber, hash: receipt.blockHash }, l1: { transactionHash: batch.l1TxHash, blockNumber: hex(batch.l1Block) } };
    for (const ref of [hash, receipt.blockHash, receipt.blockNumber]) assert.deepEqual(await rpc("rollup_getFinality", [ref]), expected, `by ${ref}`);
    await eventually(async () => BigInt((await rpc<{ finalizedHeight: string }>("rollup_status", [], 2)).finalizedHeight) >= number, "member 2 to see the block final", 60_000);
    assert.deepEqual(await rpc("rollup_getFinality", [hash], 2), expected, "another member names the same batch");
    // The genesis was never settled by a batch: final, with no L1 transaction to name.
    assert.deepEqual(await rpc("rollup_getFinality", ["0x0"]), { status: "finalized", block: { number: "0x0", hash: (await rpc("eth_getBlockByNumber", ["0x0", false])).hash } });
  });

  test("a transaction forced through the L1 Inbox is served like any other: by hash, in its block's list, at its receipt's index", async () => {
    const raw = await sign(accounts[2]!, accounts[3]!.address, parseEther("2"));
    const hash = keccak256(raw);
    const { publicClient, walletClient } = await connectL1(net!.l1!.rpcUrl, net!.l1!.accounts[11]!.privateKey);
    const forced = await publicClient.waitForTransactionReceipt({ hash: await walletClient.writeContract({ address: net!.contracts.bridge, abi: BRIDGE_ABI, functionName: "forceInclude", args: [raw] }) });
    assert.equal(forced.status, "success");

    const receipt = await receiptOf(hash, 1);
    await members().waitForHeight([0], BigInt(receipt.blockNumber));
    for (const m of [0, 1]) {
      const tx = await rpc("eth_getTransactionByHash", [hash], m);
      assert.ok(tx !== null, `member ${m} serves the forced transaction by hash`);
      assert.equal(tx.hash, hash);
      assert.equal(getAddress(tx.from), accounts[2]!.address);
      assert.equal(getAddress(tx.to), accounts[3]!.address);
      assert.equal(BigInt(tx.value), parseEther("2"));
      assert.deepEqual([tx.blockHash, tx.blockNumber, tx.transactionIndex], [receipt.blockHash, receipt.blockNumber, receipt.transactionIndex]);

      const block = await rpc("eth_getBlockByNumber", [receipt.blockNumber, false], m);
      assert.equal(block.transactions[Number(receipt.transactionIndex)], hash, "the block lists it at its receipt's index");
      assert.equal(await rpc("eth_getBlockTransactionCountByNumber", [receipt.blockNumber], m), hex(block.transactions.length));
      assert.equal(await rpc("eth_getBlockTransactionCountByHash", [receipt.blockHash], m), hex(block.transactions.length));
      // Every listed transaction's receipt agrees with its place in the list (forced ones first).
      for (const [i, h] of (block.transactions as Hex[]).entries()) assert.equal((await rpc("eth_getTransactionReceipt", [h], m)).transactionIndex, hex(i));
      const full = await rpc("eth_getBlockByNumber", [receipt.blockNumber, true], m);
      assert.deepEqual(full.transactions[Number(receipt.transactionIndex)], tx);
    }
  });

  test("rollup_getWithdrawalProof gives what Bridge.claimWithdrawal takes: each claim verifies on L1 and pays once", async () => {
    // Three withdrawals sent together (often one block, so proofs with siblings) and one forced through L1.
    const sent = await Promise.all([3, 4, 5].map((i) => send(accounts[i]!, WITHDRAWAL_ADDRESS, parseEther(String(i - 2)))));
    const forcedRaw = await sign(accounts[6]!, WITHDRAWAL_ADDRESS, parseEther("0.5"));
    const { publicClient, walletClient } = await connectL1(net!.l1!.rpcUrl, net!.l1!.accounts[12]!.privateKey);
    await publicClient.waitForTransactionReceipt({ hash: await walletClient.writeContract({ address: net!.contracts.bridge, abi: BRIDGE_ABI, functionName: "forceInclude", args: [forcedRaw] }) });
    const withdrawals = [...sent, keccak256(forcedRaw)];
    const senders = [3, 4, 5, 6].map((i) => accounts[i]!.address);
    const amounts = [parseEther("1"), parseEther("2"), parseEther("3"), parseEther("0.5")];

    for (const [k, hash] of withdrawals.entries()) {
      const receipt = await receiptOf(hash);
      const proof = await rpc("rollup_getWithdrawalProof", [hash]);
      const block = await rpc("eth_getBlockByNumber", [receipt.blockNumber, false]);
      assert.equal(proof.transactionHash, hash);
      assert.deepEqual([proof.blockNumber, proof.blockHash], [receipt.blockNumber, receipt.blockHash]);
      assert.equal(getAddress(proof.recipient), senders[k]);
      assert.equal(BigInt(proof.amount), amounts[k]);
      assert.equal(proof.withdrawalsRoot, block.withdrawalsRoot, "the proof leads to the block header's withdrawals root");
      const leaf = withdrawalLeaf({ blockNumber: BigInt(proof.blockNumber), index: BigInt(proof.index), recipient: proof.recipient, amount: BigInt(proof.amount) });
      assert.equal(rootFromProof(leaf, proof.proof), proof.withdrawalsRoot);

      await eventually(() => net!.isFinalized(BigInt(receipt.blockNumber), receipt.blockHash), `block ${receipt.blockNumber} to be final on L1`, 120_000);
      await eventually(async () => (await rpc("rollup_getWithdrawalProof", [hash])).finalized === true, "the proof to say finalized", 60_000);

      // Claimed by someone else's L1 account: the ETH goes to the recipient, who pays nothing.
      const args = [BigInt(proof.blockNumber), BigInt(proof.index), proof.recipient as Address, BigInt(proof.amount), proof.proof as Hex[]] as const;
      const before = await publicClient.getBalance({ address: senders[k]! });
      const claim = await publicClient.waitForTransactionReceipt({ hash: await walletClient.writeContract({ address: net!.contracts.bridge, abi: BRIDGE_ABI, functionName: "claimWithdrawal", args }) });
      assert.equal(claim.status, "success");
      assert.equal((await publicClient.getBalance({ address: senders[k]! })) - before, amounts[k], "the recipient is paid the amount on L1");
      const [paid] = parseEventLogs({ abi: BRIDGE_ABI, eventName: "WithdrawalClaimed", logs: claim.logs });
      assert.deepEqual(paid?.args, { blockNumber: args[0], index: args[1], recipient: senders[k], amount: amounts[k] });
      assert.equal(await publicClient.readContract({ address: net!.contracts.bridge, abi: BRIDGE_ABI, functionName: "isClaimed", args: args.slice(0, 4) }), true);

      const again = await publicClient.simulateContract({ address: net!.contracts.bridge, abi: BRIDGE_ABI, functionName: "claimWithdrawal", args, account: walletClient.account }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.deepEqual(decodeRevert(again), { errorName: "WithdrawalAlreadyClaimed", args: [args[0], args[1]] }, "a second claim is refused");
    }
  });

  test("rollup_getWithdrawalProof refuses what is not a committed withdrawal (unknown, pending, not a withdrawal), naming it", async () => {
    const url = members().devnet.rpcUrls[0]!;
    const plain = await send(accounts[0]!, accounts[1]!.address, 1n);
    const nothing = await send(accounts[1]!, WITHDRAWAL_ADDRESS, 0n);
    await receiptOf(plain);
    await receiptOf(nothing);
    const unknown = `0x${"ab".repeat(32)}`;
    assert.deepEqual(await refusal(url, "rollup_getWithdrawalProof", [unknown]), { code: -32001, message: `transaction ${unknown} is not known to this node` });
    const notWithdrawal = await refusal(url, "rollup_getWithdrawalProof", [plain]);
    assert.equal(notWithdrawal.code, -32602);
    assert.match(notWithdrawal.message, new RegExp(`transaction to ${accounts[1]!.address}, not a withdrawal .*0x4200000000000000000000000000000000000016.*${plain}`, "i"));
    const zero = await refusal(url, "rollup_getWithdrawalProof", [nothing]);
    assert.equal(zero.code, -32602);
    assert.match(zero.message, /a transfer of no value to 0x4200000000000000000000000000000000000016, which withdraws nothing/);
    // Held back by a nonce gap: known to the member, in no block.
    const nonce = Number(BigInt(await rpc<Hex>("eth_getTransactionCount", [accounts[0]!.address, "pending"])));
    const gapped = await rpc<Hex>("eth_sendRawTransaction", [await signTransfer(accounts[0]!, { chainId: members().devnet.chainId, to: WITHDRAWAL_ADDRESS, value: 1n, nonce: nonce + 5 })]);
    await eventually(async () => (await rpc("eth_getTransactionByHash", [gapped])) !== null, "the gapped withdrawal in member 0's mempool");
    assert.deepEqual(await refusal(url, "rollup_getWithdrawalProof", [gapped]), { code: -32001, message: `transaction ${gapped} is pending: its withdrawal proof exists once its block is committed` });
    assert.match((await refusal(url, "rollup_getWithdrawalProof", ["0x12"])).message, /transactionHash must be a 32-byte 0x hash: got "0x12"/);
    assert.equal((await refusal(url, "rollup_getWithdrawalProof", [])).code, -32602);
    assert.equal((await call(url, "rollup_getWithdrawalProof", [plain, 1])).error.code, -32602);
  });
});
