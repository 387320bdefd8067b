/**
 * `npm run devnet -- admit | exit --member <id> | withdraw --member <id>`: committee membership
 * on a running devnet (src/devnet/membership-command.ts; README, "Admitting and removing members").
 *
 * Exit codes: 0 when done, 2 for a bad command line (with the usage), 1 when a step fails (the
 * message says which, with the contract's error for an L1 revert).
 */
import { commandLine } from "../src/devnet/cli-args.ts";
import { DevnetError } from "../src/devnet/errors.ts";
import { DEVNET_USAGE, parseDevnetArgs, runAdmit, runExit } from "../src/devnet/membership-command.ts";

async function main(): Promise<void> {
  const options = commandLine(() => parseDevnetArgs(process.argv.slice(2)), DEVNET_USAGE);
  const say = (line: string) => console.log(line);
  try {
    if (options.command === "admit") await runAdmit(options, say);
    else await runExit(options, say);
  } catch (e) {
    console.error(`${options.command} failed: ${e instanceof DevnetError ? e.message : (e as Error).stack}`);
    process.exit(1);
  }
}

void main();
