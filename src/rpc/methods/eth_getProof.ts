import { addressParam, blockTagParam, expectParams, invalidParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";
import { stateBlock } from "./block-tag.ts";
import { storageSlotParam } from "./storage-slot.ts";

/** Storage slots a proof may ask for at once (geth allows up to 1024 too). */
const MAX_KEYS = 1024;

/**
 * EIP-1186 account and storage proofs from the state trie after the named block (any block whose
 * state is kept: block-tag.ts): each requested slot with its value and the nodes from the
 * account's storage root.
 */
export const eth_getProof: RpcMethod = (params, ctx) => {
  expectParams(params, 2, 3, "[address, storageKeys, block?]");
  const address = addressParam(params[0], "address");
  const keys = params[1];
  if (!Array.isArray(keys) || keys.length > MAX_KEYS) throw invalidParams(`storageKeys must be an array of at most ${MAX_KEYS} 32-byte hex keys`, keys);
  const slots = keys.map((k, i) => storageSlotParam(k, `storageKeys[${i}]`));
  const tag = blockTagParam(params[2], "block");
  // "pending" has no trie of its own: its proofs are of the committed head.
  const p = ctx.proveAccount(address, slots, stateBlock(tag, ctx));
  return {
    address: p.address,
    balance: quantity(p.balance),
    codeHash: p.codeHash,
    nonce: quantity(p.nonce),
    storageHash: p.storageHash,
    accountProof: p.accountProof,
    // Keys are echoed in the spec's form (lower-case hex, execution-apis bytesMax32).
    storageProof: p.storageProof.map((s, i) => ({ key: (keys[i] as string).toLowerCase(), value: quantity(s.value), proof: s.proof })),
  };
};
