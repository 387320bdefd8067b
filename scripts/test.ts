/**
 * THE test command (`npm test`): compile the contracts, type-check everything, then run every
 * test file under test/ (TypeScript unit tests and Hardhat contract tests alike) with Node's
 * test runner, and end with one summary line: `tests: N passed, N failed`.
 *
 *   npm test                    everything
 *   npm test -- test/crypto     only files under a path (still compiles and type-checks)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildContracts, CONTRACTS_BUILT_ENV } from "../src/devnet/build.ts";

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(`Node.js >= 22.13 is required (Hardhat 3 and type stripping); this is ${process.version}.`);
  process.exit(1);
}

function run(step: string, command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${step} failed (exit ${result.status ?? result.signal}).`);
    console.log("tests: 0 passed, 1 failed");
    process.exit(1);
  }
}

const bin = (name: string) => join("node_modules", ".bin", name);
// Built once here, under the project's build lock; the test files are then told so, because a
// devnet they start would build again, and two builds at once race on hardhat's cache files
// (src/devnet/build.ts).
try {
  await buildContracts({ stdio: "inherit" });
} catch (e) {
  console.error(`\ncontract build failed: ${(e as Error).message}`);
  console.log("tests: 0 passed, 1 failed");
  process.exit(1);
}
process.env[CONTRACTS_BUILT_ENV] = "1";
run("type-check", bin("tsc"), ["-p", "."]);

const selected = process.argv.slice(2);
const patterns = selected.length === 0
  ? ["test/**/*.test.ts"]
  : selected.map((p) => (p.endsWith(".ts") ? p : `${p.replace(/\/$/, "")}/**/*.test.ts`));
const summaryDir = mkdtempSync(join(tmpdir(), "hotstuff-test-"));
const summaryFile = join(summaryDir, "summary.json");
const result = spawnSync(
  process.execPath,
  [
    ...process.execArgv,
    "--test",
    "--test-concurrency=2",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    "--test-reporter=./scripts/test-summary-reporter.ts",
    `--test-reporter-destination=${summaryFile}`,
    ...patterns,
  ],
  { stdio: "inherit", env: process.env },
);
let passed = 0;
let failed = 0;
try {
  ({ passed, failed } = JSON.parse(readFileSync(summaryFile, "utf8")) as { passed: number; failed: number });
} catch {
  failed = Math.max(failed, 1);
}
rmSync(summaryDir, { recursive: true, force: true });
if (result.status !== 0 && failed === 0) failed = 1;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && result.status === 0 ? 0 : 1);
