/**
 * The JSON-RPC of real members: three member processes plus member 0 in this process (startNode,
 * the same code `npm run node` runs), so the test can also write what the L1 follower writes into
 * member 0's store (the finalized fact) and watch the RPC answer from it. Wallet-level checks go
 * through viem's clients; refusals through raw requests, as ethers or curl would send them.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createPublicClient, createWalletClient, defineChain, http, keccak256, parseEther, parseGwei, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { computeBaseFee, verifyAccountProof } from "../../src/execution/index.ts";
import { loadNodeConfig } from "../../src/node/config.ts";
import { startNode, type RunningNode } from "../../src/node/node.ts";
import { FINALIZED_FACT } from "../../src/settlement/index.ts";
import { TestCluster } from "../node/support/cluster.ts";
import { signTransfer } from "../node/support/transactions.ts";
import { key, signTransaction } from "../execution/fixtures.ts";
import { call, post, refusal } from "./support/rpc.ts";
import { eventually } from "../fixtures/redis.ts";

let cluster: TestCluster;
let node: RunningNode | undefined;
let url0: string;
let client0: PublicClient;
const GAS_LIMIT = 30_000_000n;

function chainFor(url: string) {
  return defineChain({ id: Number(cluster.devnet.chainId), name: "hotstuff-rpc-test", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [url] } } });
}

before(async () => {
  cluster = await TestCluster.create("rpc");
  const config = loadNodeConfig(cluster.devnet.configFiles[0]!);
  [node] = await Promise.all([startNode(config, () => {}), cluster.startAll([1, 2, 3])]);
  url0 = `http://127.0.0.1:${node.rpcPort}`;
  client0 = createPublicClient({ chain: chainFor(url0), transport: http(), pollingInterval: 100 }) as PublicClient;
});
after(async () => {
  await node?.stop();
  await cluster?.stop();
});

test("a viem wallet client sends a transfer to a member process; every lookup method reads it back, and finality follows the L1 fact", async () => {
  const url2 = cluster.devnet.rpcUrls[2]!;
  const sender = privateKeyToAccount(cluster.devnet.accounts[0]!.privateKey);
  const recipient = cluster.devnet.accounts[1]!.address;
  const wallet = createWalletClient({ account: sender, chain: chainFor(url2), transport: http() });
  const client2 = createPublicClient({ chain: chainFor(url2), transport: http(), pollingInterval: 100 });
  const before = await client2.getBalance({ address: recipient });
  // viem fills nonce (pending count), gas (eth_estimateGas) and fees (latest block + tip) itself.
  const hash = await wallet.sendTransaction({ to: recipient, value: parseEther("1.5") });
  const receipt = await client2.waitForTransactionReceipt({ hash, timeout: 90_000 });
  assert.equal(receipt.status, "success");
  assert.equal(receipt.gasUsed, 21_000n);
  assert.deepEqual(receipt.logs, []);
  await cluster.waitForHeight([0], receipt.blockNumber);

  // The fee history of that block: its one transaction's effective tip at every percentile.
  const inBlock = await client0.getBlock({ blockNumber: receipt.blockNumber });
  assert.deepEqual(inBlock.transactions, [hash], "the only transfer so far");
  const history = await client0.getFeeHistory({ blockCount: 1, blockNumber: receipt.blockNumber, rewardPercentiles: [0, 50, 100] });
  const paidTip = receipt.effectiveGasPrice - inBlock.baseFeePerGas!;
  assert.deepEqual(history.reward, [[paidTip, paidTip, paidTip]]);
  assert.equal(history.gasUsedRatio[0], 21_000 / Number(GAS_LIMIT));

  for (const client of [client2, client0]) {
    const tx = await client.getTransaction({ hash });
    assert.equal(tx.blockHash, receipt.blockHash);
    assert.equal(tx.from.toLowerCase(), sender.address.toLowerCase());
    assert.equal(tx.to?.toLowerCase(), recipient.toLowerCase());
    assert.equal(tx.value, parseEther("1.5"));
    assert.equal((await client.getTransactionReceipt({ hash })).blockHash, receipt.blockHash);
    const byHash = await client.getBlock({ blockHash: receipt.blockHash, includeTransactions: true });
    const byNumber = await client.getBlock({ blockNumber: receipt.blockNumber });
    assert.equal(byHash.number, receipt.blockNumber);
    assert.equal(byNumber.hash, receipt.blockHash);
    assert.ok(byNumber.transactions.includes(hash));
    assert.equal(byHash.transactions.find((t) => t.hash === hash)?.value, parseEther("1.5"));
    const count = await client.getBlockTransactionCount({ blockHash: receipt.blockHash });
    assert.equal(count, byNumber.transactions.length);
    assert.equal(await client.getBlockTransactionCount({ blockNumber: receipt.blockNumber }), count);
    assert.equal(await client.getBalance({ address: recipient }), before + parseEther("1.5"));
    assert.equal(await client.getTransactionCount({ address: sender.address }), 1);
    assert.equal(await client.getTransactionCount({ address: sender.address, blockTag: "pending" }), 1);
  }

  // Committed on L2, not yet settled: every form of the argument gives the same block.
  const committed = { status: "committed", block: { number: `0x${receipt.blockNumber.toString(16)}`, hash: receipt.blockHash } };
  for (const arg of [hash, receipt.blockHash, `0x${receipt.blockNumber.toString(16)}`]) assert.deepEqual((await call(url0, "rollup_getFinality", [arg])).result, committed);
  assert.equal((await call(url0, "rollup_getFinality", [`0x${"ab".repeat(32)}`])).result, null, "an unknown hash");
  assert.deepEqual((await call(url0, "rollup_getFinality", ["0xffffff"])).result, { status: "pending" }, "a height not committed yet");

  // The QC over the block: the committee's quorum signed that block hash.
  const qc = (await call(url0, "rollup_getQuorumCertificate", [receipt.blockHash])).result;
  assert.equal(qc.blockHash, receipt.blockHash);
  assert.equal(qc.view, byView((await client0.getBlock({ blockHash: receipt.blockHash })) as never));
  assert.ok(qc.signers.length >= 3, `quorum of 4 is 3, got ${JSON.stringify(qc.signers)}`);
  assert.equal(BigInt(qc.signersBitmap), qc.signers.reduce((m: bigint, i: number) => m | (1n << BigInt(i)), 0n));
  assert.match(qc.signature, /^0x[0-9a-f]{192}$/, "a compressed BLS12-381 G2 point");
  assert.deepEqual((await call(url0, "rollup_getQuorumCertificate", [`0x${receipt.blockNumber.toString(16)}`])).result, qc);
  assert.equal((await call(url0, "rollup_getQuorumCertificate", ["0x0"])).result, null, "genesis is trusted, never signed");
  // The committed head's QC comes from the commit proof stored with it (its child is not
  // committed yet); if the head moved meanwhile, from the child: either way, never missing.
  const head = await client0.getBlockNumber();
  const headQc = (await call(url0, "rollup_getQuorumCertificate", [`0x${head.toString(16)}`])).result;
  assert.equal(headQc?.blockHash, (await client0.getBlock({ blockNumber: head })).hash);

  // Before settlement the finalized tag is the genesis.
  assert.equal((await client0.getBlock({ blockTag: "finalized" })).number, 0n);
  // What the L1 follower writes once Rollup emits BlockFinalized for this block.
  const l1TxHash = keccak256("0x01");
  const store = node!.member.store;
  store.setFact(FINALIZED_FACT, JSON.stringify({ number: receipt.blockNumber.toString(), hash: receipt.blockHash, l1TxHash, l1Block: "77" }));
  const finalized = { status: "finalized", block: committed.block, l1: { transactionHash: l1TxHash, blockNumber: "0x4d" } };
  for (const arg of [hash, receipt.blockHash, `0x${receipt.blockNumber.toString(16)}`]) assert.deepEqual((await call(url0, "rollup_getFinality", [arg])).result, finalized);
  assert.equal((await call(url0, "rollup_getFinality", ["0x0"])).result.status, "finalized", "blocks below the finalized head are final too");
  assert.equal((await client0.getBlock({ blockTag: "finalized" })).hash, receipt.blockHash);
  assert.equal((await call(url0, "rollup_status")).result.finalizedHeight, receipt.blockNumber.toString());
  // A fact naming another block at that height (never from a correct committee) finalizes nothing here.
  store.setFact(FINALIZED_FACT, JSON.stringify({ number: receipt.blockNumber.toString(), hash: keccak256("0x02"), l1TxHash, l1Block: "78" }));
  assert.equal((await call(url0, "rollup_getFinality", [hash])).result.status, "committed");
});

function byView(block: { view?: string } & Record<string, unknown>): string {
  // viem keeps unknown block fields as they came: the rollup's `view` is a quantity.
  return block.view as string;
}

test("viem's public client: chain, accounts, fees, proofs and tags", async () => {
  const c = client0;
  const [a0, a1] = cluster.devnet.accounts;
  assert.equal(await c.getChainId(), Number(cluster.devnet.chainId));
  assert.equal((await call(url0, "net_version")).result, cluster.devnet.chainId.toString());
  assert.match((await call(url0, "web3_clientVersion")).result, /^hotstuff-rollup\/v\d+\.\d+\.\d+\//);
  assert.equal((await call(url0, "eth_syncing")).result, false);
  assert.deepEqual((await call(url0, "eth_accounts")).result, []);

  const head = await c.getBlock({ blockTag: "latest" });
  // safe and pending are the committed head too (src/rpc/methods/block-tag.ts); it may have moved on.
  for (const blockTag of ["safe", "pending"] as const) {
    const n = (await c.getBlock({ blockTag })).number;
    assert.ok(n !== null && n >= head.number, `${blockTag}: ${n}`);
  }
  assert.equal((await c.getBlock({ blockTag: "earliest" })).number, 0n);
  await assert.rejects(c.getBlock({ blockNumber: head.number + 1000n }), { name: "BlockNotFoundError" });

  assert.equal(await c.getCode({ address: a0!.address }), undefined, "0x: no contracts on this L2");
  assert.equal((await c.call({ account: a0!.address, to: a1!.address, value: 1n })).data, undefined);
  assert.equal(await c.estimateGas({ account: a0!.address, to: a1!.address, value: parseEther("1") }), 21_000n);
  assert.deepEqual(await c.getLogs({ fromBlock: 0n, toBlock: "latest" }), []);

  // One batch is one snapshot: its methods read the member within one turn of the event loop,
  // so the head cannot move between them and the figures must agree exactly.
  const snapshot = await post(url0, JSON.stringify([
    { jsonrpc: "2.0", id: 1, method: "eth_gasPrice" },
    { jsonrpc: "2.0", id: 2, method: "eth_maxPriorityFeePerGas" },
    { jsonrpc: "2.0", id: 3, method: "eth_getBlockByNumber", params: ["latest", false] },
  ]));
  const [gasPrice, tip, latest] = [1, 2, 3].map((id) => snapshot.body.find((r: { id: number }) => r.id === id).result);
  // The only transfer so far paid the 1 gwei tip viem took from eth_maxPriorityFeePerGas.
  assert.equal(BigInt(tip), parseGwei("1"));
  assert.equal(BigInt(gasPrice), computeBaseFee(BigInt(latest.baseFeePerGas), BigInt(latest.gasUsed), GAS_LIMIT) + BigInt(tip));

  // Four blocks of history need blocks 0..3 to exist; on a loaded machine the chain may be shorter here.
  await cluster.waitForHeight([0], 3n);
  const history = await c.getFeeHistory({ blockCount: 4, rewardPercentiles: [25, 75] });
  assert.equal(history.gasUsedRatio.length, 4);
  assert.equal(history.baseFeePerGas.length, 5, "one more: the next block's");
  assert.equal(history.reward?.length, 4);
  const newest = history.oldestBlock + 3n;
  const newestBlock = await c.getBlock({ blockNumber: newest });
  assert.equal(history.baseFeePerGas[3], newestBlock.baseFeePerGas);
  assert.equal(history.baseFeePerGas[4], computeBaseFee(newestBlock.baseFeePerGas!, newestBlock.gasUsed, GAS_LIMIT));
  assert.equal(history.gasUsedRatio[3], Number(newestBlock.gasUsed) / Number(GAS_LIMIT));

  // eth_getProof against the head's state root verifies as Ethereum's account trie.
  const proof = await c.getProof({ address: a0!.address, storageKeys: [`0x${"00".repeat(32)}`] });
  const root = (await c.getBlock()).stateRoot;
  assert.deepEqual(verifyAccountProof(root, a0!.address, proof.accountProof), { nonce: BigInt(proof.nonce), balance: proof.balance });
  assert.equal(proof.balance, await c.getBalance({ address: a0!.address }));
  assert.deepEqual(proof.storageProof, [{ key: `0x${"00".repeat(32)}`, value: 0n, proof: [] }]);

  const committee = (await call(url0, "rollup_getCommittee")).result;
  assert.equal(committee.quorum, 3);
  assert.equal(committee.members.length, 4);
  assert.deepEqual(committee.members.map((m: { index: number }) => m.index), [0, 1, 2, 3]);
  assert.deepEqual(committee.members.map((m: { memberId: number }) => m.memberId), [0, 1, 2, 3], "genesis members' L1 ids");
  assert.match(committee.members[0].publicKey, /^0x[0-9a-f]+$/);
  const status = (await call(url0, "rollup_status")).result;
  for (const k of ["view", "leader", "highQcView", "committedHeight", "finalizedHeight", "peers", "mempool", "intakeDepth", "outboxDepth"]) assert.ok(k in status, k);
});

test("refusals: malformed JSON, wrong shapes, unknown methods, bad params, oversized bodies, historical state; CORS; batches; the server stays up", async () => {
  const bad = await post(url0, "{not json");
  assert.equal(bad.body.error.code, -32700);
  assert.match(bad.body.error.message, /^parse error/);
  for (const body of ["42", '"eth_chainId"', "null", '{"jsonrpc":"2.0","id":1}', '{"jsonrpc":"1.0","id":1,"method":"eth_chainId"}', '{"jsonrpc":"2.0","id":{},"method":"eth_chainId"}']) {
    assert.equal((await post(url0, body)).body.error.code, -32600, body);
  }
  const unknown = await refusal(url0, "eth_mine");
  assert.equal(unknown.code, -32601);
  assert.match(unknown.message, /eth_mine/);

  const cases: [string, unknown[], RegExp][] = [
    ["eth_getBalance", ["0x123"], /address.*"0x123"/],
    ["eth_getBalance", [cluster.devnet.accounts[0]!.address, "0xZZ"], /block.*"0xZZ"/],
    ["eth_getBalance", [cluster.devnet.accounts[0]!.address, "latest", 1], /expected \[address, block\?\]/],
    ["eth_getBlockByNumber", ["latest", "yes"], /fullTransactions must be a boolean/],
    ["eth_getBlockByHash", ["0x1234", false], /blockHash must be a 32-byte 0x hash/],
    ["eth_getTransactionReceipt", [], /expected \[transactionHash\]/],
    ["eth_blockNumber", ["latest"], /expected no params: got \["latest"\]/],
    ["eth_sendRawTransaction", ["0xabc"], /signedTransaction must be 0x-prefixed hex bytes/],
    ["eth_feeHistory", ["0x0", "latest", []], /blockCount must be a quantity from 1 to 1024/],
    ["eth_feeHistory", ["0x4", "latest", [50, 10]], /rewardPercentiles must be increasing/],
    ["eth_getLogs", [{ fromBlock: "0x2", toBlock: "0x1" }], /fromBlock 0x2 is after filter.toBlock 0x1/],
    ["eth_getLogs", [{ topics: ["0x12"] }], /filter.topics\[0\] must be a 32-byte 0x hash/],
    ["eth_getLogs", [{ adress: "0x0" }], /filter.adress is not a known field/],
    ["eth_getProof", [cluster.devnet.accounts[0]!.address, "0x00"], /storageKeys must be an array/],
    ["rollup_getFinality", ["pendingish"], /must be a block number.*"pendingish"/],
    ["eth_estimateGas", ["0x1"], /transaction must be an object/],
  ];
  for (const [method, params, message] of cases) {
    const e = await refusal(url0, method, params);
    assert.equal(e.code, -32602, `${method} ${JSON.stringify(params)}`);
    assert.match(e.message, message);
  }
  assert.deepEqual((await post(url0, '{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":{"a":1}}')).body.error.code, -32602);

  // The last 128 blocks' states are kept (Ignition and ethers read at the number they just
  // asked for): state at an older block is read, and proved, as it was then.
  await cluster.waitForHeight([0], 2n);
  const account0 = cluster.devnet.accounts[0]!.address;
  const before = BigInt((await call(url0, "eth_blockNumber", [])).result as Hex) - 1n;
  const beforeBlock = (await call(url0, "eth_getBlockByNumber", [`0x${before.toString(16)}`, false])).result as { stateRoot: Hex };
  const proof = (await call(url0, "eth_getProof", [account0, [], `0x${before.toString(16)}`])).result as { nonce: Hex; balance: Hex; accountProof: Hex[] };
  const proved = verifyAccountProof(beforeBlock.stateRoot, account0, proof.accountProof);
  assert.deepEqual([proved.nonce, proved.balance], [BigInt(proof.nonce), BigInt(proof.balance)], "a proof at an earlier block verifies against that block's state root");
  assert.equal((await call(url0, "eth_getBalance", [account0, `0x${before.toString(16)}`])).result, proof.balance);
  assert.equal((await call(url0, "eth_getTransactionCount", [account0, `0x${before.toString(16)}`])).result, proof.nonce);
  assert.match((await refusal(url0, "eth_getTransactionCount", [cluster.devnet.accounts[0]!.address, "0xffffff"])).message, /block 0xffffff is not committed yet/);

  // Calls and estimates refuse what eth_sendRawTransaction would refuse of the signed transaction.
  const [a0, a1] = cluster.devnet.accounts;
  const nobody = "0x000000000000000000000000000000000000dEaD";
  const callRefusals: [string, Record<string, unknown>, string, RegExp][] = [
    ["eth_estimateGas", { from: nobody, to: a1!.address, value: "0x1" }, "INSUFFICIENT_FUNDS", /insufficient funds for gas \* price \+ value: balance 0, cost 1/],
    ["eth_estimateGas", { from: a0!.address, to: a1!.address, gas: "0x5000" }, "INTRINSIC_GAS_TOO_LOW", /intrinsic gas too low: gas 20480, this transaction needs at least 21000/],
    ["eth_call", { from: a0!.address, data: "0x6000", gas: "0xcf08" }, "INTRINSIC_GAS_TOO_LOW", /gas 53000, this transaction needs at least 53022/],
  ];
  // Data to an account without code runs nothing and returns nothing, as on Ethereum.
  assert.equal((await call(url0, "eth_call", [{ to: a1!.address, input: "0x01" }])).result, "0x");
  for (const [method, tx, code, message] of callRefusals) {
    const e = await refusal(url0, method, [tx]);
    assert.equal(e.code, -32000, `${method} ${JSON.stringify(tx)}`);
    assert.equal(e.data?.code, code);
    assert.match(e.message, message);
  }

  const big = await post(url0, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: [`0x${"00".repeat(600_000)}`] }));
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, -32600);
  assert.match(big.body.error.message, /body larger than 1048576 bytes/);

  // A browser wallet's preflight, then its request: both allowed from any origin.
  const preflight = await fetch(url0, { method: "OPTIONS", headers: { origin: "https://wallet.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
  assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
  assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /content-type/);
  assert.equal((await post(url0, '{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}', { "content-type": "application/json", origin: "https://wallet.example" })).headers.get("access-control-allow-origin"), "*");

  // A batch mixing good, bad and a notification: one reply per request with an id, in any order.
  const batch = await post(
    url0,
    JSON.stringify([
      { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
      { jsonrpc: "2.0", id: 2, method: "eth_nope" },
      { jsonrpc: "2.0", method: "eth_chainId" },
      5,
      { jsonrpc: "2.0", id: "b", method: "eth_getBalance", params: ["0x1"] },
      { jsonrpc: "2.0", id: 3, method: "eth_getBalance", params: [a0!.address, "latest"] },
    ]),
  );
  assert.equal(batch.body.length, 5);
  const byId = new Map(batch.body.map((r: { id: unknown }) => [r.id, r]));
  assert.equal((byId.get(1) as any).result, `0x${cluster.devnet.chainId.toString(16)}`);
  assert.equal((byId.get(2) as any).error.code, -32601);
  assert.equal((byId.get(null) as any).error.code, -32600);
  assert.equal((byId.get("b") as any).error.code, -32602);
  assert.match((byId.get(3) as any).result, /^0x[0-9a-f]+$/);
  assert.equal((await post(url0, "[]")).body.error.code, -32600);
  const tooMany = await post(url0, JSON.stringify(Array.from({ length: 101 }, (_, id) => ({ jsonrpc: "2.0", id, method: "eth_chainId" }))));
  assert.match(tooMany.body.error.message, /batch of 101 requests, at most 100/);

  // Still serving after all of it.
  assert.match((await call(url0, "eth_blockNumber")).result, /^0x[0-9a-f]+$/);
});

test("every transaction refusal from execution is -32000 with its message and code", async () => {
  const { accounts, chainId } = cluster.devnet;
  // Signed by hand (test/execution/fixtures.ts) so that viem's own checks do not stop them first.
  const sender = { privateKey: accounts[5]!.privateKey, address: accounts[5]!.address };
  const to = accounts[6]!.address;
  const fee = { maxFeePerGas: parseGwei("100"), to };
  const cases: [string, Hex, RegExp][] = [
    ["INVALID_ENCODING", "0xc0", /./],
    ["UNSUPPORTED_TYPE", "0x03c0", /type 0x03/],
    ["MISSING_CHAIN_ID", signTransaction(sender, { ...fee, type: "legacy", chainId: null }), /expected chain id 901/],
    ["WRONG_CHAIN_ID", signTransaction(sender, { ...fee, chainId: 1n }), /expected 901, got 1/],
    ["INVALID_SIGNATURE", signTransaction(sender, { ...fee, r: 0n }), /./],
    ["HIGH_S", signTransaction(sender, { ...fee, highS: true }), /upper half/],
    ["INTRINSIC_GAS_TOO_LOW", signTransaction(sender, { ...fee, gas: 20_999n }), /gas limit 20999, this transaction needs at least 21000/],
    ["INTRINSIC_GAS_TOO_LOW", signTransaction(sender, { ...fee, data: "0xa9059cbb" }), /gas limit 21000, this transaction needs at least 21160/],
    ["GAS_LIMIT_TOO_HIGH", signTransaction(sender, { ...fee, gas: 30_000_001n }), /block limit 30000000/],
    ["TIP_ABOVE_FEE_CAP", signTransaction(sender, { to, maxFeePerGas: 10n, maxPriorityFeePerGas: 11n }), /./],
    ["INSUFFICIENT_FUNDS", signTransaction(key("rpc-test-poor"), fee), /insufficient funds for gas \* price \+ value: balance 0/],
    ["NONCE_TOO_HIGH", signTransaction(sender, { ...fee, nonce: 100_000n }), /nonce too far ahead/],
  ];
  for (const [code, raw, message] of cases) {
    const e = await refusal(url0, "eth_sendRawTransaction", [raw]);
    assert.equal(e.code, -32000, code);
    assert.equal(e.data?.code, code, `${code}: ${e.message}`);
    assert.match(e.message, message);
  }
  // Accepted; once committed, the same nonce again is too low.
  const raw = await signTransfer(accounts[5]!, { chainId, to, value: 5n, nonce: 0 });
  assert.equal((await call(url0, "eth_sendRawTransaction", [raw])).result, keccak256(raw));
  await client0.waitForTransactionReceipt({ hash: keccak256(raw), timeout: 90_000 });
  const replay = await signTransfer(accounts[5]!, { chainId, to, value: 6n, nonce: 0 });
  const low = await refusal(url0, "eth_sendRawTransaction", [replay]);
  assert.equal(low.code, -32000);
  assert.equal(low.data?.code, "NONCE_TOO_LOW");
  assert.match(low.message, /nonce too low: expected at least 1, got 0/);

  // A transfer waiting on a nonce gap stays pending: known, not in a block, no receipt.
  const gapped = await signTransfer(accounts[7]!, { chainId, to, value: 7n, nonce: 3 });
  const gappedHash = (await call(url0, "eth_sendRawTransaction", [gapped])).result as Hex;
  await eventually(async () => (await call(url0, "eth_getTransactionByHash", [gappedHash])).result !== null, "the gapped transfer to reach member 0's mempool");
  const pending = (await call(url0, "eth_getTransactionByHash", [gappedHash])).result;
  assert.equal(pending.blockHash, null);
  assert.equal(pending.nonce, "0x3");
  assert.equal((await call(url0, "eth_getTransactionReceipt", [gappedHash])).result, null);
  assert.deepEqual((await call(url0, "rollup_getFinality", [gappedHash])).result, { status: "pending" });
  // Sent again while this member's mempool holds it: already known. (Before the intake worker
  // has put it there, a resubmission is accepted again instead: src/node/admission.ts.)
  const again = await refusal(url0, "eth_sendRawTransaction", [gapped]);
  assert.equal(again.code, -32000);
  assert.equal(again.data?.code, "ALREADY_KNOWN");
  assert.match(again.message, /already known/);
  assert.equal((await call(url0, "eth_getTransactionCount", [accounts[7]!.address, "pending"])).result, "0x0", "a gap does not advance the pending nonce");
});

test("an ethers v6 wallet sends a transfer to a member process and reads it back", async () => {
  // ethers comes through Hardhat Ignition (not a direct dependency): this checks that the other
  // client family wallets are built on fills in nonce, gas and fees from this RPC and waits for it.
  const { JsonRpcProvider, Wallet } = await import("ethers");
  const url1 = cluster.devnet.rpcUrls[1]!;
  // ethers answers a repeated request from a 250 ms cache: wait() asks for the transaction while
  // it is pending, and a chain that commits within 250 ms would have the next getTransaction read
  // that stale pending answer. Every read here must reach the member.
  const provider = new JsonRpcProvider(url1, Number(cluster.devnet.chainId), { staticNetwork: true, polling: true, cacheTimeout: -1 });
  provider.pollingInterval = 100;
  try {
    const wallet = new Wallet(cluster.devnet.accounts[2]!.privateKey, provider);
    const to = cluster.devnet.accounts[3]!.address;
    const before = await provider.getBalance(to);
    const sent = await wallet.sendTransaction({ to, value: 42n });
    const receipt = await sent.wait(1, 90_000);
    assert.equal(receipt?.status, 1);
    assert.equal(receipt?.gasUsed, 21_000n);
    const tx = await provider.getTransaction(sent.hash);
    assert.equal(tx?.blockHash, receipt?.blockHash);
    assert.equal(tx?.value, 42n);
    assert.equal(tx?.from.toLowerCase(), wallet.address.toLowerCase());
    const block = await provider.getBlock(receipt!.blockHash);
    assert.ok(block?.transactions.includes(sent.hash));
    assert.equal(await provider.getBalance(to), before + 42n);
    assert.equal(await provider.getTransactionCount(wallet.address, "latest"), 1);
    const fees = await provider.getFeeData();
    assert.ok(fees.maxFeePerGas !== null && fees.maxPriorityFeePerGas !== null && fees.gasPrice !== null);
  } finally {
    provider.destroy();
  }
});
