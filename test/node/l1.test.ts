/**
 * Members that really use L1, as real processes: a `hardhat node`, the contracts deployed for a
 * 4-member committee, four `scripts/node.ts` members whose configs name the deployment
 * (writeL1MemberConfigs). A deposit on L1 is minted on L2, a viem transfer gets a receipt, the
 * blocks holding them become final on L1 through the members' own settlement, and when the
 * settling member is SIGKILLed the others carry finality on.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createPublicClient, defineChain, http, parseEther, type Hex } from "viem";
import { fundByDeposits } from "../../src/devnet/fund.ts";
import { l2DevAccounts } from "../../src/devnet/accounts.ts";
import { eventually } from "../fixtures/redis.ts";
import { L1TestCluster } from "./support/l1-cluster.ts";
import { signTransfer } from "./support/transactions.ts";
import { waitForInclusion } from "../support/inclusion.ts";

let net: L1TestCluster | undefined;
let cluster: L1TestCluster["members"] | undefined;

before(async () => {
  net = await L1TestCluster.create("l1");
  cluster = net.members;
  await cluster.startAll();
});

after(async () => {
  await net?.stop();
});

const isFinalizedOnL1 = (number: bigint, hash: Hex) => net!.isFinalized(number, hash);

async function blockHash(member: number, number: bigint): Promise<Hex> {
  return (await cluster!.rpc<{ hash: Hex }>(member, "eth_getBlockByNumber", [`0x${number.toString(16)}`, false])).hash;
}

/** Waits until block `number` (as `member` has it) is final on L1 and `member`'s store says so too. */
async function waitFinal(member: number, number: bigint, hash: Hex): Promise<void> {
  await eventually(() => isFinalizedOnL1(number, hash), `L2 block ${number} (${hash}) to be final on L1`, 120_000);
  await eventually(async () => BigInt((await cluster!.rpc<{ finalizedHeight: string }>(member, "rollup_status")).finalizedHeight) >= number, `member ${member}'s store to record block ${number} final`, 60_000);
  const metrics = await cluster!.metrics(member);
  assert.ok((metrics.get("hotstuff_finalized_height") ?? 0) >= Number(number), "the finalized height gauge reads the same fact");
}

async function sendTransfer(member: number, from: (typeof recipients)[number], value: bigint) {
  const { rpcUrls, chainId } = cluster!.devnet;
  const chain = defineChain({ id: Number(chainId), name: "hotstuff-l1-test", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrls[member]!] } } });
  const client = createPublicClient({ chain, transport: http(), pollingInterval: 100 });
  const nonce = await client.getTransactionCount({ address: from.address, blockTag: "pending" });
  const raw = await signTransfer(from, { chainId, to: recipients[1]!.address, value, nonce });
  const hash = await client.sendRawTransaction({ serializedTransaction: raw });
  // By the chain's progress, and saying where the transfer is when it does not come (support/inclusion.ts).
  const members = rpcUrls.map((rpcUrl, index) => ({ index, rpcUrl, logLines: () => cluster!.logs[index]!.map((l) => JSON.stringify(l)) }));
  return await waitForInclusion({ client, hash, members });
}

const recipients = l2DevAccounts(2);

describe("members with an l1 section", () => {
  test("a deposit made on L1 is minted on L2, and the block holding it becomes final on L1", async () => {
    const amount = parseEther("5");
    await fundByDeposits({ rpcUrl: net!.l1!.rpcUrl, bridge: net!.contracts.bridge, from: net!.l1!.accounts[10]!.privateKey, recipients: [{ address: recipients[0]!.address, amount }] });
    for (const m of [0, 1, 2, 3]) {
      await eventually(async () => BigInt(await cluster!.rpc<Hex>(m, "eth_getBalance", [recipients[0]!.address, "latest"])) === amount, `member ${m} to mint the deposit`, 120_000);
    }
    // The deposit is in a block at or below this height: once it is final, so is the deposit's.
    const height = await cluster!.height(0);
    await waitFinal(0, height, await blockHash(0, height));
  });

  test("a transfer sent with viem gets a receipt, and its block becomes final on L1", async () => {
    const receipt = await sendTransfer(2, recipients[0]!, parseEther("1"));
    assert.equal(receipt.status, "success");
    await waitFinal(2, receipt.blockNumber, receipt.blockHash);
    // Settling is member 0's job while it is alive; the others hold off and find it done.
    assert.ok(cluster!.events(0, "settlement.batch-settled").length > 0, "member 0 settled");
  });

  test("SIGKILL the settling member: blocks committed afterwards still become final", async () => {
    await cluster!.kill(0, "SIGKILL");
    const sentBefore = [1, 2, 3].map((m) => cluster!.events(m, "settlement.batch-settled").length);
    const receipt = await sendTransfer(1, recipients[0]!, parseEther("1"));
    assert.equal(receipt.status, "success");
    await waitFinal(1, receipt.blockNumber, receipt.blockHash);
    await waitFinal(3, receipt.blockNumber, receipt.blockHash);
    const sentAfter = [1, 2, 3].map((m) => cluster!.events(m, "settlement.batch-settled").length);
    assert.ok(sentAfter.some((n, i) => n > sentBefore[i]!), "a surviving member settled once member 0 was gone");
    for (const m of [1, 2, 3]) assert.equal(cluster!.events(m, "l1.alert").length, 0, `member ${m} raised no L1 alert`);
  });

  test("the killed member restarts: it reads L1 again, catches up, and its store follows L1's finality", async () => {
    const finalizedBefore = BigInt((await cluster!.rpc<{ finalizedHeight: string }>(1, "rollup_status")).finalizedHeight);
    await cluster!.start(0);
    const target = await cluster!.height(1);
    await cluster!.waitForHeight([0], target, 120_000);
    // Blocks it re-executed or synced consumed the deposit's Inbox entry: same state as its peers.
    for (const r of recipients) assert.equal(await cluster!.rpc<Hex>(0, "eth_getBalance", [r.address, "latest"]), await cluster!.rpc<Hex>(1, "eth_getBalance", [r.address, "latest"]));
    assert.equal(await blockHash(0, target), await blockHash(1, target));
    await eventually(async () => BigInt((await cluster!.rpc<{ finalizedHeight: string }>(0, "rollup_status")).finalizedHeight) >= finalizedBefore, "the restarted member's store to record L1's finality", 60_000);
    assert.equal(cluster!.events(0, "l1.alert").length, 0, "no L1 alert after the restart");
  });
});
