export { Network, type NetworkOptions, type PeerAddress, type MessageListener, type NetworkCounters } from "./transport.ts";
export { handshakeDigest, HANDSHAKE_TAG } from "./handshake.ts";
export { TokenBucket } from "./rate-limit.ts";
