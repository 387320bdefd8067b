/**
 * What keeps concurrent test processes from racing: named locks (abstract unix sockets), the
 * port reservations built on them, and the one-build-at-a-time rule for `hardhat build`.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildContracts, buildLockName, CONTRACTS_BUILT_ENV } from "../../src/devnet/build.ts";
import { tryLock } from "../../src/devnet/locks.ts";
import { findFreePort, findFreePortRange } from "../../src/devnet/ports.ts";

const SRC = (file: string) => fileURLToPath(new URL(`../../src/devnet/${file}`, import.meta.url));

/** A node process that runs `body` (ESM, with top-level await), prints one JSON line, then idles until killed. */
async function holder(body: string): Promise<{ child: ChildProcess; said: unknown }> {
  const child = spawn(process.execPath, ["--experimental-strip-types", "--disable-warning=ExperimentalWarning", "--input-type=module", "-e", `${body}\nsetInterval(() => {}, 1000);`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  return { child, said: JSON.parse(line.toString("utf8")) };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGKILL");
  await once(child, "exit");
}

const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) await kill(child);
});

describe("named locks", () => {
  test("one holder at a time, this process included; free again once released", async () => {
    const first = await tryLock("test-locks-one-holder");
    assert.ok(first);
    assert.equal(await tryLock("test-locks-one-holder"), undefined);
    await first.release();
    const again = await tryLock("test-locks-one-holder");
    assert.ok(again);
    await again.release();
  });

  test("a holder that is SIGKILLed leaves no stale lock behind", async () => {
    const name = `test-locks-killed-${process.pid}`;
    const { child } = await holder(`const { tryLock } = await import(${JSON.stringify(SRC("locks.ts"))}); console.log(JSON.stringify(Boolean(await tryLock(${JSON.stringify(name)}))));`);
    children.push(child);
    assert.equal(await tryLock(name), undefined, "held by the other process");
    await kill(child);
    const mine = await tryLock(name);
    assert.ok(mine, "the kernel freed it with the process");
    await mine.release();
  });

  test("a bad name is refused, naming it", async () => {
    await assert.rejects(tryLock("a/b"), /lock name must be .* got "a\/b"/);
  });
});

describe("port picking across processes", () => {
  test("a port another process picked (and has not bound yet) is never picked here", async (t) => {
    const { child, said } = await holder(`const { findFreePort } = await import(${JSON.stringify(SRC("ports.ts"))}); console.log(JSON.stringify(await findFreePort()));`);
    children.push(child);
    const theirs = said as number;
    // Make this process's random pick land on exactly their port first: before reservations,
    // the probe found it free (nothing listens on it yet) and both devnets got it.
    let calls = 0;
    const random = Math.random.bind(Math);
    t.mock.method(Math, "random", () => (calls++ === 0 ? (theirs - 20_000 + 0.5) / (32_768 - 20_000) : random()));
    const mine = await findFreePort();
    assert.ok(calls >= 2, "the first pick was refused and another one drawn");
    assert.notEqual(mine, theirs);
    await kill(child);
  });

  test("picks in one process never repeat, and a range is reserved as a whole", async () => {
    const base = await findFreePortRange(4);
    const singles = await Promise.all(Array.from({ length: 20 }, () => findFreePort()));
    const all = [base, base + 1, base + 2, base + 3, ...singles];
    assert.equal(new Set(all).size, all.length);
    for (const port of all) assert.equal(await tryLock(`port-${port}`), undefined, `port ${port} is reserved`);
  });
});

describe("hardhat build never runs twice at once", () => {
  test(`${CONTRACTS_BUILT_ENV}=1 (set by npm test after its one build): nothing is built`, async () => {
    assert.equal(await buildContracts({ env: { ...process.env, [CONTRACTS_BUILT_ENV]: "1" } }), false);
  });

  test("a build waits for the one holding the project's build lock", async () => {
    const held = await tryLock(buildLockName());
    assert.ok(held, "no other build runs right now");
    try {
      const env = { ...process.env };
      delete env[CONTRACTS_BUILT_ENV];
      await assert.rejects(buildContracts({ env, lockTimeoutMs: 300 }), /the lock build-[0-9a-f]{16} was still held by another process after 0\.3 s/);
    } finally {
      await held.release();
    }
  });
});
