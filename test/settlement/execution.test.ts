/**
 * The whole L1 path with real execution: the node's genesis is rebuilt from the deployments file
 * (the block L1 was deployed with), a deposit made on L1 reaches the leaders through the
 * follower, execution mints it in a block (real state root, real block data, Inbox cursor and
 * hash), four Cores commit it, and L1 settles those headers: its data-hash and Inbox checks
 * accept what execution produced from what the follower read.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, type Address, type Hex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { Block } from "../../src/consensus/index.ts";
import { BlockStates, buildBlock, encodeBlockData, executeBlock, ExecutionError, type ExecutionConfig } from "../../src/execution/index.ts";
import { hashHeader } from "../../src/protocol/header.ts";
import { connectL1, L1Follower, SettlementWorker, StoredChain, TransactionSender } from "../../src/settlement/index.ts";
import { genesisFromDeployment, storeIdentityOf } from "../../src/deployment/contracts.ts";
import { deploySystem } from "../contracts/fixtures.ts";
import { openStore, recordCommit, runCommittee } from "./harness.ts";

const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
const { viem, provider } = await network.create();
const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((c) => c()));

describe("settlement with execution", () => {
  test("a deposit read by the follower is minted by execution in a committed block that L1 settles", async () => {
    const system = await deploySystem(viem, { n: 4, inclusionDeadline: 40n, seed: "execution" });
    const { deployment } = system;
    const chainId = BigInt(deployment.l2ChainId);
    const rollup = deployment.contracts.rollup;
    const config: ExecutionConfig = {
      chainId,
      initialBaseFee: BigInt(deployment.genesis.initialBaseFee),
      blockGasLimit: 30_000_000n,
      maxTransactionsPerBlock: 100,
      maxInboxEntriesPerBlock: 16,
      inboxInclusionDeadline: BigInt(deployment.inclusionDeadline),
    };
    const genesis = genesisFromDeployment(deployment);
    const genesisBlock: Block = { header: genesis.header, justify: { view: 0n, blockHash: genesis.hash, signers: 0n, signature: null }, payload: encodeBlockData([]) };
    const opened = openStore(storeIdentityOf(deployment), genesisBlock);
    cleanups.push(opened.remove);

    const l1 = connectL1({ provider, account: mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 12 }) });
    const follower = new L1Follower({ l1, contracts: { rollup, committee: deployment.contracts.committee, bridge: deployment.contracts.bridge }, fromBlock: BigInt(deployment.deployBlock) });
    const recipient = getAddress(system.wallets[9]!.account.address);
    await system.publicClient.waitForTransactionReceipt({ hash: await system.bridge.write.deposit([recipient], { value: parseEther("3"), account: system.wallets[5]!.account }) });
    await follower.poll();
    assert.equal(follower.inboxEntries().length, 1);

    // Each member runs execution on its own state, as the node does (DEVELOPERS, Execution).
    const hashOf = (block: Block) => hashHeader(chainId, rollup, block.header);
    const statesOf = system.keys.map(() => new BlockStates(genesisFromDeployment(deployment).state, { hash: genesis.hash, header: genesis.header }));
    const run = runCommittee({
      keys: system.keys,
      domain: system.domain,
      genesis: genesisBlock,
      onCommit: (a) => {
        statesOf[0]!.commit(a.blocks[a.blocks.length - 1]!.hash);
        recordCommit(opened.store, a);
      },
      payloadOf: (member) => ({
        buildPayload: (parent, view) => {
          const parentHash = hashOf(parent);
          const built = buildBlock({ config, parent: parent.header, parentHash, blockHashes: () => undefined, state: statesOf[member]!.stateAfter(parentHash), view, timestamp: parent.header.timestamp + 1n,
            proposer: deployment.members[member]!.feeRecipient as Address, l1Origin: follower.l1Head(), l1OriginHash: follower.hashAt(follower.l1Head()) ?? parent.header.l1OriginHash, inbox: follower.inboxEntries(), mempool: [] });
          statesOf[member]!.add(hashHeader(chainId, rollup, { ...built.header, view }), built);
          const { number: _n, view: _v, parentHash: _p, ...fields } = built.header;
          return { payload: built.blockData, fields };
        },
        validateBlock: (block, parent) => {
          try {
            const parentHash = hashOf(parent);
            const result = executeBlock({ config, parent: parent.header, parentHash, blockHashes: () => undefined, state: statesOf[member]!.stateAfter(parentHash), header: block.header, blockData: block.payload, inbox: follower.inboxEntries(), knownTransaction: () => undefined });
            statesOf[member]!.add(hashOf(block), result);
            return { ok: true };
          } catch (e) {
            if (e instanceof ExecutionError) return { ok: false, reason: e.message };
            throw e;
          }
        },
      }),
    });
    run.commitUntil(4n);
    const committed = new StoredChain(opened.store, run.signers[0]!);
    const first = committed.block(1n)!.block.header;
    assert.equal(first.parentHash, genesis.hash);
    assert.equal(first.inboxCursor, 1n, "block 1 consumed the deposit");
    assert.equal(statesOf[0]!.stateAfter(committed.committedHead()!.hash).getAccount(recipient.toLowerCase() as Address).balance, parseEther("3"), "minted on L2");

    const settled = await new SettlementWorker({ l1, rollup, chain: committed, sender: new TransactionSender(l1), log: () => {} }).settleCommitted();
    const head = committed.committedHead()!;
    assert.deepEqual(settled.finalized, { number: head.number, hash: head.hash as Hex });
    const [, stateRoot] = await system.rollup.read.finalizedBlock([head.number]);
    assert.equal(stateRoot, committed.block(head.number)!.block.header.stateRoot, "L1 records execution's state root");
  });
});
