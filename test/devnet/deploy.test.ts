import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createPublicClient, getAddress, http, parseEther, type Hex, type PublicClient } from "viem";
import { EMPTY_INBOX_HASH, accumulateInboxHash, INBOX_DEPOSIT } from "../../src/protocol/inbox.ts";
import { hashHeader } from "../../src/protocol/header.ts";
import { readArtifact, readDeployment } from "../../src/deployment/contracts.ts";
import { readKeysFile } from "../../src/deployment/committee-keys.ts";
import { l2DevAccounts } from "../../src/devnet/accounts.ts";
import { deployDevnet, DEVNET_UNBONDING_DELAY, type DevnetDeployment } from "../../src/devnet/deploy.ts";
import { readEpochRecords } from "../../src/settlement/committee-records.ts";
import { DevnetError } from "../../src/devnet/errors.ts";
import { readFinalizedHeight, watchFinality } from "../../src/devnet/finality.ts";
import { fundByDeposits } from "../../src/devnet/fund.ts";
import { startL1, type DevnetL1 } from "../../src/devnet/l1.ts";
import { freePort } from "../fixtures/ports.ts";

const dir = mkdtempSync(join(tmpdir(), "devnet-deploy-"));
let l1: DevnetL1 | undefined;
let deployed: DevnetDeployment | undefined;

