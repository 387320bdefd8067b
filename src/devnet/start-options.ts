/**
 * `npm start`'s command line, parsed and checked at the boundary: every refusal names the
 * option and the value, and the caller prints it with the usage and exits 2. Pure (no I/O), so
 * the rules are tested without starting anything.
 */
import { BYZANTINE_MODE_HELP, BYZANTINE_MODES, type ByzantineMode } from "../byzantine/modes.ts";
import { resolve } from "node:path";
import { integerOption as integer, parseOptions, UsageError } from "./cli-args.ts";
import { HARDHAT_ACCOUNT_COUNT } from "./accounts.ts";

export const START_USAGE = `usage: npm start -- [options]

Brings up a whole devnet on this machine: Redis, an L1 hardhat node with the contracts, the
committee members and their JSON-RPC, and funds L2 dev accounts through real deposits.

options:
  --nodes N                  committee members, 4..${HARDHAT_ACCOUNT_COUNT - 4} (default 4)
  --byzantine <i>:<mode>     member i misbehaves on purpose (devnet only); modes:
${BYZANTINE_MODES.map((m) => `                               ${m.padEnd(13)}${BYZANTINE_MODE_HELP[m]}`).join("\n")}
  --data-dir <dir>           where everything is kept (default .devnet)
  --reset                    wipe the data dir first (needed when it holds an earlier devnet)
  --l1-port <port>           the L1 hardhat node's port (default 8545)
  --rpc-port <port>          member 0's L2 JSON-RPC port; member i uses port + i (default 8645)
  --p2p-port <port>          member 0's p2p port; member i uses port + i (default: free ports)
  --metrics-port <port>      member 0's metrics port; member i uses port + i (default: free ports)
  --status-interval <s>      seconds between status lines when stdout is not a terminal (default 10)
  --help                     this text

Redis: REDIS_URL, else redis://127.0.0.1:6379, else a private redis-server in the data dir.`;

/**
 * hardhat node funds HARDHAT_ACCOUNT_COUNT (20) L1 accounts: 0 deploys, 1..n are the members'
 * (fee recipients and settlement senders), and at least three are left to pay the deposits that
 * fund the L2 dev accounts.
 */
export const MAX_NODES = HARDHAT_ACCOUNT_COUNT - 4;

/** The member process's Byzantine modes (src/byzantine/). */
export { BYZANTINE_MODES };
export type { ByzantineMode };

export interface StartOptions {
  readonly nodes: number;
  readonly byzantine: { readonly member: number; readonly mode: ByzantineMode } | undefined;
  /** Absolute. */
  readonly dataDir: string;
  readonly reset: boolean;
  readonly l1Port: number;
  readonly rpcPort: number;
  /** undefined: free ports chosen at start. */
  readonly p2pPort: number | undefined;
  readonly metricsPort: number | undefined;
  readonly statusIntervalMs: number;
}

export { UsageError };


/** A base port such that base + nodes - 1 is still a port. */
function basePort(name: string, value: string | undefined, nodes: number): number | undefined {
  if (value === undefined) return undefined;
  return integer(name, value, 0, 1, 65_536 - nodes);
}

/** `{ help: true }` for --help; otherwise the options, or a UsageError. */
export function parseStartArgs(argv: readonly string[], cwd = process.cwd()): StartOptions | { help: true } {
  const values = parseOptions(argv, {
      nodes: { type: "string" },
      byzantine: { type: "string" },
      "data-dir": { type: "string" },
      reset: { type: "boolean" },
      "l1-port": { type: "string" },
      "rpc-port": { type: "string" },
      "p2p-port": { type: "string" },
      "metrics-port": { type: "string" },
      "status-interval": { type: "string" },
      help: { type: "boolean" },
  });
  if (values.help === true) return { help: true };
  const nodes = integer("nodes", values.nodes, 4, 4, MAX_NODES);
  let byzantine: StartOptions["byzantine"];
  if (values.byzantine !== undefined) {
    const match = /^([0-9]+):(.+)$/.exec(values.byzantine);
    if (match === null) throw new UsageError(`--byzantine must be <member index>:<${BYZANTINE_MODES.join("|")}> (got ${JSON.stringify(values.byzantine)})`);
    const member = Number(match[1]);
    if (member >= nodes) throw new UsageError(`--byzantine member index must be below --nodes ${nodes} (got ${member})`);
    const mode = match[2] as ByzantineMode;
    if (!BYZANTINE_MODES.includes(mode)) throw new UsageError(`--byzantine mode must be one of ${BYZANTINE_MODES.join(", ")} (got ${JSON.stringify(match[2])})`);
    byzantine = { member, mode };
  }
  const l1Port = integer("l1-port", values["l1-port"], 8545, 1, 65_535);
  const rpcPort = basePort("rpc-port", values["rpc-port"], nodes) ?? 8645;
  const p2pPort = basePort("p2p-port", values["p2p-port"], nodes);
  const metricsPort = basePort("metrics-port", values["metrics-port"], nodes);
  const ranges: [string, number | undefined, number][] = [
    ["l1-port", l1Port, 1],
    ["rpc-port", rpcPort, nodes],
    ["p2p-port", p2pPort, nodes],
    ["metrics-port", metricsPort, nodes],
  ];
  for (const [i, [a, from, count]] of ranges.entries()) {
    for (const [b, other, otherCount] of ranges.slice(i + 1)) {
      if (from === undefined || other === undefined) continue;
      if (from < other + otherCount && other < from + count) {
        throw new UsageError(`--${a} ${from} and --${b} ${other} overlap (${nodes} members use ${nodes} consecutive ports each)`);
      }
    }
  }
  const statusIntervalMs = integer("status-interval", values["status-interval"], 10, 1, 3_600) * 1_000;
  const dataDir = values["data-dir"] ?? ".devnet";
  if (dataDir === "") throw new UsageError("--data-dir must not be empty");
  return {
    nodes,
    byzantine,
    dataDir: resolve(cwd, dataDir),
    reset: values.reset === true,
    l1Port,
    rpcPort,
    p2pPort,
    metricsPort,
    statusIntervalMs,
  };
}
