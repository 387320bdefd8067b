/**
 * The simulator's judge. It sees every action of every honest member (as an outside observer
 * that survives their crashes) and checks after every step:
 *
 *  1. agreement: no two honest members commit different blocks at one height, and each honest
 *     committed chain is a prefix of the longest one (checked as: heights contiguous from 1, and
 *     the block at each height the same everywhere);
 *  2. no honest member signs two different messages of one kind in one view (the property the
 *     persisted safety state exists for, across restarts too);
 *  3. every QC and TC an honest member sends or commits with verifies;
 *  4. evidence only ever names faulty members, and its two signatures verify;
 *  5. no message ever makes an honest core fail internally.
 */
import type { Hex } from "viem";
import { verifyQc, verifyTc, type VerifyContext } from "../consensus/certificates.ts";
import type { Action, Evidence, Message, QC, TC } from "../consensus/index.ts";
import { proposalDigest, voteDigest } from "../protocol/digests.ts";
import { hashBlock } from "../consensus/core.ts";
import { quorumSize } from "../crypto/index.ts";

export class Invariants {
  readonly violations: string[] = [];
  readonly #ctx: VerifyContext;
  readonly #faulty: ReadonlySet<number>;
  /** height -> block hash, from whichever honest member committed it first. */
  readonly #byHeight = new Map<bigint, Hex>();
  readonly #heights = new Map<number, bigint>();
  /** member -> "kind:view" -> what it signed. */
  readonly #signed = new Map<number, Map<string, string>>();
  readonly #checked = new Set<string>();
  readonly evidence = new Map<string, { kind: string; view: bigint; signer: number }>();

  /** view -> the members seen signing a timeout for it (honest ones: only they are observed). */
  readonly #timeouts = new Map<bigint, Set<number>>();
  readonly #quorum: number;

  constructor(ctx: VerifyContext, faulty: ReadonlySet<number>, committeeSize: number) {
    this.#ctx = ctx;
    this.#faulty = faulty;
    this.#quorum = quorumSize(committeeSize);
  }

  /** Views that ended by timeout: a quorum of honest members signed a timeout for them. */
  get failedViews(): number {
    let count = 0;
    for (const signers of this.#timeouts.values()) if (signers.size >= this.#quorum) count++;
    return count;
  }

  committedHeight(member: number): bigint {
    return this.#heights.get(member) ?? 0n;
  }

  get committedBlocks(): number {
    return this.#byHeight.size;
  }

  /** Observes the actions of one step of an honest member. */
  observe(member: number, actions: readonly Action[]): void {
    for (const a of actions) {
      if (a.type === "send" || a.type === "broadcast") this.#observeMessage(member, a.message);
      else if (a.type === "commit") {
        for (const { hash, block } of a.blocks) this.#observeCommit(member, block.header.number, hash);
        this.#checkQc(member, a.proof.childQc);
        this.#checkQc(member, a.proof.child.justify);
      } else if (a.type === "report-evidence") this.#observeEvidence(member, a.evidence);
      else if (a.type === "reject" && a.reason.startsWith("internal error")) this.#fail(`member ${member}: ${a.reason}`);
    }
  }

  #fail(message: string): void {
    if (this.violations.length < 50) this.violations.push(message);
  }

  #observeCommit(member: number, height: bigint, hash: Hex): void {
    const expected = (this.#heights.get(member) ?? 0n) + 1n;
    if (height !== expected) this.#fail(`member ${member} committed height ${height} after ${expected - 1n}`);
    this.#heights.set(member, height);
    const known = this.#byHeight.get(height);
    if (known === undefined) this.#byHeight.set(height, hash);
    else if (known !== hash) this.#fail(`height ${height}: member ${member} committed ${hash}, another honest member ${known}`);
  }

  #sign(member: number, kind: string, view: bigint, payload: string): void {
    let mine = this.#signed.get(member);
    if (mine === undefined) this.#signed.set(member, (mine = new Map()));
    const key = `${kind}:${view}`;
    const before = mine.get(key);
    if (before === undefined) mine.set(key, payload);
    else if (before !== payload) this.#fail(`honest member ${member} signed two ${kind}s in view ${view}: ${before} and ${payload}`);
  }

  #observeMessage(member: number, m: Message): void {
    switch (m.kind) {
      case "proposal": {
        const { block, tc } = m.proposal;
        // Honest members send "proposal" messages only for blocks they propose; sync answers relay.
        if (m.proposal.proposer === member) this.#sign(member, "proposal", block.header.view, hashBlock(this.#ctx.domain, block));
        this.#checkQc(member, block.justify);
        if (tc !== undefined) this.#checkTc(member, tc);
        return;
      }
      case "vote":
        if (m.vote.signer === member) this.#sign(member, "vote", m.vote.view, m.vote.blockHash);
        return;
      case "timeout":
        if (m.timeout.signer === member) {
          this.#sign(member, "timeout", m.timeout.view, `highQc ${m.timeout.highQc.view}`);
          const signers = this.#timeouts.get(m.timeout.view) ?? new Set<number>();
          this.#timeouts.set(m.timeout.view, signers.add(member));
        }
        this.#checkQc(member, m.timeout.highQc);
        return;
      case "tc":
        return this.#checkTc(member, m.tc);
      case "qc":
        return this.#checkQc(member, m.qc);
      case "sync-response":
        for (const p of m.proposals) this.#checkQc(member, p.block.justify);
        return;
      case "sync-request":
        return;
    }
  }

  #checkQc(member: number, qc: QC): void {
    const key = `qc:${qc.view}:${qc.blockHash}:${qc.signers}:${qc.signature?.toHex() ?? ""}`;
    if (this.#checked.has(key)) return;
    const problem = verifyQc(this.#ctx, qc);
    if (problem !== null) this.#fail(`member ${member} sent an invalid QC: ${problem}`);
    else this.#checked.add(key);
  }

  #checkTc(member: number, tc: TC): void {
    const key = `tc:${tc.view}:${tc.signers}:${tc.signature.toHex()}`;
    if (this.#checked.has(key)) return;
    const problem = verifyTc(this.#ctx, tc);
    if (problem !== null) this.#fail(`member ${member} sent an invalid TC: ${problem}`);
    else this.#checked.add(key);
  }

  #observeEvidence(member: number, e: Evidence): void {
    if (!this.#faulty.has(e.signer)) this.#fail(`member ${member} reported evidence against honest member ${e.signer}`);
    if (!evidenceOk(this.#ctx, e)) this.#fail(`member ${member} reported evidence whose signatures do not verify`);
    this.evidence.set(`${e.kind}:${e.view}:${e.signer}`, { kind: e.kind, view: e.view, signer: e.signer });
  }
}

function evidenceOk(ctx: VerifyContext, e: Evidence): boolean {
  const digest = e.kind === "vote" ? voteDigest : proposalDigest;
  return (
    e.blockHashA !== e.blockHashB &&
    ctx.signer.verify(e.signer, digest(ctx.domain, e.view, e.blockHashA), e.signatureA) &&
    ctx.signer.verify(e.signer, digest(ctx.domain, e.view, e.blockHashB), e.signatureB)
  );
}
