/**
 * Runs one committee member: `npm run node -- --config <file>`.
 *
 * Logs: JSON lines on stdout from level HOTSTUFF_LOG_LEVEL (debug, info, warn, error; default
 * info; debug adds a line per accepted transaction).
 *
 * Exit codes: 2 for a bad command line or config (the message names the field), 1 when the node
 * cannot start (Redis unreachable, damaged store, port in use), 0 after a clean shutdown on
 * SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { ConfigError, loadNodeConfig, parseSafetyFloor, type NodeConfig } from "../src/node/config.ts";
import { resolveMember } from "../src/node/identity.ts";
import { createLog, LOG_LEVELS, type LogLevel } from "../src/node/log.ts";
import { startNode } from "../src/node/node.ts";

const USAGE = `usage: npm run node -- --config <file> [--safety-floor <epoch>:<view>]
  --safety-floor  only for a member whose store (and so its record of what it signed) is lost for
                  good: it signs nothing before that epoch, nor at or below that view in it. Give
                  the highest epoch and view any peer reports (rollup_status).`;

function main(): void {
  let configFile: string | undefined;
  let floor: string | undefined;
  try {
    const { values } = parseArgs({ options: { config: { type: "string" }, "safety-floor": { type: "string" }, help: { type: "boolean" } }, strict: true });
    if (values.help === true) {
      console.log(USAGE);
      process.exit(0);
    }
    configFile = values.config;
    floor = values["safety-floor"];
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (configFile === undefined) {
    console.error(`missing --config\n${USAGE}`);
    process.exit(2);
  }
  let config;
  try {
    config = loadNodeConfig(configFile);
    if (floor !== undefined) config = { ...config, safetyFloor: parseSafetyFloor(floor, "--safety-floor") };
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`invalid config: ${e.message}`);
    process.exit(2);
  }
  const level = process.env.HOTSTUFF_LOG_LEVEL ?? "info";
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    console.error(`HOTSTUFF_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got ${JSON.stringify(level)})`);
    process.exit(2);
  }
  // A member admitted after the deployment may leave its id to L1 (src/node/identity.ts).
  resolveMember(config).then(
    (resolved) => run(resolved, level as LogLevel),
    (e: Error) => {
      console.error(e instanceof ConfigError ? `invalid config: ${e.message}` : `cannot start: ${e.message}`);
      process.exit(e instanceof ConfigError ? 2 : 1);
    },
  );
}

function run(config: NodeConfig, level: LogLevel): void {
  const log = createLog(config.member, undefined, level);
  const fatal = (e: Error) => {
    console.error(`member ${config.member} stopped: ${e.message}`);
    process.exit(1);
  };
  startNode(config, log, fatal).then(
    (node) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log("info", "node.stopping", { signal });
        node.stop().then(
          () => process.exit(0),
          (e: Error) => {
            log("error", "node.stop_failed", { error: e.message });
            process.exit(1);
          },
        );
      };
      process.on("SIGINT", () => stop("SIGINT"));
      process.on("SIGTERM", () => stop("SIGTERM"));
    },
    (e: Error) => {
      log("error", "node.start_failed", { error: e.message });
      console.error(`cannot start member ${config.member}: ${e.message}`);
      process.exit(1);
    },
  );
}

main();
