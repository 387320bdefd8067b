/** The test contracts of test/fixtures/evm (source Contracts.sol beside its compiled contracts.json). */
import { readFileSync } from "node:fs";
import { encodeDeployData, encodeFunctionData, type Abi, type Hex } from "viem";

type Compiled = Record<"Store" | "Token" | "Withdrawer" | "Hashes", { abi: Abi; bytecode: Hex }>;
export const compiled = JSON.parse(readFileSync(new URL("../fixtures/evm/contracts.json", import.meta.url), "utf8")) as Compiled;

export function deployData(name: keyof Compiled, args: readonly unknown[] = []): Hex {
  const { abi, bytecode } = compiled[name];
  return encodeDeployData({ abi, bytecode, args } as Parameters<typeof encodeDeployData>[0]);
}

export function callData(name: keyof Compiled, functionName: string, args: readonly unknown[] = []): Hex {
  return encodeFunctionData({ abi: compiled[name].abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
}
