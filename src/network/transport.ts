/**
 * Authenticated links between committee members over WebSocket (real sockets; a member may be
 * on another host). Every member listens for inbound links and dials every other member; it
 * sends on the link it dialled and receives on both. Two one-way links per pair avoid any
 * "who dials whom" tie-breaking, and a restart on either side heals by the dialler's
 * reconnect loop (capped exponential back-off).
 *
 * What is refused, and how:
 *  - anything before a valid handshake (see handshake.ts): the link is closed (4001);
 *  - a frame larger than `maxMessageBytes`: ws closes the link with 1009 before buffering it;
 *  - binary or malformed frames after the handshake: dropped and counted (the content is the
 *    caller's to validate; this layer only knows who sent it);
 *  - a peer over its rate: excess frames dropped; a peer that keeps flooding is disconnected.
 * Delivery is best-effort: consensus tolerates loss (timeouts, sync), so nothing is queued for a
 * peer that is down.
 */
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { PublicKey, SecretKey } from "../crypto/index.ts";
import type { Domain } from "../protocol/domain.ts";
import { checkHandshake, newChallenge, signHandshake } from "./handshake.ts";
import { TokenBucket } from "./rate-limit.ts";

export interface PeerAddress {
  readonly index: number;
  /** ws://host:port of the peer's listener. */
  readonly url: string;
}

export interface NetworkOptions {
  readonly self: number;
  readonly secretKey: SecretKey;
  /** Public keys in committee order; index i is member i. */
  readonly committee: readonly PublicKey[];
  readonly peers: readonly PeerAddress[];
  readonly domain: Domain;
  readonly listen: { readonly host: string; readonly port: number };
  readonly maxMessageBytes?: number;
  readonly messagesPerSecond?: number;
  readonly burst?: number;
  readonly handshakeTimeoutMs?: number;
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
}

export type MessageListener = (from: number, data: string) => void;

export interface NetworkCounters {
  refusedHandshakes: number;
  droppedRate: number;
  droppedMalformed: number;
  droppedUnsent: number;
}

const CLOSE_UNAUTHENTICATED = 4001;
const CLOSE_FLOODING = 4002;
const FLOOD_DROPS_BEFORE_DISCONNECT = 1_000;

function text(data: RawData, isBinary: boolean): string | undefined {
  if (isBinary) return undefined;
  return Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as Buffer).toString("utf8");
}

