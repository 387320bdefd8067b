/**
 * A member's configuration file (JSON), validated strictly at the boundary: every refusal names
 * the field and the bad value, so an operator fixes a typo from the message alone. Everything
 * the rest of the node reads comes out of `parseNodeConfig` typed and checked; nothing else
 * looks at the raw file.
 *
 * The committee section is the same in every member's file (order = member id: the deployment
 * seats the genesis members in that order); a member differs only in `member`, its key, its
 * listen ports, data dir and queue prefix. It is only the genesis bootstrap: members admitted
 * later are learnt from L1 (src/node/directory.ts). With an `l1` section both may be left out:
 * the genesis committee then comes from the deployments file, and the member id from L1 (the
 * id its key was registered under, resolved at start: src/node/identity.ts), so a new member's
 * config needs only the deployment, its keys and its listen address. The `l1` section, and what
 * the deployments file fixes, is parsed in config-l1.ts.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { zeroHash, type Address, type Hex } from "viem";
import type { PublicKey, SecretKey } from "../crypto/index.ts";
import { DEFAULT_MEMPOOL_LIMITS, MAX_TRANSACTION_BYTES, type ExecutionConfig, type MempoolLimits } from "../execution/index.ts";
import type { Domain } from "../protocol/domain.ts";
import type { Deployment } from "../deployment/contracts.ts";
import { BYZANTINE_MODES, type ByzantineMode } from "../byzantine/modes.ts";
import { ConfigError, type Obj, fail, object, int, num, big, str, address, url, publicKey, secretKey, resolvePath } from "./config-fields.ts";
import { deploymentCommittee, parseL1, type L1Config } from "./config-l1.ts";

export { ConfigError };

export interface CommitteeMember {
  readonly publicKey: PublicKey;
  /** ws://host:port where this member's p2p listener is reachable; undefined if the deployment recorded none. */
  readonly url: string | undefined;
  /** Where the priority fees of blocks it proposes go. */
  readonly feeRecipient: Address;
}

export interface ConsensusTiming {
  /** A view's duration after a QC (the pacemaker's base timeout). */
  readonly baseTimeoutMs: number;
  readonly backoffFactor: number;
  readonly maxTimeoutMs: number;
  /** Least time between two proposals of this member while transactions wait. */
  readonly minBlockIntervalMs: number;
  /** Least time between two proposals while the mempool is empty (an idle devnet must not spin). */
  readonly emptyBlockIntervalMs: number;
  /** Committed blocks the core keeps in memory for sync answers; older ones are served from disk. */
  readonly archiveBlocks: number;
  /**
   * How long the link to the member a view depends on (its leader, or the next leader once this
   * member voted) may be down before the member gives that view up instead of waiting out its
   * timeout: a crashed member's sockets close at once, a flapping link redials well within it.
   * 0: never give up early.
   */
  readonly leaderLinkGraceMs: number;
}

export interface NodeConfig {
  /** The file it came from, for messages. */
  readonly file: string;
  /**
   * This member's id (L1's member id; committee[member] for a genesis member). UNRESOLVED_MEMBER
   * when the config leaves it to L1: Member.start resolves it before anything uses it.
   */
  readonly member: number;
  readonly secretKey: SecretKey;
  readonly committee: readonly CommitteeMember[];
  readonly domain: Domain;
  /**
   * What genesis is built from (execution's createGenesis). With an `l1` section it comes from the
   * deployments file (l1Origin = the deploy block, with its L1 hash) and its hash is the deployed one.
   */
  readonly genesis: { readonly timestamp: bigint; readonly l1Origin: bigint; readonly l1OriginHash: Hex; readonly balances: readonly (readonly [Address, bigint])[] };
  readonly listen: { readonly host: string; readonly p2pPort: number; readonly rpcPort: number; readonly metricsPort: number };
  readonly redis: { readonly url: string; readonly prefix: string };
  /** The L1 this member follows and settles on (absent: a standalone L2 with no L1). */
  readonly l1: L1Config | undefined;
  readonly dataDir: string;
  readonly consensus: ConsensusTiming;
  readonly execution: ExecutionConfig;
  readonly mempool: MempoolLimits;
  /** DEVNET ONLY: this member misbehaves on purpose (src/byzantine/, applied by its replica). */
  readonly byzantine: ByzantineMode | undefined;
  /**
   * The genesis epoch's members, as config indexes in signer order: every configured member unless
   * the config says otherwise (a member configured now may be admitted in a later epoch).
   */
  readonly genesisMembers: readonly number[];
  /**
   * Set only when this member restarts without its safety record (a lost store): it signs nothing
   * in an epoch before `epoch`, nor at or below `view` in `epoch` (src/node/outbound.ts).
   */
  readonly safetyFloor: { readonly epoch: bigint; readonly view: bigint } | undefined;
}

