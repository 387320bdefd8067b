/**
 * The method registry: one file per method under methods/, each exporting a `RpcMethod`. Adding
 * a method is adding a file and a line in methods/index.ts.
 */
import type { RpcContext } from "./context.ts";

export type RpcMethod = (params: readonly unknown[], ctx: RpcContext) => unknown;

export type RpcRegistry = ReadonlyMap<string, RpcMethod>;

export function createRegistry(methods: Record<string, RpcMethod>): RpcRegistry {
  return new Map(Object.entries(methods));
}
