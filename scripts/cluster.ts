/**
 * A local committee on loopback: `npm run cluster -- --nodes 4 [--dir .devnet/cluster] [--base-port 7000]`.
 * Writes deterministic devnet keys and one config per member (src/node/devnet.ts), starts one
 * member process per config, prefixes their log lines with the member index, prints the RPC
 * endpoints and the funded dev accounts, and on Ctrl-C stops them all (SIGTERM, then waits).
 *
 * With `--l1 <rpcUrl> --deployments <file>` the committee is the deployed one instead: its keys
 * come from the committee keys file beside the deployments file (`--keys` otherwise; devnet files
 * carry the secret keys), the configs from writeL1MemberConfigs, and the members follow and
 * settle on that L1, paying from the Hardhat dev accounts 1..n (`--l1-keys k0,k1,...` otherwise).
 * L2 accounts are funded by deposits on L1 (none are pre-funded).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import type { Hex } from "viem";
import { pingRedis, DEFAULT_REDIS_URL } from "../src/queues/index.ts";
import { writeDevnet, writeL1MemberConfigs, type DevAccount, type MemberConfigs } from "../src/node/devnet.ts";
import { l1DevAccounts } from "../src/devnet/accounts.ts";
import { readDeployment } from "../src/deployment/contracts.ts";

const USAGE =
  "usage: npm run cluster -- [--nodes 4] [--dir .devnet/cluster] [--base-port 7000] [--l1 <rpcUrl> --deployments <file> [--keys <committee-keys.json>] [--l1-keys 0x..,0x..]]   (REDIS_URL overrides redis://127.0.0.1:6379)";

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        nodes: { type: "string" },
        dir: { type: "string" },
        "base-port": { type: "string" },
        l1: { type: "string" },
        deployments: { type: "string" },
        keys: { type: "string" },
        "l1-keys": { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  if (values.help === true) {
    console.log(USAGE);
    process.exit(0);
  }
  const nodes = values.nodes === undefined ? 4 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 4 || nodes > 64) usage(`--nodes must be an integer from 4 to 64 (got ${values.nodes})`);
  const basePort = values["base-port"] === undefined ? 7000 : Number(values["base-port"]);
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + 3 * nodes > 65_535) usage(`--base-port must leave room for ${3 * nodes} ports below 65536 (got ${values["base-port"]})`);
  if ((values.l1 === undefined) !== (values.deployments === undefined)) usage("--l1 and --deployments go together");
  if (values.l1 === undefined && (values.keys !== undefined || values["l1-keys"] !== undefined)) usage("--keys and --l1-keys need --l1 and --deployments");
  let l1: { rpcUrl: string; deploymentsFile: string; keysFile: string; privateKeys: Hex[] } | undefined;
  if (values.l1 !== undefined && values.deployments !== undefined) {
    let members: number;
    try {
      members = readDeployment(values.deployments).members.length;
    } catch (e) {
      usage(`--deployments: ${(e as Error).message}`);
    }
    if (values.nodes !== undefined && nodes !== members) usage(`--nodes ${nodes} differs from the deployment's ${members} members`);
    const keysFile = values.keys ?? join(dirname(values.deployments), "committee-keys.json");
    if (!existsSync(keysFile)) usage(`no committee keys file at ${keysFile} (give --keys)`);
    const privateKeys = values["l1-keys"] !== undefined ? (values["l1-keys"].split(",") as Hex[]) : l1DevAccounts(members + 1).slice(1).map((a) => a.privateKey);
    if (privateKeys.length !== members) usage(`--l1-keys: ${members} keys expected, got ${privateKeys.length}`);
    l1 = { rpcUrl: values.l1, deploymentsFile: values.deployments, keysFile, privateKeys };
    return { nodes: members, basePort, dir: values.dir ?? ".devnet/cluster", l1 };
  }
  return { nodes, basePort, dir: values.dir ?? ".devnet/cluster", l1 };
}

async function main(): Promise<void> {
  const { nodes, basePort, dir, l1 } = parse();
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  try {
    await pingRedis(redisUrl);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
  const ports = (i: number) => ({ p2p: basePort + 3 * i, rpc: basePort + 3 * i + 1, metrics: basePort + 3 * i + 2 });
  const redisPrefix = `hotstuff-devnet-${basePort}`;
  let devnet: MemberConfigs & { accounts?: readonly DevAccount[] };
  try {
    devnet =
      l1 === undefined
        ? writeDevnet({ nodes, dir, redisUrl, redisPrefix, ports })
        : writeL1MemberConfigs({ dir, deploymentsFile: l1.deploymentsFile, keysFile: l1.keysFile, l1RpcUrl: l1.rpcUrl, l1PrivateKeys: l1.privateKeys, ports, redisUrl, redisPrefix });
  } catch (e) {
    console.error(`cannot write the member configs: ${(e as Error).message}`);
    process.exit(2);
  }
  const children: ChildProcess[] = devnet.configFiles.map((file, i) => {
    const child = spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "scripts/node.ts", "--config", file], { stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout!, child.stderr!]) createInterface({ input: stream }).on("line", (line) => console.log(`[m${i}] ${line}`));
    child.on("exit", (code, signal) => {
      if (!stopping) console.error(`[cluster] member ${i} exited (${signal ?? code}); the others keep running`);
    });
    return child;
  });
  console.log(`[cluster] ${nodes} members, chain id ${devnet.chainId}, configs in ${dir}${l1 === undefined ? "" : `, L1 ${l1.rpcUrl} (${l1.deploymentsFile})`}`);
  devnet.rpcUrls.forEach((url, i) => console.log(`[cluster] member ${i}: rpc ${url}  metrics ${devnet.metricsUrls[i]}`));
  if (devnet.accounts !== undefined) {
    console.log("[cluster] funded dev accounts (DEVNET ONLY, keys are public):");
    for (const a of devnet.accounts) console.log(`[cluster]   ${a.address}  ${a.privateKey}`);
  } else console.log("[cluster] L2 accounts hold what is deposited to them on L1 (Bridge.deposit)");
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log("[cluster] stopping members...");
    const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
    let left = alive.length;
    if (left === 0) process.exit(0);
    for (const c of alive) {
      c.once("exit", () => {
        if (--left === 0) {
          console.log("[cluster] all members stopped");
          process.exit(0);
        }
      });
      c.kill("SIGTERM");
    }
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