before(async () => {
  l1 = await startL1({ port: await freePort() });
});
after(async () => {
  await l1?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("deployDevnet", () => {
  test("deploys to the hardhat node, writes the deployments file and the generated committee keys", async () => {
    const outFile = join(dir, "deployments", "devnet.json");
    const endpoints = [0, 1, 2, 3].map((i) => `ws://127.0.0.1:${7000 + i}`);
    deployed = await deployDevnet({ rpcUrl: l1!.rpcUrl, deployer: l1!.accounts[0]!.privateKey, l2ChainId: 901n, outFile, members: 4, endpoints });
    const { deployment } = deployed;
    assert.deepEqual(readDeployment(outFile), deployment);
    assert.equal(deployment.chainId, 31337);
    assert.equal(deployment.l2ChainId, "901");
    assert.equal(deployment.members.length, 4);
    assert.equal(deployment.contracts.inbox, deployment.contracts.bridge);
    assert.equal(deployment.genesis.hash, hashHeader(901n, deployment.contracts.rollup, deployed.genesis));

    const keys = readKeysFile(deployed.keysFile);
    assert.equal(deployed.keysFile, join(dir, "deployments", "committee-keys.json"));
    assert.equal(keys.committee, deployment.contracts.committee);
    assert.ok(keys.members.every((m) => m.secretKey !== undefined), "generated devnet keys carry their secret keys for the members");
    assert.deepEqual(deployment.members.map((m) => m.feeRecipient), l1!.accounts.slice(1, 5).map((a) => a.address));

    const client = createPublicClient({ transport: http(l1!.rpcUrl) });
    const rollup = readArtifact("Rollup");
    assert.equal(
      await client.readContract({ address: deployment.contracts.rollup, abi: rollup.abi, functionName: "isFinalized", args: [0n, deployment.genesis.hash] }),
      true,
    );
    assert.equal(await client.getBalance({ address: deployment.contracts.committee }), 4n * 10n ** 18n);
    // Governed membership: the deployer (dev account 0) governs; each member's operator is its
    // fee recipient and its p2p endpoint is on L1, read per epoch.
    assert.equal(deployment.governance, getAddress(l1!.accounts[0]!.address));
    assert.equal(deployment.unbondingDelay, DEVNET_UNBONDING_DELAY.toString());
    const records = await readEpochRecords(client as PublicClient, deployment.contracts.committee, 1n);
    assert.deepEqual(records.map((r) => [r.memberId, r.endpoint, r.feeRecipient]), endpoints.map((e, i) => [i, e, getAddress(l1!.accounts[1 + i]!.address)]));
    assert.deepEqual(deployment.members.map((m) => m.operator), deployment.members.map((m) => m.feeRecipient));
  });

  test("the Rollup's finalized head starts at the genesis, as bench:e2e's finality watch reads it", async () => {
    const { contracts } = deployed!.deployment;
    assert.equal(await readFinalizedHeight(l1!.rpcUrl, contracts.rollup), 0n);
    const watch = await watchFinality({ l1RpcUrl: l1!.rpcUrl, rollup: contracts.rollup, pollIntervalMs: 20 });
    try {
      assert.equal(watch.height(), 0n);
      assert.equal(await watch.waitFor(0n, 1_000), true);
      assert.equal(await watch.waitFor(1n, 100), false);
      assert.equal(watch.finalizedAt(1n), undefined);
    } finally {
      await watch.stop();
    }
  });

  test("refuses a keys file made for another L2 chain", async () => {
    await assert.rejects(
      deployDevnet({ rpcUrl: l1!.rpcUrl, deployer: l1!.accounts[0]!.privateKey, l2ChainId: 902n, outFile: join(dir, "other.json"), keysFile: deployed!.keysFile }),
      (error: unknown) => error instanceof DevnetError && error.code === "KEYS_MISMATCH" && /L2 chain 901, not 902/.test(error.message),
    );
  });
});

describe("fundByDeposits", () => {
  test("real Bridge.deposit transactions make Inbox entries with the Inbox's accumulated hash", async () => {
    const { contracts } = deployed!.deployment;
    const recipients = l2DevAccounts(3).map((a, i) => ({ address: a.address, amount: parseEther(String(100 + i)) }));
    const funder = l1!.accounts[5]!;
    const entries = await fundByDeposits({ rpcUrl: l1!.rpcUrl, bridge: contracts.bridge, from: funder.privateKey, recipients });

    assert.deepEqual(entries.map((e) => e.index), [0n, 1n, 2n]);
    const client = createPublicClient({ transport: http(l1!.rpcUrl) });
    const bridge = readArtifact("Bridge");
    let accumulated: Hex = EMPTY_INBOX_HASH;
    for (const [i, entry] of entries.entries()) {
      assert.equal(entry.kind, INBOX_DEPOSIT);
      assert.equal(entry.sender, funder.address);
      assert.equal(entry.recipient, recipients[i]!.address);
      assert.equal(entry.value, recipients[i]!.amount);
      assert.equal(entry.data, "0x");
      const receipt = await client.getTransactionReceipt({ hash: entry.transactionHash });
      assert.equal(entry.l1Block, receipt.blockNumber);
      accumulated = accumulateInboxHash(accumulated, entry);
      assert.equal(entry.accumulatedHash, accumulated, `entry ${i}: the emitted hash is the one src/protocol/inbox.ts computes`);
    }
    assert.equal(await client.readContract({ address: contracts.bridge, abi: bridge.abi, functionName: "inboxCount" }), 3n);
    assert.equal(await client.readContract({ address: contracts.bridge, abi: bridge.abi, functionName: "accumulatedHash", args: [3n] }), accumulated);
    assert.equal(await client.getBalance({ address: contracts.bridge }), parseEther("303"));
  });

  test("refuses a zero amount before sending anything", async () => {
    const { contracts } = deployed!.deployment;
    const client = createPublicClient({ transport: http(l1!.rpcUrl) });
    const before = await client.getTransactionCount({ address: l1!.accounts[6]!.address });
    const [recipient] = l2DevAccounts(1);
    await assert.rejects(
      fundByDeposits({ rpcUrl: l1!.rpcUrl, bridge: contracts.bridge, from: l1!.accounts[6]!.privateKey, recipients: [{ address: recipient!.address, amount: 0n }] }),
      /recipients\[0\]\.amount must be > 0 wei, got 0/,
    );
    assert.equal(await client.getTransactionCount({ address: l1!.accounts[6]!.address }), before);
  });
});

test("the deployments file is plain JSON", () => {
  const text = readFileSync(deployed!.outFile, "utf8");
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(deployed!.deployment)));
});
