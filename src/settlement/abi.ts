/**
 * The ABIs of the L1 contracts, read from the Hardhat build (`artifacts/`), so the worker always
 * speaks the contracts that were deployed from this tree. `L1_ERRORS_ABI` gathers the custom
 * errors of all three contracts (and their libraries): a revert in `Rollup.settle` can come from
 * the Committee it calls, and decoding it needs that contract's errors too.
 */
import { readFileSync } from "node:fs";
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type Abi, type Hex } from "viem";
import { SettlementError, type DecodedRevert } from "./errors.ts";

const ARTIFACTS = new URL("../../artifacts/contracts/", import.meta.url);

function readAbi(name: string): Abi {
  const path = new URL(`${name}.sol/${name}.json`, ARTIFACTS);
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { abi: Abi }).abi;
  } catch (cause) {
    throw new SettlementError("MISSING_ARTIFACTS", `cannot read the ${name} ABI at ${path.pathname}: build the contracts first (npx hardhat build)`, { cause });
  }
}

export const ROLLUP_ABI = readAbi("Rollup");
export const COMMITTEE_ABI = readAbi("Committee");
export const BRIDGE_ABI = readAbi("Bridge");

export const L1_ERRORS_ABI: Abi = (() => {
  const seen = new Set<string>();
  const errors = [];
  for (const item of [...ROLLUP_ABI, ...COMMITTEE_ABI, ...BRIDGE_ABI]) {
    if (item.type !== "error") continue;
    const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
    if (!seen.has(key)) seen.add(key), errors.push(item);
  }
  return errors;
})();

/** The revert data inside a viem error, if the failure was a revert. */
function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.raw !== undefined) return reverted.raw;
  const withData = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
  return withData?.data;
}

/** Decodes a contract custom error from a viem error; undefined when it was not a custom-error revert. */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  const data = revertData(error);
  if (data === undefined || data.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: L1_ERRORS_ABI, data });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return { errorName: `unknown error ${data.slice(0, 10)}`, args: [] };
  }
}