function parseControl(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export class Network {
  readonly #o: Required<Omit<NetworkOptions, "log">> & Pick<NetworkOptions, "log">;
  readonly #listeners: MessageListener[] = [];
  readonly #outbound = new Map<number, WebSocket>();
  readonly #authenticated = new Set<number>();
  readonly #reconnectTimers = new Map<number, NodeJS.Timeout>();
  readonly counters: NetworkCounters = { refusedHandshakes: 0, droppedRate: 0, droppedMalformed: 0, droppedUnsent: 0 };
  #server: WebSocketServer | undefined;
  #closed = false;

  constructor(options: NetworkOptions) {
    this.#o = { maxMessageBytes: 8 * 1024 * 1024, messagesPerSecond: 5_000, burst: 10_000, handshakeTimeoutMs: 5_000, ...options };
  }

  onMessage(listener: MessageListener): void {
    this.#listeners.push(listener);
  }

  /** Starts listening and dialling every peer. Resolves once the listener is bound. */
  async start(): Promise<void> {
    const server = new WebSocketServer({ host: this.#o.listen.host, port: this.#o.listen.port, maxPayload: this.#o.maxMessageBytes });
    this.#server = server;
    server.on("connection", (socket) => this.#acceptInbound(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    server.on("error", (error) => this.#o.log?.("network.server_error", { error: error.message }));
    for (const peer of this.#o.peers) this.#dial(peer, 0);
  }

  /** The port actually bound (useful with port 0). */
  get port(): number {
    const address = this.#server?.address();
    return typeof address === "object" && address !== null ? address.port : this.#o.listen.port;
  }

  /** Members whose outbound link is open and authenticated. */
  connectedPeers(): number[] {
    return [...this.#authenticated].sort((a, b) => a - b);
  }

  send(to: number, data: string): boolean {
    const socket = this.#outbound.get(to);
    if (socket === undefined || !this.#authenticated.has(to) || socket.readyState !== WebSocket.OPEN) {
      this.counters.droppedUnsent++;
      return false;
    }
    socket.send(data);
    return true;
  }

  broadcast(data: string): void {
    for (const peer of this.#o.peers) this.send(peer.index, data);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#reconnectTimers.values()) clearTimeout(timer);
    for (const socket of this.#outbound.values()) socket.terminate();
    for (const client of this.#server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.#server === undefined ? resolve() : this.#server.close(() => resolve())));
  }

  #deliver(from: number, data: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(from, data);
      } catch (error) {
        // A bug in a listener must not take the link down with it.
        this.#o.log?.("network.listener_error", { from, error: (error as Error).message });
      }
    }
  }

  #acceptInbound(socket: WebSocket): void {
    const challenge = newChallenge();
    let peer: number | undefined;
    const bucket = new TokenBucket(this.#o.messagesPerSecond, this.#o.burst, Date.now());
    let drops = 0;
    const refuse = (reason: string) => {
      this.counters.refusedHandshakes++;
      this.#o.log?.("network.refused", { reason });
      socket.close(CLOSE_UNAUTHENTICATED, reason);
    };
    const timer = setTimeout(() => peer === undefined && refuse("handshake timeout"), this.#o.handshakeTimeoutMs);
    socket.on("error", () => {});
    socket.on("close", () => clearTimeout(timer));
    socket.on("message", (data, isBinary) => {
      const raw = text(data, isBinary);
      if (peer === undefined) {
        const hello = parseControl(raw);
        const from = hello?.["from"];
        if (hello?.["t"] !== "hello" || typeof from !== "number" || !Number.isInteger(from) || from === this.#o.self) return refuse("malformed hello");
        const key = this.#o.committee[from];
        if (key === undefined) return refuse(`unknown member ${from}`);
        if (!checkHandshake(key, this.#o.domain, challenge, hello["sig"], from, this.#o.self)) return refuse(`bad handshake signature from member ${from}`);
        if (typeof hello["nonce"] !== "string" || !/^0x[0-9a-f]{64}$/.test(hello["nonce"])) return refuse("malformed hello nonce");
        peer = from;
        clearTimeout(timer);
        socket.send(JSON.stringify({ t: "welcome", from: this.#o.self, sig: signHandshake(this.#o.secretKey, this.#o.domain, hello["nonce"] as `0x${string}`, this.#o.self, from) }));
        return;
      }
      if (!bucket.take(1, Date.now())) {
        this.counters.droppedRate++;
        if (++drops > FLOOD_DROPS_BEFORE_DISCONNECT) socket.close(CLOSE_FLOODING, "rate limit exceeded");
        return;
      }
      if (raw === undefined) {
        this.counters.droppedMalformed++;
        return;
      }
      this.#deliver(peer, raw);
    });
    socket.send(JSON.stringify({ t: "challenge", nonce: challenge }));
  }

  #dial(peer: PeerAddress, attempt: number): void {
    if (this.#closed) return;
    const socket = new WebSocket(peer.url, { maxPayload: this.#o.maxMessageBytes, handshakeTimeout: this.#o.handshakeTimeoutMs });
    this.#outbound.set(peer.index, socket);
    const nonce = newChallenge();
    let welcomed = false;
    socket.on("error", () => {});
    socket.on("message", (data, isBinary) => {
      const message = parseControl(text(data, isBinary));
      if (!welcomed) {
        if (message?.["t"] === "challenge" && typeof message["nonce"] === "string" && /^0x[0-9a-f]{64}$/.test(message["nonce"])) {
          const sig = signHandshake(this.#o.secretKey, this.#o.domain, message["nonce"] as `0x${string}`, this.#o.self, peer.index);
          socket.send(JSON.stringify({ t: "hello", from: this.#o.self, nonce, sig }));
        } else if (message?.["t"] === "welcome" && message["from"] === peer.index && checkHandshake(this.#o.committee[peer.index]!, this.#o.domain, nonce, message["sig"], peer.index, this.#o.self)) {
          welcomed = true;
          this.#authenticated.add(peer.index);
          this.#o.log?.("network.connected", { peer: peer.index });
        } else {
          this.counters.refusedHandshakes++;
          socket.close(CLOSE_UNAUTHENTICATED, "peer failed to authenticate");
        }
      }
    });
    socket.on("close", () => {
      if (this.#authenticated.delete(peer.index)) this.#o.log?.("network.disconnected", { peer: peer.index });
      if (this.#outbound.get(peer.index) === socket) this.#outbound.delete(peer.index);
      if (this.#closed) return;
      const next = welcomed ? 0 : attempt + 1;
      const delay = Math.min(100 * 2 ** Math.min(next, 6), 5_000);
      this.#reconnectTimers.set(peer.index, setTimeout(() => this.#dial(peer, next), delay));
    });
  }
}
