/**
 * Loopback ports for the processes the devnet starts. The devnet binds everything to loopback
 * by default: its keys are public (a fixed mnemonic), so nothing it runs may face a network.
 */
import { createServer, type Server } from "node:net";
import { DevnetError } from "./errors.ts";

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

/** Listens on a random port of the picking range; undefined when that one is taken. */
async function holdRandomPort(host: string): Promise<Server | undefined> {
  const port = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM));
  return await new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}

/**
 * A port nothing listens on right now. Another process can still take it before ours binds;
 * callers that start a server on it report that as the server failing to start.
 */
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

/**
 * `n` different free ports: each probe server stays open until all are found, because a port
 * released and asked for again could come back a second time (two members on one port).
 */
export async function findFreePorts(n: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let attempts = 0; servers.length < n; attempts++) {
      if (attempts > 10_000) throw new DevnetError("PORT_IN_USE", `no ${n} free ports on ${host} in ${PICK_FROM}-${PICK_BELOW - 1}`);
      const server = await holdRandomPort(host);
      if (server !== undefined) servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

/**
 * A base port with `count` consecutive ports free above it (the devnet numbers member i's
 * JSON-RPC port base + i), from the same picking range as findFreePort.
 */
export async function findFreePortRange(count: number, host = "127.0.0.1"): Promise<number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  for (let attempt = 0; attempt < 1_000; attempt++) {
    const base = PICK_FROM + Math.floor(Math.random() * (PICK_BELOW - PICK_FROM - count));
    let free = true;
    for (let port = base; port < base + count && free; port++) free = await probe(host, port).then(() => true, () => false);
    if (free) return base;
  }
  throw new DevnetError("PORT_IN_USE", `no ${count} consecutive free ports on ${host} in ${PICK_FROM}-${PICK_BELOW - 1}`);
}