/** `member` of a config that leaves the member id to L1 (resolved at start, src/node/identity.ts). */
export const UNRESOLVED_MEMBER = -1;

export const DEFAULT_TIMING: ConsensusTiming = {
  baseTimeoutMs: 4_000,
  backoffFactor: 1.5,
  maxTimeoutMs: 30_000,
  minBlockIntervalMs: 100,
  emptyBlockIntervalMs: 1_000,
  archiveBlocks: 4_096,
  leaderLinkGraceMs: 1_000,
};

export const DEFAULT_EXECUTION = {
  initialBaseFee: 1_000_000_000n,
  blockGasLimit: 30_000_000n,
  maxTransactionsPerBlock: 1_000,
  maxInboxEntriesPerBlock: 64,
  inboxInclusionDeadline: 100n,
} as const;

function parseTiming(v: unknown): ConsensusTiming {
  if (v === undefined) return DEFAULT_TIMING;
  const keys = ["baseTimeoutMs", "backoffFactor", "maxTimeoutMs", "minBlockIntervalMs", "emptyBlockIntervalMs", "archiveBlocks", "leaderLinkGraceMs"] as const;
  const o = object(v, "consensus", [], keys);
  const t = {
    baseTimeoutMs: o.baseTimeoutMs === undefined ? DEFAULT_TIMING.baseTimeoutMs : int(o.baseTimeoutMs, "consensus.baseTimeoutMs", 50, 600_000),
    backoffFactor: o.backoffFactor === undefined ? DEFAULT_TIMING.backoffFactor : num(o.backoffFactor, "consensus.backoffFactor", 1, 10),
    maxTimeoutMs: o.maxTimeoutMs === undefined ? DEFAULT_TIMING.maxTimeoutMs : int(o.maxTimeoutMs, "consensus.maxTimeoutMs", 50, 3_600_000),
    minBlockIntervalMs: o.minBlockIntervalMs === undefined ? DEFAULT_TIMING.minBlockIntervalMs : int(o.minBlockIntervalMs, "consensus.minBlockIntervalMs", 0, 60_000),
    emptyBlockIntervalMs: o.emptyBlockIntervalMs === undefined ? DEFAULT_TIMING.emptyBlockIntervalMs : int(o.emptyBlockIntervalMs, "consensus.emptyBlockIntervalMs", 0, 600_000),
    archiveBlocks: o.archiveBlocks === undefined ? DEFAULT_TIMING.archiveBlocks : int(o.archiveBlocks, "consensus.archiveBlocks", 1, 10_000_000),
    leaderLinkGraceMs: o.leaderLinkGraceMs === undefined ? DEFAULT_TIMING.leaderLinkGraceMs : int(o.leaderLinkGraceMs, "consensus.leaderLinkGraceMs", 0, 600_000),
  };
  if (t.maxTimeoutMs < t.baseTimeoutMs) fail("consensus.maxTimeoutMs", `must be at least baseTimeoutMs (${t.baseTimeoutMs})`, t.maxTimeoutMs);
  // A leader holds its proposal up to emptyBlockIntervalMs; the others wait for it within one view.
  if (t.baseTimeoutMs < 2 * t.emptyBlockIntervalMs) fail("consensus.baseTimeoutMs", `must be at least twice emptyBlockIntervalMs (${t.emptyBlockIntervalMs}), or idle views time out`, t.baseTimeoutMs);
  if (t.emptyBlockIntervalMs < t.minBlockIntervalMs) fail("consensus.emptyBlockIntervalMs", `must be at least minBlockIntervalMs (${t.minBlockIntervalMs})`, t.emptyBlockIntervalMs);
  return t;
}

