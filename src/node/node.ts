/**
 * One running node: the member plus its JSON-RPC server, started and stopped together. This is
 * what `npm run node` runs and what tests spawn.
 */
import type { Server } from "node:http";
import { closeRpc, createMethods, serveRpc } from "../rpc/index.ts";
import type { NodeConfig } from "./config.ts";
import type { Log } from "./log.ts";
import { Member } from "./member.ts";
import { createRpcContext } from "./rpc-context.ts";

export interface RunningNode {
  readonly member: Member;
  readonly rpcPort: number;
  stop(): Promise<void>;
}

/** `onFatal`: the member stopped on its own (its store was found damaged after start-up). */
export async function startNode(config: NodeConfig, log: Log, onFatal?: (e: Error) => void): Promise<RunningNode> {
  let server: Server | undefined;
  const member = await Member.start(config, log, (e) => {
    if (server !== undefined) void closeRpc(server);
    onFatal?.(e);
  });
  try {
    server = await serveRpc(
      {
        registry: createMethods({ blockGasLimit: config.execution.blockGasLimit }),
        context: createRpcContext(member),
        blockGasLimit: config.execution.blockGasLimit,
        // Internal errors are the member's; a WebSocket client cut off or gone is the client's.
        log: (event, fields) => log(event === "rpc.internal_error" || event === "rpc.subscription_failed" ? "error" : "warn", event, fields),
      },
      config.listen.host,
      config.listen.rpcPort,
    );
  } catch (e) {
    await member.stop();
    throw e;
  }
  const listening = server;
  const address = listening.address();
  const rpcPort = typeof address === "object" && address !== null ? address.port : config.listen.rpcPort;
  log("info", "rpc.listening", { url: `http://${config.listen.host}:${rpcPort}`, ws: `ws://${config.listen.host}:${rpcPort}` });
  return {
    member,
    rpcPort,
    async stop() {
      // Stop taking requests first, then the member (which waits for running queue jobs).
      await closeRpc(listening);
      await member.stop();
    },
  };
}
