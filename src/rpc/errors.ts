/**
 * JSON-RPC errors with EIP-1474 codes, one typed subclass per code (viem's shape). Every method
 * throws an RpcError (or a domain error that `toRpcError` maps); the server turns it into the
 * `error` member of the response. Messages say what was wrong and with which value, as the domain
 * errors already do.
 */
import type { Hex } from "viem";
import { ExecutionError } from "../execution/index.ts";
import { QueueError } from "../queues/index.ts";

export const RPC_ERRORS = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** EIP-1474 "invalid input": a transaction or call the node refuses. */
  TRANSACTION_REFUSED: -32000,
  /** EIP-1474 "resource not found": e.g. state at a block this node does not keep. */
  RESOURCE_NOT_FOUND: -32001,
  /** EIP-1474 "resource unavailable": Redis (the intake queue) is down. */
  RESOURCE_UNAVAILABLE: -32002,
} as const;

export class RpcError extends Error {
  override name = "RpcError";
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown) {
    super(message);
    this.code = code;
    this.data = data;
  }
}

export class ParseError extends RpcError {
  override name = "ParseError";
  constructor(message: string) {
    super(RPC_ERRORS.PARSE_ERROR, `parse error: ${message}`);
  }
}

export class InvalidRequestError extends RpcError {
  override name = "InvalidRequestError";
  constructor(message: string) {
    super(RPC_ERRORS.INVALID_REQUEST, `invalid request: ${message}`);
  }
}

export class MethodNotFoundError extends RpcError {
  override name = "MethodNotFoundError";
  constructor(method: string) {
    super(RPC_ERRORS.METHOD_NOT_FOUND, `the method ${method.slice(0, 64)} does not exist / is not available`);
  }
}

export class InvalidParamsError extends RpcError {
  override name = "InvalidParamsError";
  constructor(what: string, value?: unknown) {
    const shown = value === undefined ? "" : `: got ${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v))?.slice(0, 100)}`;
    super(RPC_ERRORS.INVALID_PARAMS, `invalid params: ${what}${shown}`);
  }
}

export class InternalError extends RpcError {
  override name = "InternalError";
  constructor() {
    super(RPC_ERRORS.INTERNAL_ERROR, "internal error");
  }
}

/** -32000: the input is well-formed but refused (a transaction, a call with data, ...). */
export class InvalidInputError extends RpcError {
  override name = "InvalidInputError";
  constructor(message: string, data?: unknown) {
    super(RPC_ERRORS.TRANSACTION_REFUSED, message, data);
  }
}

/** A call that reverted, as geth answers it: code 3, the reason when it is Error(string), the revert data. */
export class ExecutionRevertedError extends RpcError {
  override name = "ExecutionRevertedError";
  constructor(reason: string | undefined, data: Hex) {
    super(3, reason === undefined ? "execution reverted" : `execution reverted: ${reason}`, data);
  }
}

export class ResourceNotFoundError extends RpcError {
  override name = "ResourceNotFoundError";
  constructor(message: string) {
    super(RPC_ERRORS.RESOURCE_NOT_FOUND, message);
  }
}

export class ResourceUnavailableError extends RpcError {
  override name = "ResourceUnavailableError";
  constructor(message: string) {
    super(RPC_ERRORS.RESOURCE_UNAVAILABLE, message);
  }
}

export function invalidParams(what: string, value?: unknown): RpcError {
  return new InvalidParamsError(what, value);
}

/** Maps any thrown value to the error a client sees; unknown failures never leak a stack. */
export function toRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  if (e instanceof ExecutionError) return new InvalidInputError(e.message, { code: e.code });
  if (e instanceof QueueError && e.code === "REDIS_UNAVAILABLE") return new ResourceUnavailableError(`transaction not accepted: ${e.message}`);
  if (e instanceof QueueError) return new ResourceUnavailableError(e.message);
  return new InternalError();
}
