/**
 * What the devnet's command lines share (`npm start`, bench:e2e, bench:faults): strict option
 * parsing whose errors name the option, integer options with their range, and the `--help` /
 * usage-error exits of a script.
 */
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";

/** A command line that cannot run; the message names the option and the value. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** parseArgs, strict and without positionals; a bad command line is a UsageError. */
export function parseOptions<const O extends ParseArgsOptionsConfig>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** `--name`'s value as an integer in [min, max], `fallback` when absent. */
export function integerOption(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`);
  return n;
}

/** For a script: the options, or exit 0 after printing `usage` for --help, exit 2 with the error and `usage` for a bad command line. */
export function commandLine<T extends object>(parse: () => T | { help: true }, usage: string): T {
  let options: T | { help: true };
  try {
    options = parse();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${usage}`);
    process.exit(2);
  }
  if ("help" in options) {
    console.log(usage);
    process.exit(0);
  }
  return options;
}

/**
 * For a script that starts processes: on SIGINT, SIGTERM or SIGHUP (the first one), stops
 * `target` and exits 130 (SIGINT) or 143. Returns whether a signal came, so that the script's own
 * error path leaves the stopping to the handler.
 */
export function stopOnSignals(target: { stop(): Promise<void> }, say: (line: string) => void): () => boolean {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    say(`\n${signal}: stopping everything the benchmark started`);
    void target.stop().then(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, onSignal);
  return () => signalled;
}
