/** Seeded fixtures for consensus tests: committees, cores, and helpers to read action lists. */
import { Core, createGenesisBlock, hashBlock, type Action, type Message, type RestoredState, type Signer } from "../../src/consensus/index.ts";
import { createBlsCommittee, SIM_DOMAIN, SIM_PACEMAKER, type Committee } from "../../src/sim/index.ts";

export const genesis = createGenesisBlock();
export const genesisHash = hashBlock(SIM_DOMAIN, genesis);

const committees = new Map<number, Committee>();

/** A real-BLS committee of n members (keys from fixed seeds), shared by the tests of a file. */
export function committee(n: number): Committee {
  let c = committees.get(n);
  if (c === undefined) committees.set(n, (c = createBlsCommittee(n)));
  return c;
}

export function createCore(c: Committee, self: number, restored?: RestoredState, signer?: Signer): Core {
  return new Core({ self, domain: SIM_DOMAIN, signer: signer ?? c.signers[self]!, genesis, pacemaker: SIM_PACEMAKER }, restored);
}

/** Everything a member persisted, from its action lists, as a restart would find it. */
export function persistedState(actions: readonly Action[]): RestoredState {
  let safety;
  const proposals = [];
  for (const a of actions) {
    if (a.type === "persist-safety") safety = a.state;
    if (a.type === "persist-block") proposals.push(a.proposal);
  }
  if (safety === undefined) throw new Error("nothing was persisted");
  return { safety, proposals };
}

export function sent(actions: readonly Action[], kind: Message["kind"]): { to: number | "all"; message: Message }[] {
  const out: { to: number | "all"; message: Message }[] = [];
  for (const a of actions) {
    if (a.type === "send" && a.message.kind === kind) out.push({ to: a.to, message: a.message });
    if (a.type === "broadcast" && a.message.kind === kind) out.push({ to: "all", message: a.message });
  }
  return out;
}

/** Counts the Signer calls that cost pairings, to check the cheap-before-expensive order. */
export function countingSigner(inner: Signer): { signer: Signer; pairings: () => number } {
  let count = 0;
  const signer: Signer = {
    ...inner,
    sign: (d) => inner.sign(d),
    verify: (m, d, s) => (count++, inner.verify(m, d, s)),
    verifyQuorum: (b, d, s) => (count++, inner.verifyQuorum(b, d, s)),
    verifyQuorumMulti: (b, d, s) => (count++, inner.verifyQuorumMulti(b, d, s)),
  };
  return { signer, pairings: () => count };
}
