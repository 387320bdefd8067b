import { addressParam, blockTagParam, expectParams, invalidParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { checkHeadState } from "./block-tag.ts";

/** Storage slots a proof may ask for at once (geth allows up to 1024 too). */
const MAX_KEYS = 1024;

/**
 * EIP-1186 account proof from the state trie at the committed head (only the head's trie is
 * kept). Accounts have no storage here: every requested slot is 0 with an empty proof against
 * the empty storage root.
 */
export const eth_getProof: RpcMethod = (params, ctx) => {
  expectParams(params, 2, 3, "[address, storageKeys, block?]");
  const address = addressParam(params[0], "address");
  const keys = params[1];
  if (!Array.isArray(keys) || keys.length > MAX_KEYS) throw invalidParams(`storageKeys must be an array of at most ${MAX_KEYS} 32-byte hex keys`, keys);
  keys.forEach((k, i) => {
    if (typeof k !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(k)) throw invalidParams(`storageKeys[${i}] must be 0x hex of at most 32 bytes`, k);
  });
  const tag = blockTagParam(params[2], "block");
  // "pending" has no trie of its own: proofs are of the committed head.
  checkHeadState(tag === "pending" ? "latest" : tag, ctx);
  const p = ctx.proveAccount(address);
  return {
    address: p.address,
    balance: quantity(p.balance),
    codeHash: p.codeHash,
    nonce: quantity(p.nonce),
    storageHash: p.storageHash,
    accountProof: p.accountProof,
    // Keys are echoed in the spec's form (lower-case hex, execution-apis bytesMax32).
    storageProof: (keys as string[]).map((key) => ({ key: key.toLowerCase(), value: "0x0", proof: [] })),
  };
};
