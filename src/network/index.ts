export {
  Network,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_BYTES_PER_SECOND,
  DEFAULT_BURST_BYTES,
  DEFAULT_FRAME_OVERHEAD_BYTES,
  type NetworkOptions,
  type PeerAddress,
  type MessageListener,
  type NetworkCounters,
} from "./transport.ts";
export { handshakeDigest, HANDSHAKE_TAG } from "./handshake.ts";
export { TokenBucket } from "./rate-limit.ts";
export { RefusalCounts, type PeerRefusal, type RefusalReason } from "./refusals.ts";
