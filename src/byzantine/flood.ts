/**
 * Flooding member: an authenticated peer that follows the protocol (it still proposes and votes)
 * and, on every pulse of its clock, sends each peer a burst of traffic that is costly to check
 * but useless or invalid, far above an honest member's rate (~1,000 frames/s per peer against an
 * honest member's few dozen), within what its link lets it send:
 *
 *   - votes and timeouts for future views, inside the core's future-view window and far beyond
 *     it, properly signed (each costs the receiver a signature check, and buffer space if kept);
 *   - the latest proposal it saw, with a signature that is not its leader's (a pairing to refuse);
 *   - sync requests for the largest range from the newest block it knows (disk reads, encoding);
 *   - garbage frames: well-formed JSON of the wrong shape, 16 KiB each (parsed, then refused);
 *   - the same gossiped transaction over and over (an unfunded transfer: intake, recovery, Redis);
 *   - optionally, every `oversizedEveryPulses` pulses, a frame over the transport's frame limit,
 *     which makes the receiver close the link (and the flooder redial).
 *
 * Its signatures are made once per view and replayed, so the flood costs the flooder little CPU
 * (it is one process among the members on a devnet machine: its own load must not be the attack).
 * The honest side's defences are what it exercises: the transport's byte budget per peer, the
 * member's verification budget per peer (src/node/peer-budget.ts), the core's future-view window,
 * sync paged by bytes, the intake's deduplication. Honest members must keep committing, and no
 * member's memory may grow with it.
 */
import { toHex, type Hex } from "viem";
import { keccak256 } from "../crypto/keccak.ts";
import { MAX_SYNC_PROPOSALS, type Action, type Message, type Proposal, type QC } from "../consensus/index.ts";
import { proposalDigestOf, timeoutDigestOf, voteDigestOf } from "../consensus/digests.ts";
import { encodeConsensusEnvelope, encodeTxEnvelope } from "../node/envelope.ts";
import type { Behaviour, ByzantineContext, Frame } from "./behaviour.ts";
import { unfundedTransfer } from "./unfunded-transfer.ts";

export interface FloodOptions {
  /** Pulse period of the member's clock, in ms. */
  readonly pulseMs?: number;
  /** Gossiped copies of one transaction per pulse. */
  readonly txsPerPulse?: number;
  /** An oversized frame every this many pulses; 0: never (a simulated link has no frame limit). */
  readonly oversizedEveryPulses?: number;
  /** The transport's frame limit, which the oversized frame exceeds. */
  readonly maxFrameBytes?: number;
}

/** Views ahead of the flooder's own that its votes and timeouts name: inside the window, then far beyond. */
const AHEAD = [1n, 2n, 3n, 1_000n, 1_000_000n];
const GARBAGE = `{"kind":"nonsense","pad":"${"x".repeat(16 * 1024)}"}`;

export const flood = (options: FloodOptions = {}): Behaviour => {
  const txsPerPulse = options.txsPerPulse ?? 4;
  const oversizedEvery = options.oversizedEveryPulses ?? 0;
  let pulses = 0;
  let latest: Proposal | undefined;
  let tx: Hex | undefined;
  /** Signed messages of the view they were made in: replayed until the view changes. */
  let cached: { view: bigint; epoch: bigint; messages: Message[] } | undefined;

  const messagesFor = (ctx: ByzantineContext): Message[] => {
    if (cached !== undefined && cached.view === ctx.view && cached.epoch === ctx.epoch) return cached.messages;
    const messages: Message[] = [];
    const highQc: QC | undefined = latest?.block.justify;
    for (const ahead of AHEAD) {
      const view = ctx.view + ahead;
      const blockHash = keccak256(toHex(view));
      messages.push({ kind: "vote", vote: { view, blockHash, signer: ctx.self, signature: ctx.signer.sign(voteDigestOf(ctx.domain, view, blockHash)) } });
      if (highQc !== undefined) messages.push({ kind: "timeout", timeout: { view, highQc, signer: ctx.self, signature: ctx.signer.sign(timeoutDigestOf(ctx.domain, view, highQc.view)) } });
    }
    if (latest !== undefined) {
      const hash = ctx.hashOf(latest.block);
      if (ctx.leaderOf(latest.block.header.view) !== ctx.self) {
        messages.push({ kind: "proposal", proposal: { ...latest, signature: ctx.signer.sign(proposalDigestOf(ctx.domain, latest.block.header.view, hash)) } });
      }
      messages.push({ kind: "sync-request", blockHash: hash, limit: MAX_SYNC_PROPOSALS, above: 0n });
    }
    cached = { view: ctx.view, epoch: ctx.epoch, messages };
    return messages;
  };

  return {
    name: "flood",
    pulseMs: options.pulseMs ?? 10,
    rewrite: (_ctx, actions) => [...actions],
    onMessage(_ctx, _from, message) {
      if (message.kind === "proposal" && (latest === undefined || message.proposal.block.header.view > latest.block.header.view)) latest = message.proposal;
      return [];
    },
    pulse(ctx) {
      pulses++;
      tx ??= unfundedTransfer(ctx.domain.chainId);
      const out: (Action | Frame)[] = messagesFor(ctx).map((message): Action => ({ type: "broadcast", message }));
      out.push({ type: "frame", data: encodeConsensusEnvelope(ctx.epoch, GARBAGE) });
      const gossip = encodeTxEnvelope(tx);
      for (let k = 0; k < txsPerPulse; k++) out.push({ type: "frame", data: gossip });
      if (oversizedEvery > 0 && pulses % oversizedEvery === 0) {
        out.push({ type: "frame", data: encodeConsensusEnvelope(ctx.epoch, "x".repeat((options.maxFrameBytes ?? 8 * 1024 * 1024) + 1024)) });
        ctx.note("byzantine.oversized_frame", { pulse: pulses });
      }
      if (pulses % 1_000 === 1) ctx.note("byzantine.flooding", { pulse: pulses, view: ctx.view, perPulse: out.length });
      return out;
    },
  };
};
