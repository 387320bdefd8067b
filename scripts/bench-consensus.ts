/**
 * CPU cost of the consensus core per view, with real BLS12-381, at the leader and at a replica,
 * for committees of 4, 16 and 64. Prints ONE JSON line.
 *
 * Workload (the happy path, instant delivery): for each view v the leader of v broadcasts its
 * proposal; every member that acts in the run (the leaders of the coming views and one pure
 * replica) processes it; the leader of v + 1 receives exactly a quorum of votes (its own, the
 * actors', and the rest signed outside the measurement) and proposes. Measured with
 * process.cpuUsage around Core.step only:
 *   replica = handling one proposal: leader signature + justify QC (one pairing each), payload
 *             checks, signing and sending the vote;
 *   leader  = handling the n - f votes of the previous view: optimistic aggregate check (one
 *             pairing for the whole quorum), forming the QC, building and signing the proposal,
 *             and its own vote. (A leader also does replica work for the proposal before.)
 * No verification cache is shared between members here: each member pays for its own checks.
 */
import { Core, createGenesisBlock, hashBlock, type Action, type Proposal, type Vote } from "../src/consensus/index.ts";
import { voteDigest } from "../src/protocol/digests.ts";
import { BLS_BACKEND, quorumSize } from "../src/crypto/index.ts";
import { createBlsCommittee, SIM_DOMAIN } from "../src/sim/index.ts";

const WARMUP_VIEWS = 2;
const MEASURED_VIEWS = 4;

function cpuMs(run: () => void): number {
  const before = process.cpuUsage();
  run();
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000;
}

function proposalIn(actions: readonly Action[]): Proposal {
  for (const a of actions) if (a.type === "broadcast" && a.message.kind === "proposal") return a.message.proposal;
  throw new Error("no proposal in the leader's actions");
}

function bench(n: number): { n: number; quorum: number; leaderMsPerView: number; replicaMsPerView: number } {
  const committee = createBlsCommittee(n, false);
  const genesis = createGenesisBlock();
  const leaderOf = (v: number) => v % n;
  const lastView = WARMUP_VIEWS + MEASURED_VIEWS;
  const actors = new Set<number>([n - 1]);
  for (let v = 1; v <= lastView + 1; v++) actors.add(leaderOf(v));
  const cores = new Map<number, Core>();
  for (const i of actors) {
    // The timer never fires in this workload: the bench measures the happy path only.
    cores.set(i, new Core({ self: i, domain: SIM_DOMAIN, signer: committee.signers[i]!, genesis, pacemaker: { baseTimeout: 1e12, backoffFactor: 1, maxTimeout: 1e12 } }));
  }
  let leaderMs = 0;
  let replicaMs = 0;
  let replicaSamples = 0;
  let leaderActions: Action[] = [];
  for (const [i, core] of cores) {
    const actions = core.step({ type: "start", now: 0 });
    if (i === leaderOf(1)) leaderActions = actions;
  }
  for (let v = 1; v <= lastView; v++) {
    const measured = v > WARMUP_VIEWS;
    const proposal = proposalIn(leaderActions);
    const next = leaderOf(v + 1);
    const votes: Vote[] = [];
    for (const [i, core] of cores) {
      if (i === leaderOf(v)) continue;
      let actions: Action[] = [];
      const ms = cpuMs(() => (actions = core.step({ type: "message", now: v, from: leaderOf(v), message: { kind: "proposal", proposal } })));
      if (measured && i !== next) {
        replicaMs += ms;
        replicaSamples++;
      }
      for (const a of actions) if (a.type === "send" && a.message.kind === "vote" && a.to === next) votes.push(a.message.vote);
    }
    for (const a of leaderActions) if (a.type === "send" && a.message.kind === "vote" && a.to === next) votes.push(a.message.vote);
    // The rest of the quorum, signed by members that are not simulated (outside the measurement).
    const blockHash = hashBlock(SIM_DOMAIN, proposal.block);
    const have = new Set([next, ...votes.map((x) => x.signer)]);
    for (let i = 0; i < n && have.size < quorumSize(n); i++) {
      if (have.has(i)) continue;
      have.add(i);
      votes.push({ view: BigInt(v), blockHash, signer: i, signature: committee.signers[i]!.sign(voteDigest(SIM_DOMAIN, BigInt(v), blockHash)) });
    }
    leaderActions = [];
    const leaderCore = cores.get(next)!;
    const ms = cpuMs(() => {
      for (const vote of votes) leaderActions.push(...leaderCore.step({ type: "message", now: v, from: vote.signer, message: { kind: "vote", vote } }));
    });
    if (measured) leaderMs += ms;
  }
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n, quorum: quorumSize(n), leaderMsPerView: round(leaderMs / MEASURED_VIEWS), replicaMsPerView: round(replicaMs / replicaSamples) };
}

const results = [4, 16, 64].map(bench);
console.log(JSON.stringify({ benchmark: "consensus-core-cpu-per-view", crypto: "bls12-381", backend: BLS_BACKEND, node: process.version, views: MEASURED_VIEWS, results }));
