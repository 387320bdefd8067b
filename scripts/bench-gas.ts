/**
 * `npm run bench:gas`: gas figures of the contracts on Hardhat's simulated Prague network (real
 * EIP-2537 precompiles), printed as ONE JSON line on stdout. The workload is fixed (seeded keys
 * and digests), so two runs print the same figures. Figures go to BENCHMARKS.md, never into a
 * test's pass/fail.
 *
 * Sections live in scripts/bench/gas/<name>.ts, each exporting
 *   export async function measure(viem: HardhatViemHelpers): Promise<Record<string, unknown>>
 * and their keys are merged into the top level of the output in file-name order (a key defined
 * by two sections is an error, not a silent overwrite); add a file to add a section. Files named
 * run-<name>.ts are standalone runners of one section and are not loaded here.
 */
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { network } from "hardhat";
import { buildContracts } from "../src/devnet/build.ts";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";

type MeasureGas = (viem: HardhatViemHelpers) => Promise<Record<string, unknown>>;

// Build first, with the compiler's output on stderr so stdout carries only the JSON line.
// buildContracts holds the project's build lock: a build running alongside (npm test, npm start)
// would otherwise race this one on hardhat's cache files.
try {
  await buildContracts({ stdio: ["ignore", 2, 2] });
} catch (e) {
  console.error(`contract build failed: ${(e as Error).message}`);
  process.exit(1);
}

const require = createRequire(import.meta.url);
const { viem } = await network.create();
const result: Record<string, unknown> = {
  node: process.version,
  hardhat: require("hardhat/package.json").version as string,
  solc: require("solc/package.json").version as string,
  hardfork: "prague",
};
const sectionDir = new URL("./bench/gas/", import.meta.url);
const sections = readdirSync(sectionDir).filter((f) => f.endsWith(".ts") && !f.startsWith("run-")).sort();
for (const file of sections) {
  const section = (await import(new URL(file, sectionDir).href)) as { measure?: MeasureGas };
  if (typeof section.measure !== "function") throw new Error(`${file} is in scripts/bench/gas/ but exports no measure()`);
  for (const [key, value] of Object.entries(await section.measure(viem))) {
    if (key in result) throw new Error(`gas benchmark key ${JSON.stringify(key)} is defined twice (again by ${file})`);
    result[key] = value;
  }
}
console.log(JSON.stringify(result));
