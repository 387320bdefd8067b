/**
 * TEST-ONLY: a Byzantine committee member, run inside the test process. It is the real member
 * (src/node/member.ts: the real replica, links, store, Redis intake, L1 follower) started from a
 * real member's config with the config field `byzantine` set, so it misbehaves exactly as a devnet
 * member in that mode does (src/byzantine/), through the one event loop the member and the
 * simulator run. The test reads what it did from its log (`byzantine.*` lines) and may send raw
 * frames over its authenticated links (`sendRaw`, for the malformed-traffic tests).
 */
import type { Hex } from "viem";
import type { BadProposalKind, ByzantineMode } from "../../../src/byzantine/index.ts";
import { loadNodeConfig } from "../../../src/node/config.ts";
import type { LogLevel } from "../../../src/node/log.ts";
import { Member } from "../../../src/node/member.ts";
import type { Network } from "../../../src/network/index.ts";

export interface BadProposal {
  readonly view: bigint;
  readonly hash: Hex;
  readonly kind: BadProposalKind;
}

export interface ByzantineLine {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

export class ByzantineMember {
  readonly member: Member;
  readonly lines: ByzantineLine[];

  private constructor(member: Member, lines: ByzantineLine[]) {
    this.member = member;
    this.lines = lines;
  }

  /** Starts the member of `configFile` in `mode` (its store, ports and Redis prefix are that member's). */
  static async start(configFile: string, mode: ByzantineMode): Promise<ByzantineMember> {
    const config = { ...loadNodeConfig(configFile), byzantine: mode };
    const lines: ByzantineLine[] = [];
    const member = await Member.start(config, (level, event, fields = {}) => {
      if (event.startsWith("byzantine.") || event === "member.byzantine" || level === "error") lines.push({ level, event, fields });
    });
    return new ByzantineMember(member, lines);
  }

  get network(): Network {
    return this.member.network;
  }

  get view(): bigint {
    return this.member.core.view;
  }

  /** The bad blocks it proposed so far (mode `bad-proposal`), oldest first. */
  get proposals(): BadProposal[] {
    return this.events("byzantine.bad_proposal").map((f) => ({ view: BigInt(f.view as bigint), hash: f.hash as Hex, kind: f.kind as BadProposalKind }));
  }

  events(event: string): Record<string, unknown>[] {
    return this.lines.filter((l) => l.event === event).map((l) => l.fields);
  }

  /** Sends `data` as-is over the authenticated link to `to` (malformed-traffic tests). */
  sendRaw(to: number, data: string): boolean {
    return this.network.send(to, data);
  }

  async stop(): Promise<void> {
    await this.member.stop();
  }
}