function parseExecution(v: unknown, chainId: bigint, deployment: Deployment | undefined): { execution: ExecutionConfig; mempool: MempoolLimits } {
  const o = v === undefined ? {} : object(v, "execution", [], ["initialBaseFee", "blockGasLimit", "maxTransactionsPerBlock", "maxInboxEntriesPerBlock", "inboxInclusionDeadline", "mempool"]);
  // L1 fixes these two: the genesis base fee is in the deployed genesis, and the Rollup refuses a
  // chain that consumes Inbox entries later than its own inclusionDeadline.
  const d = deployment === undefined ? DEFAULT_EXECUTION : { ...DEFAULT_EXECUTION, initialBaseFee: BigInt(deployment.genesis.initialBaseFee), inboxInclusionDeadline: BigInt(deployment.inclusionDeadline) };
  if (deployment !== undefined) {
    if (o.initialBaseFee !== undefined && big(o.initialBaseFee, "execution.initialBaseFee", 1n) !== d.initialBaseFee) fail("execution.initialBaseFee", `differs from the deployment's genesis base fee ${d.initialBaseFee}`, o.initialBaseFee);
    if (o.inboxInclusionDeadline !== undefined && big(o.inboxInclusionDeadline, "execution.inboxInclusionDeadline", 1n) !== d.inboxInclusionDeadline) fail("execution.inboxInclusionDeadline", `differs from the Rollup's inclusionDeadline ${d.inboxInclusionDeadline}`, o.inboxInclusionDeadline);
  }
  const execution: ExecutionConfig = {
    chainId,
    initialBaseFee: o.initialBaseFee === undefined ? d.initialBaseFee : big(o.initialBaseFee, "execution.initialBaseFee", 1n),
    blockGasLimit: o.blockGasLimit === undefined ? d.blockGasLimit : big(o.blockGasLimit, "execution.blockGasLimit", 21_000n),
    maxTransactionsPerBlock: o.maxTransactionsPerBlock === undefined ? d.maxTransactionsPerBlock : int(o.maxTransactionsPerBlock, "execution.maxTransactionsPerBlock", 1, 100_000),
    maxInboxEntriesPerBlock: o.maxInboxEntriesPerBlock === undefined ? d.maxInboxEntriesPerBlock : int(o.maxInboxEntriesPerBlock, "execution.maxInboxEntriesPerBlock", 0, 100_000),
    inboxInclusionDeadline: o.inboxInclusionDeadline === undefined ? d.inboxInclusionDeadline : big(o.inboxInclusionDeadline, "execution.inboxInclusionDeadline", 1n),
  };
  const m = o.mempool === undefined ? {} : object(o.mempool, "execution.mempool", [], ["maxTransactions", "maxPerSender", "priceBumpPercent", "maxBytes"]);
  const dm = DEFAULT_MEMPOOL_LIMITS;
  const mempool: MempoolLimits = {
    maxTransactions: m.maxTransactions === undefined ? dm.maxTransactions : int(m.maxTransactions, "execution.mempool.maxTransactions", 1, 10_000_000),
    maxPerSender: m.maxPerSender === undefined ? dm.maxPerSender : int(m.maxPerSender, "execution.mempool.maxPerSender", 1, 100_000),
    priceBumpPercent: m.priceBumpPercent === undefined ? dm.priceBumpPercent : big(m.priceBumpPercent, "execution.mempool.priceBumpPercent", 1n),
    // At least one transaction of the largest size must fit.
    maxBytes: m.maxBytes === undefined ? dm.maxBytes : int(m.maxBytes, "execution.mempool.maxBytes", MAX_TRANSACTION_BYTES, 2 ** 32),
  };
  return { execution, mempool };
}

