/**
 * `npm start`: the whole devnet on this machine (src/devnet/start.ts), until Ctrl-C.
 *
 * Exit codes: 0 after a clean stop (SIGINT, SIGTERM, SIGHUP), 2 for a bad command line (with the
 * usage), 1 when the devnet cannot start (the message says why; what had started is stopped).
 */
import { DevnetError } from "../src/devnet/errors.ts";
import { commandLine } from "../src/devnet/cli-args.ts";
import { parseStartArgs, START_USAGE } from "../src/devnet/start-options.ts";
import { DevnetRun, StartAborted } from "../src/devnet/start.ts";

async function main(): Promise<void> {
  const options = commandLine(() => parseStartArgs(process.argv.slice(2)), START_USAGE);
  // Tests shorten the wait for deposits when they know the members cannot see them.
  const fundTimeoutMs = process.env.DEVNET_FUND_TIMEOUT_MS === undefined ? undefined : Number(process.env.DEVNET_FUND_TIMEOUT_MS);
  const run = new DevnetRun(options, { out: (text) => process.stdout.write(text), tty: process.stdout.isTTY === true, fundTimeoutMs });
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      console.log(`\n${signal} again: still stopping (a member that does not stop gets SIGKILL after 10 s)`);
      return;
    }
    signalled = true;
    void run.stop(`${signal}: stopping the devnet`).then(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  try {
    run.printReady(await run.start());
  } catch (e) {
    if (e instanceof StartAborted) return; // the signal handler is stopping everything
    console.error(`\ncannot start the devnet: ${e instanceof DevnetError ? e.message : (e as Error).stack}`);
    await run.stop();
    process.exit(1);
  }
}

void main();
