/**
 * TEST-ONLY: a Byzantine committee member, run inside the test process. It holds a real member's
 * key, joins the committee over the real authenticated links, follows the chain with the real
 * core and execution (so its blocks extend the real chain and carry valid QCs), but every block
 * it proposes is bad in one chosen way:
 *
 *   "state-root"     honest contents, wrong state root
 *   "invalid-tx"     block data carrying a transfer from an account without funds
 *   "bad-signature"  an honest block whose proposal signature is not the leader's
 *   "equivocate"     an honest block, then a second one for the same view (timestamp + 1), both
 *                    properly signed and sent to everyone: equivocation evidence for L1
 *
 * It never answers sync requests and never votes for its own blocks, so a bad block can only
 * reach honest members through the proposal under test. It also exposes the raw link (`sendRaw`)
 * for the malformed-traffic tests. Nothing here is reachable from the node's user path.
 */
import { keccak256, parseGwei, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { Core, createBlsSigner, decodeMessage, encodeMessage, type Action, type Message, type Proposal, type Signer } from "../../../src/consensus/index.ts";
import type { Domain } from "../../../src/protocol/domain.ts";
import { SecretKey } from "../../../src/crypto/index.ts";
import { encodeBlockData, hashBlockData } from "../../../src/execution/index.ts";
import { Network } from "../../../src/network/index.ts";
import { Chain, storeIdentity } from "../../../src/node/chain.ts";
import { twinProposal } from "../../../src/node/misbehaviour.ts";
import { loadNodeConfig } from "../../../src/node/config.ts";
import { decodeEnvelope, encodeConsensusEnvelope } from "../../../src/node/envelope.ts";
import { Store } from "../../../src/store/index.ts";

export type Misbehaviour = "state-root" | "invalid-tx" | "bad-signature" | "equivocate";

export interface BadProposal {
  readonly view: bigint;
  readonly hash: Hex;
  readonly kind: Misbehaviour;
}

export class ByzantineMember {
  readonly proposals: BadProposal[] = [];
  readonly network: Network;
  readonly #core: Core;
  readonly #chain: Chain;
  readonly #store: Store;
  readonly #plan: Misbehaviour[];
  readonly #signer: Signer;
  readonly #self: number;
  readonly #domain: Domain;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #current: Misbehaviour = "state-root";

  private constructor(configFile: string, plan: Misbehaviour[], badTransaction: Hex) {
    this.#plan = [...plan];
    const config = loadNodeConfig(configFile);
    const keys = config.committee.map((c) => c.publicKey);
    const signer = createBlsSigner(config.secretKey, keys);
    this.#signer = signer;
    this.#self = config.member;
    this.#domain = config.domain;
    this.#store = Store.open(":memory:", storeIdentity(config));
    this.#chain = new Chain(config, this.#store, signer);
    const chain = this.#chain;
    this.#core = new Core({
      self: config.member,
      domain: config.domain,
      signer,
      genesis: chain.genesis.block,
      pacemaker: { baseTimeout: config.consensus.baseTimeoutMs, backoffFactor: config.consensus.backoffFactor, maxTimeout: config.consensus.maxTimeoutMs },
      validateBlock: chain.validateBlock,
      buildPayload: (parent, view, now) => {
        const honest = chain.buildPayload(parent, view, now);
        this.#current = this.#plan.shift() ?? "bad-signature";
        if (this.#current === "state-root") return { ...honest, fields: { ...honest.fields, stateRoot: keccak256("0xbad0") } };
        if (this.#current === "invalid-tx") {
          const payload = encodeBlockData([badTransaction]);
          return { payload, fields: { ...honest.fields, dataHash: hashBlockData(payload) } };
        }
        return honest;
      },
    });
    this.network = new Network({
      self: config.member,
      secretKey: config.secretKey,
      committee: keys,
      peers: config.committee.flatMap((c, index) => (index === config.member ? [] : [{ index, url: c.url }])),
      domain: config.domain,
      listen: { host: config.listen.host, port: config.listen.p2pPort },
    });
  }

  static async start(configFile: string, plan: Misbehaviour[]): Promise<ByzantineMember> {
    const config = loadNodeConfig(configFile);
    // A transfer from a key that holds nothing on L2: valid encoding and signature, no funds.
    const badTransaction = await privateKeyToAccount(keccak256("0x0bad")).signTransaction({
      type: "eip1559", chainId: Number(config.domain.chainId), to: "0x000000000000000000000000000000000000dEaD", value: 1n, nonce: 0, gas: 21_000n,
      maxFeePerGas: parseGwei("100"), maxPriorityFeePerGas: parseGwei("1"),
    });
    const member = new ByzantineMember(configFile, plan, badTransaction);
    member.network.onMessage((from, data) => member.#receive(from, data));
    await member.network.start();
    member.#step(member.#core.step({ type: "start", now: Date.now() }));
    return member;
  }

  get view(): bigint {
    return this.#core.view;
  }

  /** Sends `data` as-is over the authenticated link to `to` (malformed-traffic tests). */
  sendRaw(to: number, data: string): boolean {
    return this.network.send(to, data);
  }

  #receive(from: number, data: string): void {
    const envelope = decodeEnvelope(data);
    if (this.#stopped || envelope.type !== "consensus") return;
    let message: Message;
    try {
      message = decodeMessage(Buffer.from(envelope.body, "utf8"), this.#signer);
    } catch {
      return;
    }
    this.#step(this.#core.step({ type: "message", now: Date.now(), from, message }));
  }

  #step(actions: Action[]): void {
    if (this.#stopped) return;
    for (const a of actions) {
      switch (a.type) {
        case "send":
        case "broadcast":
          this.#send(a.type === "send" ? a.to : undefined, a.message);
          break;
        case "persist-block":
          this.#store.putBlock({ hash: a.hash, number: a.proposal.block.header.number, view: a.proposal.block.header.view, epoch: this.#domain.epoch, proposer: -1, data: new TextDecoder().decode(encodeMessage({ kind: "proposal", proposal: a.proposal })) });
          break;
        case "commit":
          this.#chain.applyCommit(a.blocks, a.proof, this.#domain.epoch);
          break;
        case "schedule-timer":
          clearTimeout(this.#timer);
          this.#timer = setTimeout(() => this.#step(this.#core.step({ type: "tick", now: Date.now() })), Math.max(0, a.at - Date.now()));
          break;
        default:
          break;
      }
    }
  }

  #send(to: number | undefined, message: Message): void {
    if (message.kind === "sync-response") return;
    if (message.kind === "vote" && this.proposals.some((p) => p.hash === message.vote.blockHash)) return;
    let out = message;
    if (message.kind === "proposal" && this.#core.leaderOf(message.proposal.block.header.view) === this.#self) {
      const p = message.proposal;
      const hash = this.#chain.hashOf(p.block.header);
      this.proposals.push({ view: p.block.header.view, hash, kind: this.#current });
      if (this.#current === "bad-signature") {
        const forged: Proposal = { ...p, signature: SecretKey.fromSeed("forger").sign(keccak256(hash)) };
        out = { kind: "proposal", proposal: forged };
      }
    }
    const deliver = (m: Message) => {
      const data = encodeConsensusEnvelope(this.#domain.epoch, new TextDecoder().decode(encodeMessage(m)));
      if (to === undefined) this.network.broadcast(data);
      else this.network.send(to, data);
    };
    deliver(out);
    if (out.kind === "proposal" && this.#current === "equivocate" && this.#core.leaderOf(out.proposal.block.header.view) === this.#self) {
      deliver({ kind: "proposal", proposal: twinProposal(out.proposal, this.#domain, this.#signer, (h) => this.#chain.hashOf(h)) });
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.network.close();
    this.#store.close();
  }
}
