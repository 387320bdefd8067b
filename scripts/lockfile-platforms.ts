/**
 * Keeps `npm ci` working with the registry mirror this project builds from.
 *
 * The mirror lacks some platform builds that packages list as optional dependencies (EDR's and
 * msgpackr-extract's darwin/win32/arm binaries). `npm install` silently leaves them out of
 * package-lock.json, and `npm ci` then refuses the lock as "out of sync". This adds an entry for
 * each such package, marked optional and restricted to its os/cpu, so `npm ci` accepts the lock
 * and, on any other platform, never tries to fetch it. Run after every `npm install` that
 * changes the lock:  node --experimental-strip-types scripts/lockfile-platforms.ts
 */
import { readFileSync, writeFileSync } from "node:fs";

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  optionalDependencies?: Record<string, string>;
}

const OSES = ["darwin", "linux", "win32", "freebsd", "android", "openbsd", "sunos"];
const CPUS = ["arm64", "x64", "arm", "ia32", "ppc64", "s390x", "riscv64"];

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as { packages: Record<string, LockEntry> };
const packages = lock.packages;
const added: string[] = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path === "" ? "" : `${path}/`}node_modules/${name}`;
    if (packages[nested] !== undefined || packages[`node_modules/${name}`] !== undefined) continue;
    const os = OSES.find((o) => name.includes(o));
    const cpu = CPUS.find((c) => new RegExp(`[-_]${c}([-_]|$)`).test(name));
    if (os === undefined) {
      console.error(`lockfile-platforms: ${name}@${version} (optional, wanted by ${path}) is missing and is not platform-specific; install it properly`);
      process.exitCode = 1;
      continue;
    }
    packages[`node_modules/${name}`] = { version, ...(entry.dev === true ? { dev: true } : {}), optional: true, os: [os], ...(cpu === undefined ? {} : { cpu: [cpu] }) };
    added.push(`${name}@${version}`);
  }
}
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length === 0 ? "lockfile-platforms: nothing to add" : `lockfile-platforms: added ${added.join(", ")}`);
