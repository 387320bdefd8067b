/**
 * The Byzantine modes by name, as the config field `byzantine`, `npm start -- --byzantine
 * <i>:<mode>` and the simulators name them. A behaviour may keep state (what it spoiled, what it
 * saw), so each member gets its own instance.
 */
import { badProposal } from "./bad-proposal.ts";
import type { Behaviour } from "./behaviour.ts";
import { doubleVote } from "./double-vote.ts";
import { equivocate } from "./equivocate.ts";
import { flood } from "./flood.ts";
import { ignoreLock } from "./ignore-lock.ts";
import { silent } from "./silent.ts";

export const BYZANTINE_MODES = ["bad-proposal", "double-vote", "equivocate", "flood", "ignore-lock", "silent"] as const;
export type ByzantineMode = (typeof BYZANTINE_MODES)[number];

/** One line per mode, for usage texts. */
export const BYZANTINE_MODE_HELP: Readonly<Record<ByzantineMode, string>> = {
  "bad-proposal": "proposes bad blocks in turn: wrong state root, an unfunded transfer, a signature not its own",
  "double-vote": "casts a second vote for another block in every view it votes in",
  equivocate: "proposes two blocks per view it leads (L1 slashes it, the committee carries on)",
  flood: "floods its peers with costly-but-useless traffic while following the protocol",
  "ignore-lock": "votes for every proposal it sees, ignoring the voting rule",
  silent: "sends nothing",
};

/** A fresh behaviour for `mode`; `wire` says the member has real links (a flood then also sends oversized frames). */
export function behaviourOf(mode: ByzantineMode, wire: { readonly maxFrameBytes?: number } = {}): Behaviour {
  switch (mode) {
    case "bad-proposal":
      return badProposal();
    case "double-vote":
      return doubleVote();
    case "equivocate":
      return equivocate();
    case "flood":
      return wire.maxFrameBytes === undefined ? flood() : flood({ oversizedEveryPulses: 1_000, maxFrameBytes: wire.maxFrameBytes });
    case "ignore-lock":
      return ignoreLock();
    case "silent":
      return silent();
  }
}
