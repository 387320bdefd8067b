/**
 * The whole-member simulator's invariants, judged as the run goes from what honest hosts log and
 * send (never from inside the code under test):
 *
 *  - safety: no two honest members commit different blocks at one height (read back from their
 *    stores, so a restart that forgot something shows);
 *  - epochs: every honest member switches epoch at the same block;
 *  - signatures: no honest member signs two different messages of one kind in one view of one
 *    epoch, across restarts, and none votes in a view after signing a timeout for it;
 *  - no honest member's own code fails (a step that throws, a ledger refusal: a bug tried to
 *    sign something it must not), and no honest member reports evidence against another honest
 *    one (e.g. from blocks of another epoch restored after a restart);
 *  - memory: what a member keeps stays within bounds, whatever a flooding peer sends.
 */
import type { LogLevel } from "../../node/log.ts";
import type { SimHost } from "./host.ts";
import { kindOf } from "./world.ts";

/** Bounds on what one member keeps in memory (entries, not bytes), whatever its peers send. */
export const MEMORY_BOUNDS: Readonly<Record<string, number>> = {
  mempool: 20_000,
  pacerHeld: 256,
  epochHelp: 256,
  budgetPeers: 512,
};

export class StackChecks {
  readonly safetyViolations: string[] = [];
  readonly epochSplits: string[] = [];
  readonly #honest: (host: SimHost) => boolean;
  /** The config member behind signer index `signer` of `epoch`, and whether that member is honest. */
  readonly #honestSigner: (epoch: bigint, signer: number) => boolean;
  readonly #committed = new Map<bigint, string>();
  readonly #boundaries = new Map<bigint, string>();
  readonly #signed = new Map<string, string>();
  readonly #timedOut = new Set<string>();
  /** Committed height per host id. */
  readonly heights = new Map<number, bigint>();
  /** Epoch switches seen per host id (epoch → boundary height). */
  readonly switches = new Map<number, Map<bigint, bigint>>();

  constructor(honest: (host: SimHost) => boolean, honestSigner: (epoch: bigint, signer: number) => boolean) {
    this.#honest = honest;
    this.#honestSigner = honestSigner;
  }

  #violation(text: string): void {
    if (this.safetyViolations.length < 20) this.safetyViolations.push(text);
  }

  log(host: SimHost, level: LogLevel, event: string, fields: Record<string, unknown>): void {
    if (!this.#honest(host)) return;
    switch (event) {
      case "block.committed":
        return this.#committedUpTo(host, BigInt(fields.number as bigint), Number(fields.blocks));
      case "epoch.changed": {
        const epoch = BigInt(fields.epoch as bigint);
        const at = `${fields.boundary}:${String(fields.boundaryHash)}`;
        const first = this.#boundaries.get(epoch);
        if (first === undefined) this.#boundaries.set(epoch, at);
        else if (first !== at && this.epochSplits.length < 20) this.epochSplits.push(`epoch ${epoch}: host ${host.id} switched at ${at}, another honest member at ${first}`);
        let mine = this.switches.get(host.id);
        if (mine === undefined) this.switches.set(host.id, (mine = new Map()));
        mine.set(epoch, BigInt(fields.boundary as bigint));
        return;
      }
      case "consensus.step_failed":
      case "ledger.refused":
      case "sync.store_unreadable":
        return this.#violation(`host ${host.id} (member ${host.member}): ${event} ${JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
      case "consensus.evidence":
        if (this.#honestSigner(BigInt(fields.epoch as bigint), Number(fields.signer))) this.#violation(`host ${host.id} reported ${String(fields.kind)} evidence against honest signer ${fields.signer} of epoch ${fields.epoch} in view ${fields.view}`);
        return;
      case "consensus.rejected":
        if (String(fields.reason).startsWith("internal error")) this.#violation(`host ${host.id}: the core failed on a message: ${String(fields.reason)}`);
        return;
      default:
        if (level === "error") this.#violation(`host ${host.id}: ${event} ${JSON.stringify(fields, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
    }
  }

  /** Reads the newly committed heights back from the host's store and compares them with every other honest member's. */
  #committedUpTo(host: SimHost, number: bigint, blocks: number): void {
    const store = host.store;
    if (store === undefined) return;
    for (let h = number - BigInt(blocks) + 1n; h <= number; h++) {
      const hash = store.canonicalHash(h);
      if (hash === undefined) return this.#violation(`host ${host.id} logged a commit of height ${h} its store does not hold`);
      const first = this.#committed.get(h);
      if (first === undefined) this.#committed.set(h, hash);
      else if (first !== hash) this.#violation(`height ${h}: host ${host.id} committed ${hash}, another honest member ${first}`);
    }
    if (number > (this.heights.get(host.id) ?? 0n)) this.heights.set(host.id, number);
  }

  /** Every frame an honest host sends: its own signed messages are checked against everything it signed before. */
  sent(host: SimHost, data: string): void {
    if (!this.#honest(host)) return;
    const kind = kindOf(data);
    if (kind !== "vote" && kind !== "timeout" && kind !== "proposal") return;
    // Persist before send: what the member signed is on disk (its ledger entry, the safety state) before it leaves.
    if (host.store?.inTransaction === true) this.#violation(`host ${host.id} sent a ${kind} while its store transaction was open`);
    if (host.store?.ledgerDurable === false) this.#violation(`host ${host.id} sent a ${kind} while a ledger entry was committed without fsync`);
    const space = data.indexOf(" ", 2);
    const epoch = data.slice(2, space);
    const body = JSON.parse(data.slice(space + 1)) as {
      vote?: { view: string; blockHash: string };
      timeout?: { view: string; highQc: { view: string } };
      proposal?: { block: { header: { view: string } } };
    };
    let view: bigint;
    let payload: string;
    if (body.vote !== undefined) [view, payload] = [BigInt(body.vote.view), body.vote.blockHash];
    else if (body.timeout !== undefined) [view, payload] = [BigInt(body.timeout.view), `highQc:${BigInt(body.timeout.highQc.view)}`];
    else [view, payload] = [BigInt(body.proposal!.block.header.view), JSON.stringify(body.proposal!.block.header)];
    const key = `${host.member}:${epoch}:${kind}:${view}`;
    const first = this.#signed.get(key);
    if (first === undefined) this.#signed.set(key, payload);
    else if (first !== payload) this.#violation(`member ${host.member} (host ${host.id}) signed two ${kind}s in view ${view} of epoch ${epoch}`);
    const viewKey = `${host.member}:${epoch}:${view}`;
    if (kind === "timeout") this.#timedOut.add(viewKey);
    else if (kind === "vote" && this.#timedOut.has(viewKey)) this.#violation(`member ${host.member} voted in view ${view} of epoch ${epoch} after signing a timeout for it`);
  }

  /** What an honest member keeps in memory, against MEMORY_BOUNDS. */
  memory(host: SimHost): void {
    const replica = host.replica;
    if (replica === undefined || !this.#honest(host)) return;
    const footprint: Record<string, number> = replica.footprint();
    for (const [what, count] of Object.entries(footprint)) {
      const bound = MEMORY_BOUNDS[what];
      if (bound !== undefined && count > bound) this.#violation(`host ${host.id} keeps ${count} ${what} (bound ${bound})`);
    }
  }

  /** The highest height any honest member committed. */
  get maxHeight(): bigint {
    let max = 0n;
    for (const h of this.heights.values()) if (h > max) max = h;
    return max;
  }
}