// chainId, rollup, epoch and genesis are required without an `l1` section; with one they come
// from the deployments file (parseL1, config-l1.ts).
const TOP_REQUIRED = ["listen", "redis", "dataDir"] as const;
const TOP_OPTIONAL = ["member", "committee", "chainId", "rollup", "epoch", "genesis", "genesisMembers", "safetyFloor", "secretKey", "secretKeyFile", "l1", "consensus", "execution", "byzantine", "$comment"] as const;

/** Without l1: the domain and genesis are the config's own. */
function parseStandalone(o: Obj): { domain: Domain; genesis: NodeConfig["genesis"] } {
  for (const k of ["chainId", "rollup", "epoch", "genesis"]) if (!(k in o)) fail(k, "missing field (required without an l1 section)");
  const domain: Domain = { chainId: big(o.chainId, "chainId", 1n), rollup: address(o.rollup, "rollup"), epoch: big(o.epoch, "epoch") };
  const g = object(o.genesis, "genesis", ["timestamp", "balances"]);
  const balancesJson = object(g.balances, "genesis.balances", [], Object.keys((g.balances ?? {}) as Obj));
  const balances = Object.entries(balancesJson).map(([a, v]) => [address(a, `genesis.balances key`), big(v, `genesis.balances.${a}`)] as const);
  return { domain, genesis: { timestamp: big(g.timestamp, "genesis.timestamp"), l1Origin: 0n, l1OriginHash: zeroHash, balances } };
}

/** Validates parsed JSON; relative paths resolve against `base` (the config file's folder). */
export function parseNodeConfig(json: unknown, file: string, base = dirname(resolve(file))): NodeConfig {
  const o = object(json, "", TOP_REQUIRED, TOP_OPTIONAL);
  if (o.l1 === undefined) {
    if (o.committee === undefined) fail("committee", "missing field (required without an l1 section; with one it may come from the deployments file)");
    if (o.member === undefined) fail("member", "missing field (required without an l1 section; with one it may come from L1)");
  }
  const committeeJson = o.committee ?? deploymentCommittee(o, base);
  if (!Array.isArray(committeeJson)) fail("committee", "expected an array", committeeJson);
  if (committeeJson.length < 4 || committeeJson.length > 128) fail("committee", "expected 4 to 128 members (n >= 3f + 1 with f >= 1)", committeeJson.length);
  const committee = committeeJson.map((m, i): CommitteeMember => {
    const path = `committee[${i}]`;
    const c = object(m, path, ["publicKey", "feeRecipient"], ["url"]);
    return { publicKey: publicKey(c.publicKey, `${path}.publicKey`), url: c.url === undefined ? undefined : url(c.url, `${path}.url`, ["ws:", "wss:"]), feeRecipient: address(c.feeRecipient, `${path}.feeRecipient`) };
  });
  committee.forEach((c, i) => {
    const j = committee.findIndex((d) => d.publicKey.equals(c.publicKey));
    if (j !== i) fail(`committee[${i}].publicKey`, `same key as committee[${j}]`);
  });
  const key = secretKey(o, base);
  const keyField = o.secretKeyFile !== undefined ? "secretKeyFile" : "secretKey";
  // With L1 a member may be one governance admitted after the deployment: an id past the
  // genesis committee, or none (its key is looked up on L1 at start).
  const genesisIndex = committee.findIndex((c) => c.publicKey.equals(key.publicKey));
  let member: number;
  if (o.member !== undefined) {
    member = int(o.member, "member", 0, o.l1 === undefined ? committee.length - 1 : 1_000_000);
    if (member < committee.length && !key.publicKey.equals(committee[member]!.publicKey)) fail(keyField, `its public key ${key.publicKey.toHex()} is not committee[${member}].publicKey`);
    if (member >= committee.length && genesisIndex >= 0) fail("member", `is ${member}, but the key is committee[${genesisIndex}]'s`, member);
  } else member = genesisIndex >= 0 ? genesisIndex : UNRESOLVED_MEMBER;
  const { domain, genesis, l1 } = o.l1 === undefined ? { ...parseStandalone(o), l1: undefined } : parseL1(o, base, committee);
  const chainId = domain.chainId;

  const l = object(o.listen, "listen", ["p2pPort", "rpcPort", "metricsPort"], ["host"]);
  const listen = {
    host: l.host === undefined ? "127.0.0.1" : str(l.host, "listen.host"),
    p2pPort: int(l.p2pPort, "listen.p2pPort", 0, 65_535),
    rpcPort: int(l.rpcPort, "listen.rpcPort", 0, 65_535),
    metricsPort: int(l.metricsPort, "listen.metricsPort", 0, 65_535),
  };
  const used = [listen.p2pPort, listen.rpcPort, listen.metricsPort].filter((p) => p !== 0);
  if (new Set(used).size !== used.length) fail("listen", "p2pPort, rpcPort and metricsPort must differ", l);

  const r = object(o.redis, "redis", ["url", "prefix"]);
  const prefix = str(r.prefix, "redis.prefix");
  if (!/^[A-Za-z0-9_.:-]+$/.test(prefix)) fail("redis.prefix", "only letters, digits and _ . : - are allowed in a Redis key prefix", prefix);
  const redis = { url: url(r.url, "redis.url", ["redis:", "rediss:"]), prefix };

  const { execution, mempool } = parseExecution(o.execution, chainId, l1?.deployment);
  return {
    file,
    member,
    secretKey: key,
    committee,
    domain,
    genesis,
    listen,
    redis,
    l1,
    dataDir: resolvePath(str(o.dataDir, "dataDir"), base),
    consensus: parseTiming(o.consensus),
    execution,
    mempool,
    byzantine: parseByzantine(o.byzantine),
    genesisMembers: parseGenesisMembers(o.genesisMembers, committee.length, l1 !== undefined),
    safetyFloor: o.safetyFloor === undefined ? undefined : parseSafetyFloor(o.safetyFloor, "safetyFloor"),
  };
}

