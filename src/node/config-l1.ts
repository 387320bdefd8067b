/**
 * The `l1` section of a member's configuration, and what the deployments file it names fixes:
 * the domain, genesis, the genesis committee (when the config leaves it out) and the execution
 * parameters L1 enforces. src/node/config.ts parses the rest of the file and calls in here when
 * the section is present; every refusal names the field and the value, as there.
 */
import { getAddress, type Hex } from "viem";
import type { L1Depth } from "../settlement/index.ts";
import { PublicKey } from "../crypto/index.ts";
import { checkEndpoint } from "../settlement/committee-records.ts";
import type { Domain } from "../protocol/domain.ts";
import { genesisFromDeployment, readDeployment, type Deployment } from "../deployment/contracts.ts";
import { type Obj, fail, object, int, big, str, address, url, resolvePath, keyText } from "./config-fields.ts";
import type { CommitteeMember, NodeConfig } from "./config.ts";

export interface L1Config {
  readonly rpcUrl: string;
  /** The deployments file's path, and what it holds. */
  readonly deployments: string;
  readonly deployment: Deployment;
  /** The L1 account that pays for settlement and evidence. Never logged or echoed in errors. */
  readonly privateKey: Hex;
  /**
   * How deep an L1 block must be before this member reads it (its Inbox entries, its hash as an
   * l1Origin): a number of blocks below the tip, or the `safe` / `finalized` tag of an L1 that
   * has them. Blocks built on what the member read must not be undone by an L1 reorg: 0 only
   * where L1 does not reorganise (the devnet), "finalized" (or enough blocks) on a real L1.
   */
  readonly confirmations: L1Depth;
  /** How often the L1 follower polls. */
  readonly pollIntervalMs: number;
  /**
   * A leader gives a new block the newest L1 head it has known for at least this long: the other
   * members poll on their own schedule, and a block whose l1Origin is beyond a member's L1 view
   * gets no vote from it (it cannot check the Inbox entries up to there).
   */
  readonly originDelayMs: number;
  /**
   * Member i settles a committed block only once it is i × this old and still not final on L1, so
   * member 0 settles and the others step in only when it stalls (src/node/l1.ts).
   */
  readonly settleHoldOffMs: number;
}

export const DEFAULT_L1 = { pollIntervalMs: 1_000, settleHoldOffMs: 2_000 } as const;

/**
 * Deepest numeric l1.confirmations: a block's l1Origin must still be among the last 256 L1 blocks
 * when the block settles, so that the Rollup can check its hash (contracts/Rollup.sol); half of
 * that leaves the other half for the origin delay and settlement.
 */
export const MAX_CONFIRMATIONS = 128;

/**
 * l1.confirmations: a number of blocks, or "safe" / "finalized". A numeric depth must also leave
 * the committee time to consume an Inbox entry before it is due (inclusionDeadline blocks after
 * it was posted): a member reads it only that deep.
 */
function parseDepth(v: unknown, inclusionDeadline: bigint): L1Depth {
  const path = "l1.confirmations";
  if (v === "safe" || v === "finalized") return v;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) fail(path, `expected a number of L1 blocks (0 reads the tip), "safe" or "finalized"`, v);
  if (v > MAX_CONFIRMATIONS) fail(path, `must be at most ${MAX_CONFIRMATIONS}: a block's l1Origin must still be within the 256 L1 blocks whose hashes the Rollup can check when it settles (use "finalized" on a real L1)`, v);
  if (BigInt(v) >= inclusionDeadline) fail(path, `must be below the Rollup's inclusionDeadline ${inclusionDeadline}: a member reads an Inbox entry only once it is that deep, and it is due ${inclusionDeadline} blocks after it was posted`, v);
  return BigInt(v);
}

function privateKey(x: Obj, base: string): Hex {
  const { hex, path } = keyText(x, "privateKey", "l1.", base, ": the L1 account that pays for settlement");
  // Like the BLS key: never echoed.
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex) || /^0x0{64}$/.test(hex)) fail(path, "expected a 32-byte secp256k1 private key as 0x hex");
  return hex.toLowerCase() as Hex;
}

/**
 * The l1 section, and what the deployments file fixes: the domain (L2 chain id, Rollup address,
 * genesis epoch), genesis (rebuilt and checked against the deployed hash), the committee's keys in
 * order, and the execution parameters L1 enforces. A value the config also gives must agree: a
 * member signing for another Rollup or epoch than the one it settles on would be useless, and one
 * executing with another inclusion deadline would build blocks L1 refuses.
 */
