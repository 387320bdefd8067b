import assert from "node:assert/strict";
import { test } from "node:test";
import { network } from "hardhat";
import HotstuffRollup from "../../ignition/modules/HotstuffRollup.ts";
import { devnetKeysFile, predictContractAddress } from "../../src/deployment/committee-keys.ts";
import { genesisHeader, genesisMember } from "../../src/deployment/contracts.ts";
import { toSolidityHeader } from "../../src/protocol/solidity.ts";

const { viem, ignition } = await network.create();

test("the Ignition module deploys a sealed committee and its Rollup", async () => {
  const publicClient = await viem.getPublicClient();
  const [deployer, ...others] = await viem.getWalletClients();
  const nonce = await publicClient.getTransactionCount({ address: deployer!.account.address });
  const keys = devnetKeysFile({
    size: 4,
    seed: "ignition",
    l2ChainId: 903n,
    committee: predictContractAddress(deployer!.account.address, nonce),
    feeRecipients: others.slice(0, 4).map((w) => w.account.address),
  });
  const { committee, rollup, bridge } = await ignition.deploy(HotstuffRollup, {
    parameters: {
      HotstuffRollup: {
        l2ChainId: 903n,
        minimumBond: 1000n,
        inclusionDeadline: 8n,
        genesis: toSolidityHeader(genesisHeader(await publicClient.getBlockNumber())),
        unbondingDelay: 60n,
        governance: deployer!.account.address,
        members: keys.members.map(genesisMember),
        genesisBonds: 4000n,
      },
    },
  });
  assert.equal(await committee.read.currentEpoch(), 1n);
  assert.equal((await committee.read.governance()).toLowerCase(), deployer!.account.address.toLowerCase());
  assert.equal((await committee.read.rollup()).toLowerCase(), rollup.address.toLowerCase());
  assert.equal((await bridge.read.rollup()).toLowerCase(), rollup.address.toLowerCase());
});
