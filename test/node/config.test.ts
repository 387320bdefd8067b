/** The member config: strict validation whose errors name the field and the bad value. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { bytesToHex, SecretKey } from "../../src/crypto/index.ts";
import { ConfigError, DEFAULT_TIMING, loadNodeConfig, parseNodeConfig, UNRESOLVED_MEMBER } from "../../src/node/config.ts";
import { writeDevnet } from "../../src/node/devnet.ts";
import { createGenesis } from "../../src/execution/genesis.ts";
import { hashHeader } from "../../src/protocol/header.ts";
import { deadRedisUrl } from "../fixtures/redis.ts";
import { g1Compressed, g1OutsideSubgroup, g1XOffCurve } from "../fixtures/points.ts";

const dir = mkdtempSync(join(tmpdir(), "hotstuff-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const devnet = writeDevnet({ nodes: 4, dir, redisUrl: deadRedisUrl, redisPrefix: "test-config", ports: (i) => ({ p2p: 30000 + 3 * i, rpc: 30001 + 3 * i, metrics: 30002 + 3 * i }), seed: "config-test" });
const base = JSON.parse(readFileSync(devnet.configFiles[1]!, "utf8")) as Record<string, unknown>;

function withChange(change: (c: Record<string, any>) => void): Record<string, unknown> {
  const copy = structuredClone(base) as Record<string, any>;
  change(copy);
  return copy;
}

function refusal(change: (c: Record<string, any>) => void): string {
  try {
    parseNodeConfig(withChange(change), "member-1.json", dir);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail("the config was accepted");
}

describe("node config", () => {
  test("a devnet config loads: member, key file, committee, defaults", () => {
    const c = loadNodeConfig(devnet.configFiles[1]!);
    assert.equal(c.member, 1);
    assert.ok(c.secretKey.publicKey.equals(devnet.secretKeys[1]!.publicKey));
    assert.equal(c.committee.length, 4);
    assert.equal(c.domain.chainId, 901n);
    assert.deepEqual(c.consensus, DEFAULT_TIMING);
    assert.equal(c.l1, undefined);
    assert.equal(c.genesis.balances.length, 10);
  });

  test("a key outside the G1 subgroup or off the curve is named with its index and reason", () => {
    const outside = g1Compressed(g1OutsideSubgroup().x);
    assert.match(refusal((c) => (c.committee[2].publicKey = outside)), /^committee\[2\]\.publicKey: not a valid BLS12-381 G1 point: .*\(NOT_IN_SUBGROUP\)/);
    const off = g1Compressed(g1XOffCurve());
    assert.match(refusal((c) => (c.committee[3].publicKey = off)), /^committee\[3\]\.publicKey: not a valid BLS12-381 G1 point: .*\(NOT_ON_CURVE\)/);
    assert.match(refusal((c) => (c.committee[0].publicKey = "0x1234")), /^committee\[0\]\.publicKey: expected a 48-byte compressed/);
  });

  test("missing, unknown and out-of-range fields are named with the value", () => {
    assert.match(refusal((c) => delete c.redis), /^redis: missing field/);
    assert.match(refusal((c) => (c.colour = "blue")), /^colour: unknown field/);
    assert.match(refusal((c) => (c.listen.rpcPort = 70000)), /^listen\.rpcPort: expected an integer in \[0, 65535\] \(got 70000\)/);
    assert.match(refusal((c) => (c.member = 4)), /^member: expected an integer in \[0, 3\] \(got 4\)/);
    assert.match(refusal((c) => (c.redis.url = "http://x")), /^redis\.url: expected a redis: or rediss: URL/);
    assert.match(refusal((c) => (c.committee[1].url = "not a url")), /^committee\[1\]\.url: not a URL/);
    assert.match(refusal((c) => (c.rollup = "0x12")), /^rollup: expected a 20-byte 0x address \(got "0x12"\)/);
    assert.match(refusal((c) => (c.genesis.balances["0xd9Af696E5a02EB75b181b6af585476c7FD876A42"] = "-1")), /^genesis\.balances\.0xd9Af.*: expected an integer >= 0/);
    assert.match(refusal((c) => (c.consensus = { baseTimeoutMs: 100, emptyBlockIntervalMs: 1000 })), /^consensus\.baseTimeoutMs: must be at least twice emptyBlockIntervalMs/);
    assert.match(refusal((c) => (c.l1 = { rpcUrl: "ftp://x" })), /^l1\.deployments: missing field/);
    assert.match(refusal((c) => (c.committee = c.committee.slice(0, 3))), /^committee: expected 4 to 128 members/);
  });

  test("a secret key that is not this member's, or given twice, is refused without echoing it", () => {
    const other = bytesToHex(devnet.secretKeys[2]!.toBytes());
    const message = refusal((c) => {
      delete c.secretKeyFile;
      c.secretKey = other;
    });
    assert.match(message, /^secretKey: its public key 0x[0-9a-f]+ is not committee\[1\]\.publicKey/);
    assert.ok(!message.includes(other.slice(2)), "the secret key is not in the message");
    assert.match(refusal((c) => (c.secretKey = other)), /^secretKey: give exactly one of secretKey/);
  });
});

describe("node config with an l1 section", () => {
  // A deployments file as src/deployment/contracts.ts writes it, for this committee (no L1
  // is needed to parse a config: only the file is read and genesis rebuilt from it).
  const rollup = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
  const l1OriginHash = `0x${"5a".repeat(32)}` as const;
  const header = createGenesis({ config: { initialBaseFee: 7n }, timestamp: 123n, l1Origin: 5n, l1OriginHash, balances: [["0x00000000000000000000000000000000000000b0", 9n]] }).header;
  const deployment = {
    chainId: 31337,
    l2ChainId: "902",
    contracts: { committee: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", rollup, bridge: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", inbox: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" },
    deployBlock: "5",
    epoch: "1",
    inclusionDeadline: "32",
    minimumBond: "1000000000000000000",
    genesis: {
      hash: hashHeader(902n, rollup, header),
      header: Object.fromEntries(Object.entries(header).map(([k, v]) => [k, String(v)])),
      initialBaseFee: "7",
      balances: { "0x00000000000000000000000000000000000000b0": "9" },
    },
    members: devnet.secretKeys.map((k, i) => ({ memberId: i, publicKey: k.publicKey.toEip2537(), feeRecipient: devnet.committee[i]!.feeRecipient })),
  };
  const deploymentsFile = join(dir, "deployments.json");
  writeFileSync(deploymentsFile, JSON.stringify(deployment));
  const l1Key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
  const keyFile = join(dir, "member-1.l1key");
  writeFileSync(keyFile, `${l1Key}\n`);
  const withL1 = (change: (c: Record<string, any>) => void = () => {}) =>
    withChange((c) => {
      for (const k of ["chainId", "rollup", "epoch", "genesis"]) delete c[k];
      c.l1 = { rpcUrl: "http://127.0.0.1:8545", deployments: "deployments.json", privateKeyFile: "member-1.l1key", confirmations: 0 };
      change(c);
    });
  const l1Refusal = (change: (c: Record<string, any>) => void, file = "member-1.json"): string => {
    try {
      parseNodeConfig(withL1(change), file, dir);
    } catch (e) {
      assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
      return e.message;
    }
    assert.fail("the config was accepted");
  };

  test("domain, genesis and the L1-enforced execution parameters come from the deployments file", () => {
    const c = parseNodeConfig(withL1(), "member-1.json", dir);
    assert.deepEqual(c.domain, { chainId: 902n, rollup, epoch: 1n });
    assert.deepEqual(c.genesis, { timestamp: 123n, l1Origin: 5n, l1OriginHash, balances: [["0x00000000000000000000000000000000000000b0", 9n]] });
    assert.equal(c.execution.chainId, 902n);
    assert.equal(c.execution.initialBaseFee, 7n);
    assert.equal(c.execution.inboxInclusionDeadline, 32n);
    assert.equal(c.l1?.deployments, deploymentsFile);
    assert.equal(c.l1?.privateKey, l1Key);
    assert.equal(c.l1?.pollIntervalMs, 1_000);
    assert.equal(c.l1?.originDelayMs, 2_000);
    assert.equal(c.l1?.settleHoldOffMs, 2_000);
    // The same values given explicitly are accepted.
    parseNodeConfig(withL1((c) => Object.assign(c, { chainId: 902, rollup: rollup.toLowerCase(), epoch: 1, execution: { initialBaseFee: 7, inboxInclusionDeadline: 32 } })), "member-1.json", dir);
  });

  test("a genesis section, or a chain id, Rollup or epoch other than the deployment's, is refused", () => {
    assert.match(l1Refusal((c) => (c.genesis = base.genesis)), /^genesis: must be absent when l1 is set/);
    assert.match(l1Refusal((c) => (c.chainId = 901)), /^chainId: differs from the deployment's L2 chain id 902 .*\(got 901\)/);
    assert.match(l1Refusal((c) => (c.rollup = "0x00000000000000000000000000000000000000Ad")), /^rollup: differs from the deployment's Rollup 0x5FbDB2315678afecb367f032d93F642f64180aa3/);
    assert.match(l1Refusal((c) => (c.epoch = 2)), /^epoch: differs from the deployment's epoch 1/);
    assert.match(l1Refusal((c) => (c.execution = { inboxInclusionDeadline: 100 })), /^execution\.inboxInclusionDeadline: differs from the Rollup's inclusionDeadline 32/);
    assert.match(l1Refusal((c) => (c.execution = { initialBaseFee: 8 })), /^execution\.initialBaseFee: differs from the deployment's genesis base fee 7/);
  });

  test("l1.confirmations is the depth a member reads L1 at: a setting (0 on a devnet), a number of blocks or the safe / finalized tag, checked", () => {
    assert.equal(parseNodeConfig(withL1(), "member-1.json", dir).l1?.confirmations, 0n);
    assert.equal(parseNodeConfig(withL1((c) => (c.l1.confirmations = 12)), "member-1.json", dir).l1?.confirmations, 12n);
    assert.equal(parseNodeConfig(withL1((c) => (c.l1.confirmations = "finalized")), "member-1.json", dir).l1?.confirmations, "finalized");
    assert.equal(parseNodeConfig(withL1((c) => (c.l1.confirmations = "safe")), "member-1.json", dir).l1?.confirmations, "safe");
    assert.match(l1Refusal((c) => delete c.l1.confirmations), /^l1\.confirmations: missing field/);
    assert.match(l1Refusal((c) => (c.l1.confirmations = "latest")), /^l1\.confirmations: expected a number of L1 blocks \(0 reads the tip\), "safe" or "finalized" \(got "latest"\)/);
    assert.match(l1Refusal((c) => (c.l1.confirmations = -1)), /^l1\.confirmations: expected a number of L1 blocks/);
    // Entries are due inclusionDeadline (32) blocks after they are posted: a member must see them first.
    assert.match(l1Refusal((c) => (c.l1.confirmations = 32)), /^l1\.confirmations: must be below the Rollup's inclusionDeadline 32: a member reads an Inbox entry only once it is that deep, and it is due 32 blocks after it was posted \(got 32\)/);
  });

  test("a committee other than the deployment's, in order, is refused", () => {
    assert.match(l1Refusal((c) => ([c.committee[2], c.committee[3]] = [c.committee[3], c.committee[2]])), /^committee\[2\]\.publicKey: is not the key the deployment registered as member 2/);
  });

  test("the L1 private key: exactly one of key and file, well-formed, never echoed", () => {
    assert.match(l1Refusal((c) => delete c.l1.privateKeyFile), /^l1\.privateKey: give exactly one of l1\.privateKey .* and l1\.privateKeyFile/);
    assert.match(l1Refusal((c) => (c.l1.privateKey = l1Key)), /^l1\.privateKey: give exactly one/);
    const bad = `${l1Key.slice(0, 60)}zz`;
    const message = l1Refusal((c) => {
      delete c.l1.privateKeyFile;
      c.l1.privateKey = bad;
    });
    assert.match(message, /^l1\.privateKey: expected a 32-byte secp256k1 private key/);
    assert.ok(!message.includes(bad.slice(2, 40)), "the key is not in the message");
  });

  test("a missing deployments file, or one whose genesis does not hash to the deployed one, is named", () => {
    assert.match(l1Refusal((c) => (c.l1.deployments = "nowhere.json")), /^l1\.deployments: cannot read the deployments file .*nowhere\.json/);
    const tampered = join(dir, "tampered.json");
    writeFileSync(tampered, JSON.stringify({ ...deployment, genesis: { ...deployment.genesis, initialBaseFee: "8" } }));
    assert.match(l1Refusal((c) => (c.l1.deployments = "tampered.json")), /^l1\.deployments: the genesis rebuilt from the deployments file hashes to 0x[0-9a-f]+, but the Rollup was deployed with/);
    assert.match(l1Refusal((c) => (c.l1.rpcUrl = "ws://127.0.0.1:8545")), /^l1\.rpcUrl: expected a http: or https: URL/);
  });

  test("a joining member's config: without committee and member, the committee comes from the deployments file and the id from the key (or L1 at start)", () => {
    const genesisMember = parseNodeConfig(withL1((c) => (delete c.committee, delete c.member)), "member-1.json", dir);
    assert.equal(genesisMember.member, 1, "a genesis member's key finds its id in the deployment");
    assert.equal(genesisMember.committee.length, 4);
    assert.ok(genesisMember.committee.every((m, i) => m.publicKey.equals(devnet.secretKeys[i]!.publicKey) && m.feeRecipient === devnet.committee[i]!.feeRecipient));
    assert.equal(genesisMember.committee[0]!.url, undefined, "the deployment recorded no endpoints: the others dial it, or L1's records give them");
    // A key the deployment does not hold: a member admitted later, whose id L1 gives at start.
    const joinerKey = join(dir, "joiner.key");
    writeFileSync(joinerKey, `${bytesToHex(SecretKey.fromSeed("config-joiner").toBytes())}\n`);
    const joiner = parseNodeConfig(withL1((c) => (delete c.committee, delete c.member, delete c.secretKey, (c.secretKeyFile = "joiner.key"))), "member-4.json", dir);
    assert.equal(joiner.member, UNRESOLVED_MEMBER);
    const given = parseNodeConfig(withL1((c) => (delete c.committee, (c.member = 7), delete c.secretKey, (c.secretKeyFile = "joiner.key"))), "member-7.json", dir);
    assert.equal(given.member, 7, "an id past the genesis committee is checked against L1 at start");
    assert.match(l1Refusal((c) => (delete c.committee, (c.member = 6))), /^member: is 6, but the key is committee\[1\]'s/);
    assert.match(refusal((c) => delete c.committee), /^committee: missing field \(required without an l1 section/);
    assert.match(refusal((c) => delete c.member), /^member: missing field \(required without an l1 section/);
  });

  test("without l1, chainId, rollup, epoch and genesis are required", () => {
    assert.match(refusal((c) => delete c.genesis), /^genesis: missing field \(required without an l1 section\)/);
    assert.match(refusal((c) => delete c.chainId), /^chainId: missing field/);
  });
});

describe("npm run node", () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/node.ts", ...args], { encoding: "utf8", timeout: 60_000 });

  test("a bad config exits 2 with the field named and no stack trace", () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify(withChange((c) => (c.committee[2].publicKey = g1Compressed(g1OutsideSubgroup().x)))));
    const r = run(["--config", file]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /invalid config: .*bad\.json: committee\[2\]\.publicKey: not a valid BLS12-381 G1 point: .*NOT_IN_SUBGROUP/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test("a missing --config or unknown option exits 2 with the usage", () => {
    for (const args of [[], ["--conf", "x"]]) {
      const r = run(args);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /usage: npm run node -- --config <file>/);
    }
  });

  test("npm run cluster: bad arguments print the usage and exit 2", () => {
    for (const args of [["--nodes", "2"], ["--nodes", "four"], ["--base-port", "80"], ["--colour"], ["--l1", "http://127.0.0.1:8545"], ["--l1", "http://127.0.0.1:8545", "--deployments", join(dir, "nowhere.json")], ["--l1-keys", "0x1"]]) {
      const r = spawnSync(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/cluster.ts", ...args], { encoding: "utf8", timeout: 60_000 });
      assert.equal(r.status, 2, args.join(" "));
      assert.match(r.stderr, /usage: npm run cluster --/);
    }
  });

  test("Redis unreachable at start: a clear message and exit 1", () => {
    const r = run(["--config", devnet.configFiles[0]!]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Redis is not reachable at redis:\/\/127\.0\.0\.1:1/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
