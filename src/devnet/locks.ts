/**
 * Machine-wide named locks between this project's processes, held as a listening socket in
 * Linux's abstract namespace (`\0hotstuff-<name>`). Only one socket can listen on a name, so
 * listening IS taking the lock, and the kernel releases it when the holder closes it or dies
 * (SIGKILL included): no lock file is ever left stale, and no pid (which the kernel recycles)
 * is ever trusted to say who holds it.
 *
 * Used where concurrent test processes race on one machine: a port picked by one devnet is
 * reserved until its servers have bound it (ports.ts), and one `hardhat build` runs at a time
 * (build.ts). Abstract sockets are Linux's; elsewhere a lock is always granted (locks.ts is
 * then a no-op and the races it guards against come back, as before this module existed).
 */
import { createServer, type Server } from "node:net";

export interface NamedLock {
  readonly name: string;
  /** Gives the lock up; idempotent. */
  release(): Promise<void>;
}

const ABSTRACT_NAMESPACE = process.platform === "linux";

/**
 * Takes the lock `name` when nobody holds it; undefined when another holder (this process
 * included) has it. The socket does not keep this process alive (unref), and the kernel frees
 * it at exit, so a lock held for "the rest of this process" needs no release.
 */
export async function tryLock(name: string): Promise<NamedLock | undefined> {
  if (!/^[\w.:-]{1,90}$/.test(name)) throw new RangeError(`lock name must be 1-90 of [A-Za-z0-9_.:-], got ${JSON.stringify(name)}`);
  if (!ABSTRACT_NAMESPACE) return { name, release: async () => {} };
  const server: Server | undefined = await new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", (e: NodeJS.ErrnoException) => (e.code === "EADDRINUSE" ? resolve(undefined) : reject(e)));
    s.listen({ path: `\0hotstuff-${name}` }, () => resolve(s));
  });
  if (server === undefined) return undefined;
  server.unref();
  let released: Promise<void> | undefined;
  return {
    name,
    release: () => (released ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}

/** Waits (polling every `pollMs`) until the lock `name` is free and takes it; throws after `timeoutMs`. */
export async function lock(name: string, options: { timeoutMs: number; pollMs?: number }): Promise<NamedLock> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const held = await tryLock(name);
    if (held !== undefined) return held;
    if (Date.now() > deadline) throw new Error(`the lock ${name} was still held by another process after ${options.timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}
