/**
 * The field validators of the member config: each checks one JSON value and, on failure, throws
 * a ConfigError naming the field path and the value (never a secret key). src/node/config.ts
 * composes them into the config's schema.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { getAddress, isAddress, type Address } from "viem";
import { CryptoError, PublicKey, SecretKey } from "../crypto/index.ts";

/** A config that cannot be used; `message` names the field and the value. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export type Obj = Record<string, unknown>;

export function fail(path: string, what: string, value?: unknown): never {
  const shown = value === undefined ? "" : ` (got ${JSON.stringify(value)?.slice(0, 100)})`;
  throw new ConfigError(`${path}: ${what}${shown}`);
}

export function object(v: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(path, "expected an object", v);
  const o = v as Obj;
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) fail(path === "" ? k : `${path}.${k}`, "unknown field");
  for (const k of required) if (!(k in o)) fail(path === "" ? k : `${path}.${k}`, "missing field");
  return o;
}

export const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

export function int(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) fail(path, `expected an integer in [${min}, ${max}]`, v);
  return v;
}

export function num(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) fail(path, `expected a number in [${min}, ${max}]`, v);
  return v;
}

/** A non-negative integer given as a JSON number (if safe) or a decimal / 0x string (wei amounts). */
export function big(v: unknown, path: string, min = 0n): bigint {
  let value: bigint | undefined;
  if (typeof v === "number" && Number.isSafeInteger(v)) value = BigInt(v);
  else if (typeof v === "string" && /^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(v)) value = BigInt(v);
  if (value === undefined || value < min || value >= 1n << 256n) fail(path, `expected an integer >= ${min} (a number, or a decimal or 0x string)`, v);
  return value;
}

export function str(v: unknown, path: string): string {
  if (typeof v !== "string" || v.length === 0) fail(path, "expected a non-empty string", v);
  return v;
}

export function address(v: unknown, path: string): Address {
  if (typeof v !== "string" || !isAddress(v, { strict: false })) fail(path, "expected a 20-byte 0x address", v);
  return getAddress(v);
}

export function url(v: unknown, path: string, protocols: readonly string[]): string {
  const s = str(v, path);
  let parsed: URL;
  try {
    parsed = new URL(s);
  } catch {
    fail(path, "not a URL", v);
  }
  if (!protocols.includes(parsed.protocol)) fail(path, `expected a ${protocols.join(" or ")} URL`, v);
  return s;
}

export function cryptoReason(e: unknown): string {
  return e instanceof CryptoError ? `${e.shortMessage} (${e.code})` : e instanceof Error ? e.message : String(e);
}

export function publicKey(v: unknown, path: string): PublicKey {
  if (typeof v !== "string" || !/^0x[0-9a-fA-F]{96}$/.test(v)) fail(path, "expected a 48-byte compressed BLS12-381 G1 point as 0x hex", v);
  try {
    return PublicKey.fromBytes(v);
  } catch (e) {
    fail(path, `not a valid BLS12-381 G1 point: ${cryptoReason(e)}`, v);
  }
}

/**
 * A key given inline (`<prefix><field>`, 0x hex) or in a file (`<prefix><field>File`), exactly one
 * of them (`why` ends the refusal of both or neither): its text and the path it came from. The
 * caller checks the text; a key is never echoed into messages or logs.
 */
export function keyText(o: Obj, field: string, prefix: string, base: string, why = ""): { hex: string; path: string } {
  const inline = `${prefix}${field}`;
  const inFile = `${inline}File`;
  if ((field in o) === (`${field}File` in o)) fail(inline, `give exactly one of ${inline} (0x hex) and ${inFile} (path)${why}`);
  if (!(`${field}File` in o)) return { hex: str(o[field], inline), path: inline };
  const file = resolvePath(str(o[`${field}File`], inFile), base);
  try {
    return { hex: readFileSync(file, "utf8").trim(), path: inFile };
  } catch (e) {
    fail(inFile, `cannot read ${file}: ${(e as Error).message}`);
  }
}

export function secretKey(o: Obj, base: string): SecretKey {
  const { hex, path } = keyText(o, "secretKey", "", base);
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) fail(path, "expected a 32-byte secret key as 0x hex");
  try {
    return SecretKey.fromBytes(hex);
  } catch (e) {
    fail(path, `not a valid BLS12-381 secret key: ${cryptoReason(e)}`);
  }
}

export function resolvePath(p: string, base: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}
