/**
 * Authenticated links between committee members over WebSocket (real sockets; a member may be on
 * another host). Members are L1 member ids. One socket per member pair, used in both directions:
 * the lower id dials, the higher accepts (link.ts), so there is no tie to break and a peer cannot
 * open a second link to double its budget. Ids are assigned in application order, so a member
 * admitted later has a higher id than everyone seated before it: the running members dial it as
 * soon as they learn its endpoint from L1, and it needs nobody's endpoint to be reached.
 *
 * The peer set changes at runtime (`setPeers`): the node follows the members of its epoch and of
 * the epochs L1 started after it. A new peer is dialled (or accepted) from then on; a peer dropped
 * from the set has its link closed and is refused until it is followed again; a peer whose
 * endpoint moved is redialled there. The dialler redials after any loss with capped exponential back-off; a new
 * authenticated link from a peer replaces its old one (a restarted peer's old socket may not
 * have been seen closing yet). A heartbeat closes a link that went silent (a half-open socket
 * after a host or network failure), which starts the redial.
 *
 * Budgets are per member index, kept across reconnects (a reconnect must not refill a flooder):
 *  - each frame is charged its bytes plus a per-frame overhead; a peer in debt has its socket
 *    paused until the debt is repaid: TCP back-pressure throttles it without us reading what it
 *    sends (counted as `rate`). What a message costs to verify is the member's to budget
 *    (src/node/peer-budget.ts);
 *  - a frame over `maxMessageBytes` closes the link (ws, 1009) before it is buffered; counted as
 *    `oversize`, charged as a full frame, and the dialler reconnects;
 *  - a binary frame is dropped (`malformed`); anything before a valid handshake closes the link.
 * Delivery is best-effort: consensus tolerates loss (timeouts, sync), so nothing is queued for a
 * peer that is down, and a peer that stops reading gets sends dropped beyond `maxBufferedBytes`
 * instead of growing our memory.
 */
import { WebSocket, WebSocketServer, type RawData } from "ws";
import type { PublicKey, SecretKey } from "../crypto/index.ts";
import type { Domain } from "../protocol/domain.ts";
import { acceptLink, dialLink, keepAlive, type LinkEvents } from "./link.ts";
import { TokenBucket } from "./rate-limit.ts";
import { RefusalCounts, type PeerRefusal } from "./refusals.ts";

/** Frame limit: above the largest legitimate message (a proposal with a full block, a sync page). */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Sustained bytes per second from one peer: a lagging member's sync pages, blocks and gossip fit. */
export const DEFAULT_BYTES_PER_SECOND = 16 * 1024 * 1024;
/** Two full frames: a peer with a full bucket is never throttled by one legitimate message. */
export const DEFAULT_BURST_BYTES = 2 * DEFAULT_MAX_MESSAGE_BYTES;
/** Added to every frame's charge, so a flood of tiny frames is bounded in frames, not only bytes. */
export const DEFAULT_FRAME_OVERHEAD_BYTES = 1024;

export interface PeerAddress {
  /** The peer's member id. */
  readonly index: number;
  /** ws://host:port of the peer's listener; undefined when none is known (it is then never dialled, only accepted). */
  readonly url: string | undefined;
}

export interface NetworkOptions {
  readonly self: number;
  readonly secretKey: SecretKey;
  /** Public keys by member id: a list (index i is member i) or a lookup (a directory that grows as L1 admits members). */
  readonly committee: readonly PublicKey[] | ((id: number) => PublicKey | undefined);
  /** The members to link with at start (setPeers changes them); this member dials those with a higher id and waits for the others. */
  readonly peers: readonly PeerAddress[];
  readonly domain: Domain;
  readonly listen: { readonly host: string; readonly port: number };
  readonly maxMessageBytes?: number;
  readonly bytesPerSecond?: number;
  readonly burstBytes?: number;
  readonly frameOverheadBytes?: number;
  /** Unsent bytes queued on one link beyond which sends to that peer are dropped. */
  readonly maxBufferedBytes?: number;
  readonly handshakeTimeoutMs?: number;
  /** Ping interval; a link silent for three intervals is closed (and redialled by its dialler). */
  readonly heartbeatMs?: number;
  readonly log?: (event: string, fields: Record<string, unknown>) => void;
}

