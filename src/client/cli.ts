/**
 * What the user scripts (scripts/send-tx.ts, verify-finality.ts, deposit.ts, withdraw.ts) share:
 * the command line checked at the boundary (a refusal names the option and the value; the
 * script prints it with its usage and exits 2), the dev accounts by index, one JSON line of
 * output (bigints as decimal strings), and failures as `<script>: [CODE] message`, exit 1.
 */
import { parseArgs } from "node:util";
import { getAddress, isAddress, isHex, parseEther, type Address, type Hex } from "viem";
import { HARDHAT_ACCOUNT_COUNT, l1DevAccounts, l2DevAccounts } from "../devnet/accounts.ts";
import { ClientError } from "./errors.ts";

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** How many L2 dev accounts `npm start` funds (src/devnet/start.ts L2_DEV_ACCOUNTS). */
export const FUNDED_L2_ACCOUNTS = 10;

/** A command line the script cannot run; the message names the option and the value. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>["options"];

/** parseArgs, strict, with `--help`; unknown options and wrong positional counts are UsageErrors. */
export function parseCommandLine<O extends Options>(argv: readonly string[], options: O, positionals: { min: number; max: number } = { min: 0, max: 0 }) {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: positionals.max > 0 });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const n = parsed.positionals.length;
  if (!(parsed.values as { help?: boolean }).help && (n < positionals.min || n > positionals.max)) {
    throw new UsageError(positionals.max === 0 ? `unexpected argument ${JSON.stringify(parsed.positionals[0])}` : `expected ${positionals.min === positionals.max ? positionals.min : `${positionals.min} to ${positionals.max}`} argument(s), got ${n}`);
  }
  return parsed as typeof parsed & { values: { help?: boolean } };
}

export function urlArg(option: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${option} must be an http(s) URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`${option} must be an http(s) URL, got ${JSON.stringify(text)}`);
  return text;
}

/** An amount of ether in decimal ("1", "0.25"), > 0, as wei. */
export function etherArg(option: string, text: string): bigint {
  if (!/^\d+(\.\d{1,18})?$/.test(text) || parseEther(text) === 0n) throw new UsageError(`${option} must be an amount of ETH greater than 0, like 1 or 0.25, got ${JSON.stringify(text)}`);
  return parseEther(text);
}

export function addressArg(option: string, text: string): Address {
  if (!isAddress(text, { strict: false })) throw new UsageError(`${option} must be a 20-byte 0x address, got ${JSON.stringify(text)}`);
  return getAddress(text);
}

export function hashArg(option: string, text: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`${option} must be a 32-byte 0x transaction hash, got ${JSON.stringify(text)}`);
  return text.toLowerCase() as Hex;
}

export function secondsArg(option: string, text: string): number {
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || s <= 0) throw new UsageError(`${option} must be a number of seconds greater than 0, got ${JSON.stringify(text)}`);
  return s * 1000;
}

function keyArg(option: string, text: string): Hex {
  if (!isHex(text) || !/^0x[0-9a-fA-F]{64}$/.test(text)) throw new UsageError(`${option} must be a 32-byte 0x private key`);
  return text as Hex;
}

function indexArg(option: string, text: string, count: number): number {
  const i = Number(text);
  if (!/^\d+$/.test(text) || i >= count) throw new UsageError(`${option} must be a dev account number from 0 to ${count - 1}, got ${JSON.stringify(text)}`);
  return i;
}

/** `--key` (never echoed) or `--account <i>` of the L2 dev accounts npm start funds (default #0). */
export function l2KeyArg(values: { key?: string; account?: string }): Hex {
  if (values.key !== undefined && values.account !== undefined) throw new UsageError("give --key or --account, not both");
  if (values.key !== undefined) return keyArg("--key", values.key);
  return l2DevAccounts(FUNDED_L2_ACCOUNTS)[indexArg("--account", values.account ?? "0", FUNDED_L2_ACCOUNTS)]!.privateKey;
}

/**
 * `--l1-key` or `--l1-account <i>` of the hardhat node's dev accounts (default #0, the deployer:
 * the members settle from #1..#n, and sharing their account would race their nonces).
 */
export function l1KeyArg(values: { "l1-key"?: string; "l1-account"?: string }): Hex {
  if (values["l1-key"] !== undefined && values["l1-account"] !== undefined) throw new UsageError("give --l1-key or --l1-account, not both");
  if (values["l1-key"] !== undefined) return keyArg("--l1-key", values["l1-key"]);
  return l1DevAccounts()[indexArg("--l1-account", values["l1-account"] ?? "0", HARDHAT_ACCOUNT_COUNT)]!.privateKey;
}

/** One JSON line on stdout; bigints as decimal strings. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
}

/** A progress line on stderr (stdout carries only the JSON result). */
export function progress(script: string, text: string): void {
  console.error(`${script}: ${text}`);
}

/**
 * Runs a script's body and sets the exit code: the body's own (0 when it returns nothing),
 * 2 with the usage for a UsageError, 1 for anything else (ClientError codes in brackets).
 */
export async function runScript(script: string, usage: string, body: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await body()) ?? EXIT.OK;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${script}: ${e.message}\n${usage}`);
      process.exitCode = EXIT.USAGE;
      return;
    }
    const code = e instanceof ClientError || typeof (e as { code?: unknown })?.code === "string" ? `[${(e as { code: string }).code}] ` : "";
    console.error(`${script}: ${code}${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
    process.exitCode = EXIT.FAILED;
  }
}
