/**
 * One side of the handshake of handshake.ts over one WebSocket, for either role:
 *
 *   acceptor (the higher index)  challenge ->              <- hello (dialler's index, nonce, signature)
 *                                welcome (signature) ->
 *
 * The acceptor authenticates the dialler by its hello; the dialler authenticates the acceptor by
 * its welcome. Only then does either side hand frames to the caller: nothing a peer sends before
 * it proved its key ever reaches consensus. A refused handshake closes the socket with 4001.
 * Cheap checks come before the pairing: a hello from an unknown or higher index, or with a
 * malformed nonce, is refused without verifying its signature.
 */
import type { RawData, WebSocket } from "ws";
import type { PublicKey, SecretKey } from "../crypto/index.ts";
import type { Domain } from "../protocol/domain.ts";
import { checkHandshake, newChallenge, signHandshake } from "./handshake.ts";

export const CLOSE_UNAUTHENTICATED = 4001;

export interface LinkIdentity {
  readonly self: number;
  readonly secretKey: SecretKey;
  /** The key of member `id` if this member accepts a link with it now (it follows that member), else undefined. */
  readonly keyOf: (id: number) => PublicKey | undefined;
  readonly domain: Domain;
  readonly handshakeTimeoutMs: number;
}

export interface LinkEvents {
  /** The peer proved its key; frames that follow go to `onFrame`. */
  readonly onOpen: (peer: number) => void;
  readonly onFrame: (peer: number, data: RawData, isBinary: boolean) => void;
  /** The handshake failed; the socket is being closed. */
  readonly onRefused: (reason: string) => void;
}

const NONCE = /^0x[0-9a-f]{64}$/;

function control(data: RawData, isBinary: boolean): Record<string, unknown> | undefined {
  if (isBinary) return undefined;
  try {
    const value: unknown = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as Buffer).toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the handshake on a socket, then forwards frames. `authenticate` decides one handshake frame. */
function run(socket: WebSocket, id: LinkIdentity, events: LinkEvents, authenticate: (message: Record<string, unknown> | undefined) => number | string | undefined): void {
  let peer: number | undefined;
  let refused = false;
  const refuse = (reason: string) => {
    refused = true;
    clearTimeout(timer);
    events.onRefused(reason);
    socket.close(CLOSE_UNAUTHENTICATED, reason.slice(0, 120));
  };
  // A peer that never finishes the handshake must not hold a socket (and its buffers) forever.
  const timer = setTimeout(() => peer === undefined && !refused && refuse("handshake timeout"), id.handshakeTimeoutMs);
  socket.on("close", () => clearTimeout(timer));
  socket.on("message", (data, isBinary) => {
    if (refused) return;
    if (peer !== undefined) return events.onFrame(peer, data, isBinary);
    const outcome = authenticate(control(data, isBinary));
    if (typeof outcome === "string") return refuse(outcome);
    if (outcome === undefined) return;
    peer = outcome;
    clearTimeout(timer);
    events.onOpen(peer);
  });
}

/**
 * The acceptor's side: sends a fresh challenge and accepts only a hello from a member with a
 * lower index (the higher index never dials, so a hello from above is refused before any pairing).
 */
export function acceptLink(socket: WebSocket, id: LinkIdentity, events: LinkEvents): void {
  const challenge = newChallenge();
  run(socket, id, events, (hello) => {
    const from = hello?.["from"];
    if (hello?.["t"] !== "hello" || typeof from !== "number" || !Number.isInteger(from)) return "malformed hello";
    if (from === id.self) return `hello from our own index ${from}`;
    const key = id.keyOf(from);
    if (key === undefined) return `unknown member ${from} (not in a committee this member follows)`;
    if (from > id.self) return `member ${from} dialled member ${id.self}: the lower index dials`;
    const nonce = hello["nonce"];
    if (typeof nonce !== "string" || !NONCE.test(nonce)) return `malformed hello nonce from member ${from}`;
    if (!checkHandshake(key, id.domain, challenge, hello["sig"], from, id.self)) return `bad handshake signature from member ${from}`;
    socket.send(JSON.stringify({ t: "welcome", from: id.self, sig: signHandshake(id.secretKey, id.domain, nonce as `0x${string}`, id.self, from) }));
    return from;
  });
  socket.send(JSON.stringify({ t: "challenge", nonce: challenge }));
}

/** The dialler's side: answers the challenge with a hello, then accepts only `peer`'s welcome. */
export function dialLink(socket: WebSocket, id: LinkIdentity, peer: number, events: LinkEvents): void {
  const nonce = newChallenge();
  let challenged = false;
  run(socket, id, events, (message) => {
    if (!challenged && message?.["t"] === "challenge" && typeof message["nonce"] === "string" && NONCE.test(message["nonce"])) {
      challenged = true;
      socket.send(JSON.stringify({ t: "hello", from: id.self, nonce, sig: signHandshake(id.secretKey, id.domain, message["nonce"] as `0x${string}`, id.self, peer) }));
      return undefined;
    }
    const key = id.keyOf(peer);
    if (challenged && key !== undefined && message?.["t"] === "welcome" && message["from"] === peer && checkHandshake(key, id.domain, nonce, message["sig"], peer, id.self)) return peer;
    return `member ${peer} failed to authenticate`;
  });
}

/**
 * Pings every `intervalMs` and ends a link silent for three intervals: a half-open socket (the
 * peer's host failed, or a network dropped the connection) would otherwise swallow our sends
 * forever, and only its loss makes the dialler redial. A socket we paused (its sender is over
 * its rate) is silent because of us, so its clock restarts instead.
 */
export function keepAlive(socket: WebSocket, intervalMs: number, onSilent: (silentMs: number) => void): void {
  let heard = Date.now();
  const alive = () => (heard = Date.now());
  socket.on("pong", alive);
  socket.on("message", alive);
  const timer = setInterval(() => {
    if (socket.isPaused) return void alive();
    const silentMs = Date.now() - heard;
    if (silentMs > 3 * intervalMs) {
      onSilent(silentMs);
      return void socket.terminate();
    }
    socket.ping();
  }, intervalMs);
  socket.on("close", () => clearInterval(timer));
}
