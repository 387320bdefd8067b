/**
 * Who the committee members are, by L1 member id: each one's BLS key (signatures, the handshake),
 * p2p endpoint (where to dial it) and fee recipient. Member ids are L1's (`Committee` assigns them
 * in application order, and an epoch's member list names them); they are the identity everywhere
 * in the node: signer index i of an epoch is `epoch.members[i]`, a link is to a member id.
 *
 * Two sources fill it. The config's `committee` is the genesis bootstrap: the deployment seats
 * the genesis members in the config's order, so committee[i] is member id i (config.ts checks the
 * keys against the deployments file). L1 does the rest: every epoch the follower reads comes with
 * its members' records (src/settlement/committee-records.ts), and `learn` takes them in, so a
 * member governance admitted after the deployment is known from the epoch that seats it on,
 * without any config edit or restart.
 *
 * Records are checked here too: a key that does not decode to a valid G1 point in the subgroup,
 * or that contradicts the key this directory already holds for that id (L1 never changes a
 * member's key: a mismatch means the config's committee does not belong to this deployment), is
 * refused with a log line and the member stays unknown: an epoch naming it cannot be followed
 * (epochs.ts says so). A malformed endpoint is refused alone: the member's key still verifies its
 * signatures, the node just does not dial it. A later record may move a member's endpoint
 * (`Committee.updateEndpoint`): the newest one wins.
 */
import type { Address } from "viem";
import { PublicKey } from "../crypto/index.ts";
import type { CommitteeRecord, EpochStart, RefusedRecord } from "../settlement/index.ts";
import type { CommitteeMember } from "./config.ts";
import type { Log } from "./log.ts";

export interface DirectoryEntry {
  readonly publicKey: PublicKey;
  /** ws:// or wss:// URL of its p2p listener; undefined when no source gave a usable one. */
  readonly url: string | undefined;
  readonly feeRecipient: Address;
}

export class MemberDirectory {
  readonly #entries = new Map<number, DirectoryEntry>();
  /** Epochs whose records were taken in (each is read once per follower round). */
  readonly #learned = new Set<bigint>();
  readonly #log: Log | undefined;
  readonly #listeners: (() => void)[] = [];

  /** `bootstrap`: the config's committee, member id i = committee[i]. */
  constructor(bootstrap: readonly CommitteeMember[], log?: Log) {
    this.#log = log;
    bootstrap.forEach((m, id) => this.#entries.set(id, { publicKey: m.publicKey, url: m.url, feeRecipient: m.feeRecipient }));
  }

  get(id: number): DirectoryEntry | undefined {
    return this.#entries.get(id);
  }

  has(id: number): boolean {
    return this.#entries.has(id);
  }

  /** The key of member `id`; throws for a member this directory does not know (callers check `has` first). */
  key(id: number): PublicKey {
    const entry = this.#entries.get(id);
    if (entry === undefined) throw new RangeError(`member ${id} is not known: neither the config nor any epoch read from L1 names it`);
    return entry.publicKey;
  }

  /** Known member ids, ascending. */
  ids(): number[] {
    return [...this.#entries.keys()].sort((a, b) => a - b);
  }

  /** `listener` runs after `learn` changed an entry (a new member, a moved endpoint). */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Takes in the records of every epoch in `epochs` not taken in yet; returns whether anything changed. */
  learnEpochs(epochs: readonly EpochStart[]): boolean {
    let changed = false;
    for (const e of epochs) {
      if (this.#learned.has(e.epoch) || e.records === undefined) continue;
      this.#learned.add(e.epoch);
      if (this.#learn(e.epoch, e.records, e.refused ?? [])) changed = true;
    }
    if (changed) for (const listener of this.#listeners) listener();
    return changed;
  }

  #learn(epoch: bigint, records: readonly CommitteeRecord[], refused: readonly RefusedRecord[]): boolean {
    for (const r of refused) {
      this.#log?.("error", "committee.record_refused", { epoch, memberId: r.memberId, field: r.field, error: r.reason, note: r.field === "endpoint" ? "the member's key is kept; it is not dialled until L1 gives it a valid endpoint" : "this member cannot be followed: an epoch naming it is not joined" });
    }
    let changed = false;
    for (const r of records) {
      let publicKey: PublicKey;
      try {
        publicKey = PublicKey.fromEip2537(r.publicKey);
      } catch (e) {
        this.#log?.("error", "committee.record_refused", { epoch, memberId: r.memberId, field: "publicKey", error: `key is not a valid BLS12-381 G1 point: ${(e as Error).message}` });
        continue;
      }
      const known = this.#entries.get(r.memberId);
      if (known !== undefined && !known.publicKey.equals(publicKey)) {
        this.#log?.("error", "committee.record_refused", { epoch, memberId: r.memberId, field: "publicKey", error: `L1's key for member ${r.memberId} is not the one this node has for it (its config's committee is not this deployment's)` });
        continue;
      }
      // A genesis member seated without an endpoint keeps the config's.
      const url = r.endpoint ?? known?.url;
      if (known !== undefined && known.url === url && known.feeRecipient === r.feeRecipient) continue;
      this.#entries.set(r.memberId, { publicKey, url, feeRecipient: r.feeRecipient });
      if (known === undefined) this.#log?.("info", "committee.member_learned", { epoch, memberId: r.memberId, url, feeRecipient: r.feeRecipient });
      else if (known.url !== url) this.#log?.("info", "committee.endpoint_changed", { epoch, memberId: r.memberId, from: known.url, url });
      changed = true;
    }
    return changed;
  }
}
