/**
 * A committee on a real L1 for node tests: a `hardhat node` (startL1), the contracts deployed for
 * four members (deployDevnet), and member configs with an `l1` section (writeL1MemberConfigs).
 * Members are started by the caller (all, or some, with others played by a test harness).
 * `stop()` stops the members, the L1 node, the Redis keys and the temp dir, even after a failure.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, http, type Hex } from "viem";
import { deployDevnet, type DevnetDeployment } from "../../../src/devnet/deploy.ts";
import { startL1, type DevnetL1 } from "../../../src/devnet/l1.ts";
import { writeL1MemberConfigs, type MemberConfigs } from "../../../src/node/devnet.ts";
import { COMMITTEE_ABI, ROLLUP_ABI } from "../../../src/settlement/index.ts";
import { redisUrl, uniquePrefix } from "../../fixtures/redis.ts";
import { distinctFreePorts } from "../../fixtures/ports.ts";
import { memberPorts, TEST_TIMING, TestCluster } from "./cluster.ts";

export const L2_CHAIN_ID = 901n;

export class L1TestCluster {
  readonly dir: string;
  l1: DevnetL1 | undefined;
  deployed: DevnetDeployment | undefined;
  cluster: TestCluster<MemberConfigs> | undefined;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Starts L1 and deploys; if that fails, what was started is stopped before the error is rethrown. */
  static async create(label: string): Promise<L1TestCluster> {
    const self = new L1TestCluster(mkdtempSync(join(tmpdir(), `hotstuff-node-${label}-`)));
    try {
      const free = await distinctFreePorts(3 * 4 + 1);
      self.l1 = await startL1({ port: free[12]!, dataDir: self.dir });
      self.deployed = await deployDevnet({ rpcUrl: self.l1.rpcUrl, deployer: self.l1.accounts[0]!.privateKey, l2ChainId: L2_CHAIN_ID, outFile: join(self.dir, "deployments.json"), members: 4, seed: `test-${label}` });
      const prefix = uniquePrefix(label);
      const configs = writeL1MemberConfigs({
        dir: join(self.dir, "members"),
        deploymentsFile: self.deployed.outFile,
        keysFile: self.deployed.keysFile,
        l1RpcUrl: self.l1.rpcUrl,
        // L1 dev accounts 1..4 (also the fee recipients deployDevnet registers); tests deposit from 10.
        l1PrivateKeys: [1, 2, 3, 4].map((i) => self.l1!.accounts[i]!.privateKey),
        ports: memberPorts(free),
        redisUrl,
        redisPrefix: prefix,
        consensus: TEST_TIMING,
      });
      self.cluster = TestCluster.over(configs, join(self.dir, "members"), prefix);
      return self;
    } catch (e) {
      await self.stop();
      throw e;
    }
  }

  get members(): TestCluster<MemberConfigs> {
    return this.cluster!;
  }

  get contracts() {
    return this.deployed!.deployment.contracts;
  }

  l1Client() {
    return createPublicClient({ transport: http(this.l1!.rpcUrl) });
  }

  async isFinalized(number: bigint, hash: Hex): Promise<boolean> {
    return (await this.l1Client().readContract({ address: this.contracts.rollup, abi: ROLLUP_ABI, functionName: "isFinalized", args: [number, hash] })) as boolean;
  }

  /** Committee.member(id).status: 0 None, 1 Pending, 2 Active, 3 Ejected. */
  async memberStatus(id: number): Promise<number> {
    const record = (await this.l1Client().readContract({ address: this.contracts.committee, abi: COMMITTEE_ABI, functionName: "member", args: [BigInt(id)] })) as readonly unknown[];
    return Number(record[3]);
  }

  /** Members first (they hold L1 connections), then the L1 node, then the files. */
  async stop(): Promise<void> {
    try {
      await this.cluster?.stop();
    } finally {
      await this.l1?.stop();
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