export function parseL1(o: Obj, base: string, committee: readonly CommitteeMember[]): { l1: L1Config; domain: Domain; genesis: NodeConfig["genesis"] } {
  const x = object(o.l1, "l1", ["rpcUrl", "deployments", "confirmations"], ["privateKey", "privateKeyFile", "pollIntervalMs", "originDelayMs", "settleHoldOffMs"]);
  const rpcUrl = url(x.rpcUrl, "l1.rpcUrl", ["http:", "https:"]);
  const deployments = resolvePath(str(x.deployments, "l1.deployments"), base);
  let deployment: Deployment;
  try {
    deployment = readDeployment(deployments);
  } catch (e) {
    fail("l1.deployments", `cannot read the deployments file ${deployments}: ${(e as Error).message}`);
  }
  if (o.genesis !== undefined) fail("genesis", "must be absent when l1 is set: genesis comes from the deployments file (l1.deployments)");
  const domain: Domain = { chainId: BigInt(deployment.l2ChainId), rollup: getAddress(deployment.contracts.rollup), epoch: BigInt(deployment.epoch) };
  if (o.chainId !== undefined && big(o.chainId, "chainId", 1n) !== domain.chainId) fail("chainId", `differs from the deployment's L2 chain id ${domain.chainId} (${deployments})`, o.chainId);
  if (o.rollup !== undefined && address(o.rollup, "rollup") !== domain.rollup) fail("rollup", `differs from the deployment's Rollup ${domain.rollup} (${deployments})`, o.rollup);
  if (o.epoch !== undefined && big(o.epoch, "epoch") !== domain.epoch) fail("epoch", `differs from the deployment's epoch ${domain.epoch} (${deployments})`, o.epoch);
  if (deployment.members.length !== committee.length) fail("committee", `has ${committee.length} members, the deployment registered ${deployment.members.length} (${deployments})`);
  committee.forEach((c, i) => {
    if (c.publicKey.toEip2537().toLowerCase() !== deployment.members[i]!.publicKey.toLowerCase()) {
      fail(`committee[${i}].publicKey`, `is not the key the deployment registered as member ${i} (${deployments}); the committee must be listed in the deployment's order`);
    }
  });
  let genesis;
  try {
    genesis = genesisFromDeployment(deployment);
  } catch (e) {
    fail("l1.deployments", (e as Error).message);
  }
  const pollIntervalMs = x.pollIntervalMs === undefined ? DEFAULT_L1.pollIntervalMs : int(x.pollIntervalMs, "l1.pollIntervalMs", 10, 600_000);
  const l1: L1Config = {
    rpcUrl,
    deployments,
    deployment,
    privateKey: privateKey(x, base),
    confirmations: parseDepth(x.confirmations, BigInt(deployment.inclusionDeadline)),
    pollIntervalMs,
    // Two polls: by then every member that polls on schedule has read that head too.
    originDelayMs: x.originDelayMs === undefined ? 2 * pollIntervalMs : int(x.originDelayMs, "l1.originDelayMs", 0, 600_000),
    settleHoldOffMs: x.settleHoldOffMs === undefined ? DEFAULT_L1.settleHoldOffMs : int(x.settleHoldOffMs, "l1.settleHoldOffMs", 0, 600_000),
  };
  return {
    l1,
    domain,
    genesis: { timestamp: genesis.header.timestamp, l1Origin: genesis.header.l1Origin, l1OriginHash: genesis.header.l1OriginHash, balances: [...genesis.state.accounts()].map(([a, acc]) => [a, acc.balance] as const) },
  };
}

/**
 * Without a `committee` section, the genesis committee the deployments file records (keys, fee
 * recipients, endpoints if the deployment registered any), in member id order, as config JSON
 * for the checks in config.ts. A deployments file that cannot be read is reported by parseL1.
 */
export function deploymentCommittee(o: Obj, base: string): unknown[] {
  if (typeof o.l1 !== "object" || o.l1 === null || typeof (o.l1 as Obj).deployments !== "string") return [];
  let deployment: Deployment;
  try {
    deployment = readDeployment(resolvePath((o.l1 as Obj).deployments as string, base));
  } catch {
    return [];
  }
  return deployment.members.map((m, i) => {
    if (m.memberId !== i) fail("l1.deployments", `lists member id ${m.memberId} at position ${i}: the genesis members must be listed in id order`);
    let publicKeyHex: string;
    try {
      publicKeyHex = PublicKey.fromEip2537(m.publicKey).toHex();
    } catch (e) {
      fail("l1.deployments", `member ${i}'s key is not a valid BLS12-381 G1 point: ${(e as Error).message}`);
    }
    const endpoint = m.endpoint !== undefined && m.endpoint !== "" && checkEndpoint(m.endpoint) === undefined ? m.endpoint : undefined;
    return { publicKey: publicKeyHex, feeRecipient: m.feeRecipient, ...(endpoint === undefined ? {} : { url: endpoint }) };
  });
}