function parseGenesisMembers(v: unknown, size: number, withL1: boolean): number[] {
  const all = Array.from({ length: size }, (_, i) => i);
  if (v === undefined) return all;
  // With L1 the deployment fixes the genesis committee: the config lists exactly its members.
  if (withL1) fail("genesisMembers", "must be absent when l1 is set: the deployment registers the genesis committee");
  if (!Array.isArray(v) || v.length === 0) fail("genesisMembers", "expected a non-empty array of committee indexes", v);
  const members = v.map((m, i) => int(m, `genesisMembers[${i}]`, 0, size - 1));
  if (new Set(members).size !== members.length) fail("genesisMembers", "lists a member twice", v);
  return members;
}

/** `{ "epoch": "2", "view": "1234" }`, or the command line's `<epoch>:<view>`. */
export function parseSafetyFloor(v: unknown, path: string): { epoch: bigint; view: bigint } {
  if (typeof v === "string") {
    const m = /^(\d+):(\d+)$/.exec(v);
    if (m === null) fail(path, "expected <epoch>:<view>, two decimal numbers", v);
    return { epoch: BigInt(m[1]!), view: BigInt(m[2]!) };
  }
  const f = object(v, path, ["epoch", "view"]);
  return { epoch: big(f.epoch, `${path}.epoch`), view: big(f.view, `${path}.view`) };
}

function parseByzantine(v: unknown): ByzantineMode | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !(BYZANTINE_MODES as readonly string[]).includes(v)) fail("byzantine", `must be one of ${BYZANTINE_MODES.join(", ")} (devnet only: the member misbehaves on purpose)`, v);
  return v as ByzantineMode;
}

/** Reads and validates a config file; every failure is a ConfigError naming the file. */
export function loadNodeConfig(file: string): NodeConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`${file}: cannot read the config file (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  try {
    return parseNodeConfig(json, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(`${file}: ${e.message}`);
    throw e;
  }
}
