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
 * A port nothing listens on right now. Another process can still take it before ours binds;
 * callers that start a server on it report that as the server failing to start.
 */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  return await probe(host, 0);
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
 * released and asked for again can come back from the kernel a second time (two members on one
 * port, EADDRINUSE at start).
 */
export async function findFreePorts(n: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host, port: 0, exclusive: true }, () => resolve());
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}
