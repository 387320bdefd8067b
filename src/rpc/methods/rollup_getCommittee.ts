import { expectParams, quantity } from "../params.ts";
import type { RpcMethod } from "../registry.ts";

/** The committee this member runs with: members in committee order (index = signer bit, memberId = L1 member id), epoch, quorum. */
export const rollup_getCommittee: RpcMethod = (params, ctx) => {
  expectParams(params, 0, 0, "no params");
  const c = ctx.committee();
  return { epoch: quantity(c.epoch), quorum: c.quorum, members: c.members.map((m) => ({ index: m.index, memberId: m.memberId, publicKey: m.publicKey, feeRecipient: m.feeRecipient })) };
};
