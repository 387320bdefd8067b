/**
 * Transactions submitted to any member are committed by all members, in the same order, with
 * identical blocks and state roots: four real member processes, real Redis, real sockets.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPublicClient, defineChain, http, type Hex } from "viem";
import { eventually } from "../fixtures/redis.ts";
import { TestCluster } from "./support/cluster.ts";
import { signTransfer } from "./support/transactions.ts";

let cluster: TestCluster;
before(async () => {
  cluster = await TestCluster.create("order");
  await cluster.startAll();
});
after(async () => {
  await cluster?.stop();
});

test("transfers sent to different members are committed by all in the same order with identical state roots", async () => {
  const { accounts, chainId } = cluster.devnet;
  const recipient = "0x000000000000000000000000000000000000bEEF";
  const hashes: Hex[] = [];
  // Three transfers from each of four senders, each sent to a different member than the last.
  for (let nonce = 0; nonce < 3; nonce++) {
    for (let s = 0; s < 4; s++) {
      const raw = await signTransfer(accounts[s]!, { chainId, to: recipient, value: BigInt(1 + s), nonce });
      const member = (s + nonce) % 4;
      hashes.push(await cluster.rpc<Hex>(member, "eth_sendRawTransaction", [raw]));
    }
  }
  await eventually(async () => {
    for (let m = 0; m < 4; m++) {
      for (const h of hashes) if ((await cluster.rpc(m, "eth_getTransactionReceipt", [h])) === null) return false;
    }
    return true;
  }, "every transfer's receipt at every member", 120_000);

  const heights = await Promise.all([0, 1, 2, 3].map((m) => cluster.height(m)));
  const top = heights.reduce((a, b) => (a < b ? a : b));
  const seen: Hex[] = [];
  for (let h = 0n; h <= top; h++) {
    const blocks = await Promise.all([0, 1, 2, 3].map((m) => cluster.rpc<Record<string, unknown>>(m, "eth_getBlockByNumber", [`0x${h.toString(16)}`, false])));
    for (const b of blocks.slice(1)) {
      assert.equal(b.hash, blocks[0]!.hash, `block ${h} hash`);
      assert.equal(b.stateRoot, blocks[0]!.stateRoot, `block ${h} state root`);
      assert.deepEqual(b.transactions, blocks[0]!.transactions, `block ${h} transactions`);
    }
    if (h > 0n) assert.equal(blocks[0]!.parentHash, (await cluster.rpc<Record<string, unknown>>(0, "eth_getBlockByNumber", [`0x${(h - 1n).toString(16)}`, false])).hash);
    seen.push(...(blocks[0]!.transactions as Hex[]));
  }
  assert.deepEqual([...seen].sort(), [...hashes].sort(), "each transfer committed exactly once");

  const balances = await Promise.all([0, 1, 2, 3].map((m) => cluster.rpc<Hex>(m, "eth_getBalance", [recipient, "latest"])));
  assert.deepEqual(new Set(balances), new Set([`0x${(3n * (1n + 2n + 3n + 4n)).toString(16)}`]));
  for (let s = 0; s < 4; s++) {
    const nonces = await Promise.all([0, 1, 2, 3].map((m) => cluster.rpc<Hex>(m, "eth_getTransactionCount", [accounts[s]!.address, "latest"])));
    assert.deepEqual(nonces, ["0x3", "0x3", "0x3", "0x3"]);
  }
  for (let m = 0; m < 4; m++) {
    assert.equal(cluster.events(m, "consensus.evidence").length, 0, `member ${m} saw no equivocation`);
    assert.equal(cluster.events(m, "ledger.refused").length, 0, `member ${m} never had a signature refused`);
  }
});

test("a viem public client reads the chain, submits a signed transfer and waits for its receipt", async () => {
  const { accounts, chainId, rpcUrls } = cluster.devnet;
  const chain = defineChain({ id: Number(chainId), name: "hotstuff-test", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrls[2]!] } } });
  const client = createPublicClient({ chain, transport: http(), pollingInterval: 100 });
  assert.equal(await client.getChainId(), Number(chainId));
  const sender = accounts[9]!;
  const nonce = await client.getTransactionCount({ address: sender.address, blockTag: "pending" });
  const raw = await signTransfer(sender, { chainId, to: accounts[8]!.address, value: 123n, nonce });
  const before = await client.getBalance({ address: accounts[8]!.address });
  const hash = await client.sendRawTransaction({ serializedTransaction: raw });
  const receipt = await client.waitForTransactionReceipt({ hash, timeout: 90_000 });
  assert.equal(receipt.status, "success");
  assert.equal(receipt.gasUsed, 21_000n);
  const block = await client.getBlock({ blockNumber: receipt.blockNumber, includeTransactions: true });
  assert.equal(block.hash, receipt.blockHash);
  const tx = block.transactions.find((t) => t.hash === hash);
  assert.equal(tx?.from.toLowerCase(), sender.address.toLowerCase());
  assert.equal(tx?.value, 123n);
  assert.equal(await client.getBalance({ address: accounts[8]!.address }), before + 123n);
  assert.equal((await client.getTransaction({ hash })).blockNumber, receipt.blockNumber);
});
