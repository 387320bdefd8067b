/** The test contracts of test/fixtures/evm (source Contracts.sol beside its compiled contracts.json). */
import { readFileSync } from "node:fs";
import { encodeDeployData, encodeFunctionData, getContractAddress, type Abi, type Address, type Hex } from "viem";
import { alice, buildOn, type genesis } from "./chain.ts";
import { transfer } from "./fixtures.ts";

type Compiled = Record<"Store" | "Token" | "Withdrawer" | "Hashes", { abi: Abi; bytecode: Hex }>;
export const compiled = JSON.parse(readFileSync(new URL("../fixtures/evm/contracts.json", import.meta.url), "utf8")) as Compiled;

export function deployData(name: keyof Compiled, args: readonly unknown[] = []): Hex {
  const { abi, bytecode } = compiled[name];
  return encodeDeployData({ abi, bytecode, args } as Parameters<typeof encodeDeployData>[0]);
}

export function callData(name: keyof Compiled, functionName: string, args: readonly unknown[] = []): Hex {
  return encodeFunctionData({ abi: compiled[name].abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
}

/** Where alice's first two creations land: Store, then Token. */
export const STORE = getContractAddress({ from: alice.address, nonce: 0n }).toLowerCase() as Address;
export const TOKEN = getContractAddress({ from: alice.address, nonce: 1n }).toLowerCase() as Address;

/** The block on genesis `g` in which alice deploys Store(`value`) and Token(1000), at STORE and TOKEN. */
export function deployStoreAndToken(g: ReturnType<typeof genesis>, value: bigint) {
  return buildOn(g.header, g.state, {
    mempool: [
      transfer(alice, { nonce: 0n, to: "0x", value: 0n, gas: 300_000n, data: deployData("Store", [value]) }),
      transfer(alice, { nonce: 1n, to: "0x", value: 0n, gas: 600_000n, data: deployData("Token", [1000n]) }),
    ],
  });
}
