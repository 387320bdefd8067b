/**
 * One genesis for L1, consensus and execution: the deployment makes the Rollup's genesis header
 * with execution's createGenesis, and a node rebuilds the same block (same hash) from the
 * deployments file alone, pre-funded balances included.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { network } from "hardhat";
import { parseEther, type Address } from "viem";
import { createGenesis } from "../../src/execution/index.ts";
import { hashHeader } from "../../src/protocol/header.ts";
import { hashBlock } from "../../src/consensus/index.ts";
import { devnetKeysFile, predictContractAddress } from "../../src/deployment/committee-keys.ts";
import { deployContracts, genesisFromDeployment, type Deployment } from "../../src/deployment/contracts.ts";
import { genesisBlock } from "../settlement/harness.ts";

const { viem } = await network.create();

describe("genesis", () => {
  test("the Rollup's genesis is execution's createGenesis, and a node rebuilds it from the deployments file", async () => {
    const publicClient = await viem.getPublicClient();
    const [deployer, ...others] = await viem.getWalletClients();
    const nonce = await publicClient.getTransactionCount({ address: deployer!.account.address });
    const keys = devnetKeysFile({ size: 4, seed: "genesis", l2ChainId: 903n, committee: predictContractAddress(deployer!.account.address, nonce), feeRecipients: [others[0]!.account.address] });
    const balances: [Address, bigint][] = [[others[1]!.account.address, parseEther("100")], [others[2]!.account.address, 7n]];
    const { deployment, rollup } = await deployContracts(viem, { keys, minimumBond: parseEther("1"), inclusionDeadline: 8n, genesis: { timestamp: 1_700_000_000n, initialBaseFee: 7n, balances } });

    const deployBlock = await publicClient.getBlock({ blockNumber: BigInt(deployment.deployBlock) });
    const expected = createGenesis({ config: { initialBaseFee: 7n }, timestamp: 1_700_000_000n, l1Origin: deployBlock.number, l1OriginHash: deployBlock.hash, balances });
    const [, finalizedHash] = await rollup.read.finalizedHead();
    assert.equal(finalizedHash, hashHeader(903n, rollup.address, expected.header), "L1's genesis is execution's genesis");
    assert.equal(deployment.genesis.hash, finalizedHash);
    assert.notEqual(expected.header.stateRoot, createGenesis({ config: { initialBaseFee: 7n }, timestamp: 0n, l1Origin: 0n, balances: [] }).header.stateRoot, "the balances are in the state root");

    const rebuilt = genesisFromDeployment(JSON.parse(JSON.stringify(deployment)) as Deployment);
    assert.deepEqual(rebuilt.header, expected.header);
    assert.equal(rebuilt.state.stateRoot(), expected.state.stateRoot());
    const domain = { chainId: 903n, rollup: rollup.address, epoch: 1n };
    assert.equal(hashBlock(domain, genesisBlock(rebuilt.header)), finalizedHash, "consensus hashes the same genesis block");

    const edited = { ...deployment, genesis: { ...deployment.genesis, balances: { [others[1]!.account.address]: "1" } } };
    assert.throws(() => genesisFromDeployment(edited), /hashes to .* but the Rollup was deployed with/);
  });
});