export type MessageListener = (from: number, data: string) => void;

export interface NetworkCounters {
  refusedHandshakes: number;
  /** Times a peer's link was paused for exceeding its byte rate (all peers). */
  droppedRate: number;
  /** Binary frames dropped (all peers). */
  droppedMalformed: number;
  droppedUnsent: number;
}

const CLOSE_REPLACED = 4004;
const CLOSE_UNFOLLOWED = 4005;
const REDIAL_BASE_MS = 100;
const REDIAL_MAX_MS = 5_000;
/** A link that lived this long was healthy: its loss redials at once instead of backing off. */
const HEALTHY_LINK_MS = 10_000;
/** setTimeout's largest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Network {
  readonly #o: Required<Omit<NetworkOptions, "log">> & Pick<NetworkOptions, "log">;
  readonly #listeners: MessageListener[] = [];
  readonly #downListeners: ((peer: number) => void)[] = [];
  /** Since when each peer has had no authenticated link (absent while one is open). */
  readonly #downSince = new Map<number, number>();
  /** The one authenticated socket per peer, whichever side dialled. */
  readonly #links = new Map<number, WebSocket>();
  readonly #dialling = new Map<number, WebSocket>();
  /** Who each authenticated socket belongs to (also a replaced one, until it closes). */
  readonly #peerOf = new WeakMap<WebSocket, number>();
  readonly #buckets = new Map<number, TokenBucket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #refusals = new RefusalCounts();
  /** The members this member links with now, by id. */
  readonly #peers = new Map<number, PeerAddress>();
  readonly counters: NetworkCounters = { refusedHandshakes: 0, droppedRate: 0, droppedMalformed: 0, droppedUnsent: 0 };
  #server: WebSocketServer | undefined;
  #started = false;
  #closed = false;

  constructor(options: NetworkOptions) {
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#o = {
      bytesPerSecond: DEFAULT_BYTES_PER_SECOND,
      burstBytes: 2 * maxMessageBytes,
      frameOverheadBytes: DEFAULT_FRAME_OVERHEAD_BYTES,
      maxBufferedBytes: 2 * maxMessageBytes,
      handshakeTimeoutMs: 5_000,
      heartbeatMs: 5_000,
      ...options,
      maxMessageBytes,
    };
    for (const peer of options.peers) this.#peers.set(peer.index, peer);
  }

  /** The key of a member this member links with now; undefined for anyone else (the handshake refuses them). */
  #keyOf(id: number): PublicKey | undefined {
    if (!this.#peers.has(id)) return undefined;
    const committee = this.#o.committee;
    return typeof committee === "function" ? committee(id) : committee[id];
  }

  #identity() {
    return { self: this.#o.self, secretKey: this.#o.secretKey, domain: this.#o.domain, handshakeTimeoutMs: this.#o.handshakeTimeoutMs, keyOf: (id: number) => this.#keyOf(id) };
  }

  /** The members linked with now, ascending. */
  peers(): PeerAddress[] {
    return [...this.#peers.values()].sort((a, b) => a.index - b.index);
  }

  /**
   * Makes `peers` the members this member links with: new ones above this member are dialled
   * (the others dial it), dropped ones have their link closed and are refused from now on, and
   * one whose endpoint moved is redialled at the new one.
   */
  setPeers(peers: readonly PeerAddress[]): void {
    if (this.#closed) return;
    const next = new Map(peers.filter((p) => p.index !== this.#o.self).map((p) => [p.index, p]));
    const now = Date.now();
    for (const [index, old] of [...this.#peers]) {
      const peer = next.get(index);
      if (peer === undefined) {
        this.#peers.delete(index);
        this.#downSince.delete(index);
        this.#dialling.get(index)?.terminate();
        this.#dialling.delete(index);
        const link = this.#links.get(index);
        this.#links.delete(index);
        link?.close(CLOSE_UNFOLLOWED, "no committee this member follows names you");
        this.#o.log?.("network.unfollowed", { peer: index });
      } else if (peer.url !== old.url) {
        this.#peers.set(index, peer);
        this.#o.log?.("network.peer_moved", { peer: index, from: old.url, url: peer.url });
        if (this.#started && index > this.#o.self) {
          this.#dialling.get(index)?.terminate();
          this.#dialling.delete(index);
          this.#dial(peer, 0);
        }
      }
    }
    for (const [index, peer] of next) {
      if (this.#peers.has(index)) continue;
      this.#peers.set(index, peer);
      this.#downSince.set(index, now);
      this.#o.log?.("network.followed", { peer: index, url: peer.url });
      if (this.#started && index > this.#o.self) this.#dial(peer, 0);
    }
  }

  onMessage(listener: MessageListener): void {
    this.#listeners.push(listener);
  }

  /** Calls `listener` when a peer's authenticated link closes (and no newer one replaced it). */
  onLinkDown(listener: (peer: number) => void): void {
    this.#downListeners.push(listener);
  }

  /** Since when (ms, Date.now) `peer` has had no open authenticated link; undefined while one is open. */
  unreachableSince(peer: number): number | undefined {
    if (this.#links.get(peer)?.readyState === WebSocket.OPEN) return undefined;
    return this.#downSince.get(peer);
  }

  /** Starts listening and dialling the peers above us. Resolves once the listener is bound. */
  async start(): Promise<void> {
    const now = Date.now();
    for (const peer of this.#peers.values()) this.#downSince.set(peer.index, now);
    const server = new WebSocketServer({ host: this.#o.listen.host, port: this.#o.listen.port, maxPayload: this.#o.maxMessageBytes });
    this.#server = server;
    server.on("connection", (socket) => this.#accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
    server.on("error", (error) => this.#o.log?.("network.server_error", { error: error.message }));
    this.#started = true;
    for (const peer of this.#peers.values()) if (peer.index > this.#o.self) this.#dial(peer, 0);
  }

  /** The port actually bound (useful with port 0). */
  get port(): number {
    const address = this.#server?.address();
    return typeof address === "object" && address !== null ? address.port : this.#o.listen.port;
  }

  /** Members with an open authenticated link (in either direction). */
  connectedPeers(): number[] {
    return [...this.#links].filter(([, s]) => s.readyState === WebSocket.OPEN).map(([peer]) => peer).sort((a, b) => a - b);
  }

  /** Refusals per peer and reason seen on the wire (`rate`, `oversize`, `malformed`). */
  refusals(): PeerRefusal[] {
    return this.#refusals.list();
  }

  send(to: number, data: string): boolean {
    const socket = this.#links.get(to);
    // A peer that stops reading would otherwise make us buffer everything we send it.
    if (socket === undefined || socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > this.#o.maxBufferedBytes) {
      this.counters.droppedUnsent++;
      return false;
    }
    socket.send(data);
    return true;
  }

  broadcast(data: string): void {
    for (const peer of this.#peers.keys()) this.send(peer, data);
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    for (const socket of [...this.#links.values(), ...this.#dialling.values()]) socket.terminate();
    for (const client of this.#server?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.#server === undefined ? resolve() : this.#server.close(() => resolve())));
  }

  #events(socket: WebSocket): LinkEvents {
    return {
      onOpen: (peer) => this.#open(peer, socket),
      onFrame: (peer, data, isBinary) => this.#frame(peer, socket, data, isBinary),
      onRefused: (reason) => {
        this.counters.refusedHandshakes++;
        this.#o.log?.("network.refused", { reason });
      },
    };
  }

  #accept(socket: WebSocket): void {
    socket.on("error", (error) => this.#onSocketError(socket, error));
    acceptLink(socket, this.#identity(), this.#events(socket));
  }

  #dial(peer: PeerAddress, attempt: number): void {
    // A peer dropped or moved since this dial was scheduled: its current entry has its own dialler.
    if (this.#closed || this.#peers.get(peer.index) !== peer) return;
    if (peer.url === undefined) {
      this.#o.log?.("network.no_endpoint", { peer: peer.index, note: "no valid endpoint is known for this member: it is not dialled" });
      return;
    }
    const socket = new WebSocket(peer.url, { maxPayload: this.#o.maxMessageBytes, handshakeTimeout: this.#o.handshakeTimeoutMs });
    this.#dialling.set(peer.index, socket);
    let openedAt: number | undefined;
    socket.on("error", (error) => this.#onSocketError(socket, error));
    dialLink(socket, this.#identity(), peer.index, {
      ...this.#events(socket),
      onOpen: (index) => {
        openedAt = Date.now();
        this.#open(index, socket);
      },
    });
    socket.on("close", () => {
      if (this.#dialling.get(peer.index) === socket) this.#dialling.delete(peer.index);
      if (this.#closed) return;
      const next = openedAt !== undefined && Date.now() - openedAt >= HEALTHY_LINK_MS ? 0 : attempt + 1;
      this.#later(Math.min(REDIAL_BASE_MS * 2 ** Math.min(next, 10), REDIAL_MAX_MS), () => this.#dial(peer, next));
    });
  }

  /** A peer authenticated on `socket`: it becomes the peer's one link, replacing an older one. */
  #open(peer: number, socket: WebSocket): void {
    // Dropped from the set while its handshake was in flight.
    if (!this.#peers.has(peer)) return void socket.close(CLOSE_UNFOLLOWED, "no committee this member follows names you");
    const old = this.#links.get(peer);
    this.#links.set(peer, socket);
    this.#downSince.delete(peer);
    this.#peerOf.set(socket, peer);
    if (old !== undefined && old !== socket) {
      this.#o.log?.("network.replaced", { peer });
      // A paused socket would not read the peer's close frame: end it at once.
      if (old.isPaused) old.terminate();
      else old.close(CLOSE_REPLACED, "replaced by a newer link from the same member");
    }
    this.#o.log?.("network.connected", { peer });
    keepAlive(socket, this.#o.heartbeatMs, (silentMs) => this.#o.log?.("network.silent", { peer, silentMs }));
    socket.on("close", () => {
      if (this.#links.get(peer) !== socket) return;
      this.#links.delete(peer);
      this.#downSince.set(peer, Date.now());
      this.#o.log?.("network.disconnected", { peer });
      if (!this.#closed) for (const listener of this.#downListeners) listener(peer);
    });
  }

  #bucket(peer: number): TokenBucket {
    let bucket = this.#buckets.get(peer);
    if (bucket === undefined) this.#buckets.set(peer, (bucket = new TokenBucket(this.#o.bytesPerSecond, this.#o.burstBytes, Date.now())));
    return bucket;
  }

  #frame(peer: number, socket: WebSocket, data: RawData, isBinary: boolean): void {
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    const bucket = this.#bucket(peer);
    const now = Date.now();
    bucket.charge(bytes + this.#o.frameOverheadBytes, now);
    if (isBinary) {
      this.counters.droppedMalformed++;
      this.#refusals.add(peer, "malformed");
    } else {
      this.#deliver(peer, (Array.isArray(data) ? Buffer.concat(data) : (data as Buffer)).toString("utf8"));
    }
    this.#throttle(peer, socket, bucket, now);
  }

  /** Pauses reading from a peer in debt until the debt is repaid (TCP back-pressure does the rest). */
  #throttle(peer: number, socket: WebSocket, bucket: TokenBucket, now: number): void {
    const waitMs = bucket.msUntilSolvent(now);
    if (waitMs === 0 || socket.isPaused || socket.readyState !== WebSocket.OPEN) return;
    this.counters.droppedRate++;
    this.#refusals.add(peer, "rate");
    socket.pause();
    this.#later(waitMs, () => socket.readyState === WebSocket.OPEN && socket.resume());
  }

  #onSocketError(socket: WebSocket, error: Error & { code?: string }): void {
    if (error.code !== "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") return;
    const peer = this.#peerOf.get(socket);
    if (peer === undefined) {
      this.counters.refusedHandshakes++;
      return;
    }
    // It made us read a whole frame's worth: charged, so reconnecting does not make it free.
    this.#refusals.add(peer, "oversize");
    this.#bucket(peer).charge(this.#o.maxMessageBytes, Date.now());
    this.#o.log?.("network.oversize", { peer, limit: this.#o.maxMessageBytes });
  }

  #later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, Math.min(ms, MAX_TIMER_MS));
    this.#timers.add(timer);
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
}
