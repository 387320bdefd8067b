/**
 * Loopback ports for the processes the devnet starts. The devnet binds everything to loopback
 * by default: its keys are public (a fixed mnemonic), so nothing it runs may face a network.
 */
import { createServer } from "node:net";
import { DevnetError } from "./errors.ts";
import { tryLock, type NamedLock } from "./locks.ts";

/** Listens once on `host:port` (0 = any) and returns the port it got, after closing. */
async function probe(host: string, port: number): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Ports are picked at random below Linux's ephemeral range (32768-60999 by default). A port in
 * that range, free when probed, can be taken before our server binds it as the source port of
 * any outgoing connection (to Redis, to L1, between members): the devnet then failed to start
 * with EADDRINUSE. Nothing takes a port below the range unless it asks for it by number.
 */
const PICK_FROM = 20_000;
const PICK_BELOW = 32_768;

/**
 * Probing alone is racy between processes: a port probed free and released here can be probed
 * free by a test running alongside before either server binds it, and one devnet then fails
 * with EADDRINUSE. So a picked port is first reserved, machine-wide, under the lock
 * `port-<n>` (locks.ts: an abstract unix socket the kernel frees when we exit), and only then
 * probed. Every picker of this project honours the reservation; it is held for the rest of the
 * picking process (the devnet's life: the process that starts it holds it, whether its servers
 * run inside it or as its children), one socket per port picked, so a long test file that
 * starts many devnets holds a few dozen. A port given by the user (checkPortFree) is only
 * probed, never reserved: it was not picked, and a parent that picked it for a child (a test
 * running `npm start -- --rpc-port n`) holds its reservation.
 */
const reserved = new Map<number, NamedLock>();

/** Reserves `port` and probes it free; false (and no reservation kept) when either fails. */
async function reserveFree(host: string, port: number): Promise<boolean> {
  if (reserved.has(port)) return false;
  const held = await tryLock(`port-${port}`);
  if (held === undefined) return false;
  if (await probe(host, port).then(() => true, () => false)) {
    reserved.set(port, held);
    return true;
  }
  await held.release();
  return false;
}

async function unreserve(port: number): Promise<void> {
  await reserved.get(port)?.release();
  reserved.delete(port);
}

/** Reserves a random free port of the picking range; undefined when that one is taken. */
async function pickRandomPort(host: string): Promise<number | undefined> {
  const port = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM));
  return (await reserveFree(host, port)) ? port : undefined;
}

/** A free port of the picking range, reserved for this process (see `reserved`). */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  const [port] = await findFreePorts(1, host);
  return port!;
}

/** Throws PORT_IN_USE (naming the port and what to do) when something already listens there. */
export async function checkPortFree(port: number, host: string, what: string): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new RangeError(`${what} port must be 1..65535, got ${port}`);
  try {
    await probe(host, port);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") {
      throw new DevnetError(
        "PORT_IN_USE",
        `port ${port} on ${host} is already in use, so the ${what} cannot listen there: stop whatever holds it ` +
          `(\`ss -ltnp 'sport = :${port}'\` shows it) or choose another port`,
        { cause },
      );
    }
    throw cause;
  }
}

/** `n` different free ports, each reserved for this process, so none comes back twice. */
export async function findFreePorts(n: number, host = "127.0.0.1"): Promise<number[]> {
  const ports: number[] = [];
  for (let attempts = 0; ports.length < n; attempts++) {
    if (attempts > 10_000) throw new DevnetError("PORT_IN_USE", `no ${n} free ports on ${host} in ${PICK_FROM}-${PICK_BELOW - 1}`);
    const port = await pickRandomPort(host);
    if (port !== undefined) ports.push(port);
  }
  return ports;
}

/**
 * A base port with `count` consecutive ports free above it (the devnet numbers member i's
 * JSON-RPC port base + i), from the same picking range as findFreePort, all reserved.
 */
export async function findFreePortRange(count: number, host = "127.0.0.1"): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const base = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM - count));
    let taken = 0;
    while (taken < count && (await reserveFree(host, base + taken))) taken++;
    if (taken === count) return base;
    for (let i = 0; i < taken; i++) await unreserve(base + i);
  }
  throw new DevnetError("PORT_IN_USE", `no ${count} consecutive free ports on ${host} in ${PICK_FROM}-${PICK_BELOW - 1}`);
}
