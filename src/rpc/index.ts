export { closeRpc, createRpcApp, serveRpc, type RpcServerOptions } from "./server.ts";
export { LimitExceededError, RPC_LIMITS } from "./limits.ts";
export { WEBSOCKET_LIMITS, type WebSocketOptions } from "./websocket.ts";
export { createMethods } from "./methods/index.ts";
export { InvalidInputError, InvalidParamsError, InvalidRequestError, InternalError, MethodNotFoundError, ParseError, ResourceNotFoundError, ResourceUnavailableError, RPC_ERRORS, RpcError, toRpcError } from "./errors.ts";
export type { RpcBlock, RpcCommittee, RpcContext, RpcEvents, RpcFinality } from "./context.ts";
export { createRegistry, type RpcMethod, type RpcRegistry } from "./registry.ts";
