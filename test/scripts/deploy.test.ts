import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { parseEther } from "viem";
import { hashHeader } from "../../src/protocol/header.ts";
import { devnetKeysFile, predictContractAddress } from "../../src/deployment/committee-keys.ts";
import { deployContracts, readDeployment } from "../../src/deployment/contracts.ts";

const { viem } = await network.create();

describe("deployContracts (the path scripts/deploy.ts runs)", () => {
  test("deploys, registers the committee from a keys file and describes the deployment", async () => {
    const publicClient = await viem.getPublicClient();
    const [deployer, ...others] = await viem.getWalletClients();
    const nonce = await publicClient.getTransactionCount({ address: deployer!.account.address });
    const keys = devnetKeysFile({
      size: 5,
      seed: "deploy-test",
      l2ChainId: 902n,
      committee: predictContractAddress(deployer!.account.address, nonce),
      feeRecipients: others.slice(0, 5).map((w) => w.account.address),
    });
    const { deployment, genesis, committee, rollup } = await deployContracts(viem, {
      keys,
      minimumBond: parseEther("2"),
      inclusionDeadline: 16n,
      genesis: { timestamp: 1_700_000_000n },
      chunkSize: 2,
    });
    assert.equal(deployment.l2ChainId, "902");
    assert.equal(deployment.epoch, "1");
    assert.equal(deployment.contracts.inbox, deployment.contracts.bridge);
    assert.equal(deployment.genesis.hash, hashHeader(902n, rollup.address, genesis));
    assert.equal(deployment.genesis.header.timestamp, "1700000000");
    assert.deepEqual(await committee.read.epochMembers([1n]), [0, 1, 2, 3, 4]);
    assert.equal(await rollup.read.isFinalized([0n, deployment.genesis.hash]), true);
    assert.equal(await publicClient.getBalance({ address: committee.address }), parseEther("10"));
    assert.deepEqual(JSON.parse(JSON.stringify(deployment)), deployment, "the deployment is plain JSON");
    const dir = mkdtempSync(join(tmpdir(), "deployments-"));
    try {
      const path = join(dir, "hardhat.json");
      writeFileSync(path, JSON.stringify(deployment));
      assert.deepEqual(readDeployment(path), deployment);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("refuses a keys file made for another Committee address, before sending anything", async () => {
    const [, other] = await viem.getWalletClients();
    const keys = devnetKeysFile({ size: 1, seed: "x", l2ChainId: 902n, committee: other!.account.address, feeRecipients: [other!.account.address] });
    await assert.rejects(deployContracts(viem, { keys, minimumBond: 1n, inclusionDeadline: 1n }), /proofs of possession are for Committee/);
  });

  test("refuses an inclusionDeadline outside the Rollup's range, before sending anything, naming the value", async () => {
    const publicClient = await viem.getPublicClient();
    const [deployer, other] = await viem.getWalletClients();
    const nonce = await publicClient.getTransactionCount({ address: deployer!.account.address, blockTag: "pending" });
    const keys = devnetKeysFile({ size: 4, seed: "x", l2ChainId: 902n, committee: predictContractAddress(deployer!.account.address, nonce), feeRecipients: [other!.account.address] });
    for (const deadline of [0n, 1n, 216_001n]) {
      await assert.rejects(deployContracts(viem, { keys, minimumBond: 1n, inclusionDeadline: deadline }), new RegExp(`^RangeError: inclusionDeadline ${deadline} is outside 2\\.\\.216000 L1 blocks`));
    }
    assert.equal(await publicClient.getTransactionCount({ address: deployer!.account.address, blockTag: "pending" }), nonce, "nothing was sent");
  });
});
