/**
 * The L2 state at a finalized block, rebuilt from L1 alone: what a user needs when no member
 * answers (DESIGN §6, escape hatch). L1 holds everything the L2 ran on:
 *  - genesis: the deployments file's inputs (genesisFromDeployment), checked against the genesis
 *    hash the Rollup was deployed with (`finalizedBlock(0)`);
 *  - every finalized header with its block data: the calldata of the `settle` transactions that
 *    finalized it (`BatchSettled` names them), each header checked against its `BlockFinalized` hash;
 *  - the Inbox entries (deposits, forced transactions): `InboxEntryAppended`, checked against the
 *    Inbox's own accumulated hash (readL1Range).
 * Each block is re-executed with the code every member runs before voting (executeBlock), which
 * checks the block's state root among the rest; so the rebuilt state is the one L1 finalized, or
 * this fails with L1_DATA_MISMATCH naming the block. The execution parameters are the members'
 * defaults with the deployment's (DEFAULT_EXECUTION, as a member's config without overrides).
 */
import { decodeFunctionData, type Hex } from "viem";
import { genesisFromDeployment, readDeployment, type Deployment } from "../deployment/contracts.ts";
import { executeBlock, type ExecutionConfig, type MemoryState } from "../execution/index.ts";
import { DEFAULT_EXECUTION } from "../node/config.ts";
import { hashHeader, type Header } from "../protocol/header.ts";
import { EMPTY_INBOX_HASH } from "../protocol/inbox.ts";
import { fromSolidityHeader, type SolidityHeader } from "../protocol/solidity.ts";
import { ROLLUP_ABI } from "../settlement/abi.ts";
import { readL1Range } from "../settlement/l1-range.ts";
import type { Endpoint } from "./endpoints.ts";
import { ClientError, shortMessage } from "./errors.ts";

export interface RebuiltState {
  readonly number: bigint;
  readonly hash: Hex;
  readonly header: Header;
  readonly state: MemoryState;
}

/** The L2 state after finalized block `number`, from the deployments file and L1 only. */
export async function rebuildStateFromL1(o: { l1: Endpoint; deploymentsFile: string; number: bigint; onProgress?: (text: string) => void }): Promise<RebuiltState> {
  const deployment = readDeploymentFile(o.deploymentsFile);
  const chainId = BigInt(deployment.l2ChainId);
  const rollup = deployment.contracts.rollup;
  const config: ExecutionConfig = { ...DEFAULT_EXECUTION, chainId, initialBaseFee: BigInt(deployment.genesis.initialBaseFee), inboxInclusionDeadline: BigInt(deployment.inclusionDeadline) };

  let genesis: ReturnType<typeof genesisFromDeployment>;
  try {
    genesis = genesisFromDeployment(deployment);
  } catch (cause) {
    throw new ClientError("L1_DATA_MISMATCH", `cannot rebuild the genesis from ${o.deploymentsFile}: ${shortMessage(cause)}`, { cause });
  }
  const genesisHash = genesis.hash;
  const [deployedGenesis] = (await o.l1.client.readContract({ address: rollup, abi: ROLLUP_ABI, functionName: "finalizedBlock", args: [0n] })) as readonly [Hex, Hex, Hex];
  if (genesisHash !== deployedGenesis) {
    throw new ClientError("L1_DATA_MISMATCH", `the genesis rebuilt from ${o.deploymentsFile} hashes to ${genesisHash}, but the Rollup at ${rollup} was deployed with ${deployedGenesis}`);
  }

  const toBlock = await o.l1.client.getBlockNumber();
  const range = await readL1Range(o.l1.client, deployment.contracts, { fromBlock: BigInt(deployment.deployBlock), toBlock, entries: 0, accumulated: EMPTY_INBOX_HASH });
  o.onProgress?.(`read L1 blocks ${deployment.deployBlock}..${toBlock}: ${range.entries.length} Inbox entries, ${range.settled.length} settled batches`);

  const blocks = new Map<bigint, { header: Header; blockData: Hex }>();
  for (const batch of range.settled) {
    if (batch.from > o.number) continue;
    const tx = await o.l1.client.getTransaction({ hash: batch.l1TxHash });
    let headers: readonly SolidityHeader[];
    let data: readonly Hex[];
    try {
      if (tx.to?.toLowerCase() !== rollup.toLowerCase()) throw new Error(`it calls ${tx.to}, not the Rollup`);
      const call = decodeFunctionData({ abi: ROLLUP_ABI, data: tx.input });
      if (call.functionName !== "settle") throw new Error(`it calls ${call.functionName}`);
      [headers, data] = call.args as unknown as [readonly SolidityHeader[], readonly Hex[]];
    } catch (cause) {
      throw new ClientError("L1_DATA_MISMATCH", `the L1 transaction ${batch.l1TxHash} that settled blocks ${batch.from}..${batch.to} is not a direct Rollup.settle call (${shortMessage(cause)}): its block data cannot be read from its calldata`, { cause });
    }
    headers.forEach((h, i) => {
      const header = fromSolidityHeader(h);
      if (header.number >= batch.from && header.number <= batch.to) blocks.set(header.number, { header, blockData: data[i]! });
    });
  }

  const state = genesis.state;
  let parent = genesis.header;
  let parentHash = genesisHash;
  /** The last 256 blocks' hashes, which BLOCKHASH reads. */
  const hashes = new Map<bigint, Hex>([[0n, genesisHash]]);
  for (let number = 1n; number <= o.number; number++) {
    const block = blocks.get(number);
    const finalizedHash = range.finalizedHashes.get(number);
    if (block === undefined || finalizedHash === undefined) {
      throw new ClientError("L1_DATA_MISMATCH", `L2 block ${number} is not finalized on L1 (no BlockFinalized event and settle calldata for it up to L1 block ${toBlock})`);
    }
    const hash = hashHeader(chainId, rollup, block.header);
    if (hash !== finalizedHash) throw new ClientError("L1_DATA_MISMATCH", `L2 block ${number} in the settle calldata hashes to ${hash}, but L1 finalized ${finalizedHash}`);
    try {
      const result = executeBlock({ config, parent, parentHash, blockHashes: (n) => hashes.get(n), state, header: block.header, blockData: block.blockData, inbox: range.entries });
      state.commit(result.changes);
    } catch (cause) {
      throw new ClientError("L1_DATA_MISMATCH", `re-executing L2 block ${number} from L1's data failed: ${(cause as Error).message}`, { cause });
    }
    parent = block.header;
    parentHash = hash;
    hashes.set(number, hash);
    hashes.delete(number - 256n);
  }
  o.onProgress?.(`re-executed L2 blocks 1..${o.number}: state root ${state.stateRoot()}`);
  return { number: o.number, hash: parentHash, header: parent, state };
}

function readDeploymentFile(file: string): Deployment {
  try {
    return readDeployment(file);
  } catch (cause) {
    throw new ClientError("BAD_DEPLOYMENT", `cannot read the deployments file ${file}: ${shortMessage(cause)}`, { cause });
  }
}
