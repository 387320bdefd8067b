/**
 * The crypto module: the only place in the code base that imports a curve library.
 * Everything else signs, verifies and encodes through these exports.
 */
export { CryptoError, type CryptoErrorCode } from "./errors.ts";
export { bytesToHex, hexToBytes, type Hex } from "./bytes.ts";
export {
  SecretKey,
  PublicKey,
  Signature,
  SIGNATURE_DST,
  POP_DST,
  DIGEST_LENGTH,
  verify,
  verifyPossession,
  hashToG2Eip2537,
} from "./bls.ts";
export { aggregateSignatures, aggregatePublicKeys, verifyAggregate, verifyAggregateMulti } from "./aggregate.ts";
export { BLS_BACKEND } from "./blst.ts";
export {
  MAX_COMMITTEE_SIZE,
  faultTolerance,
  quorumSize,
  bitmapFromIndices,
  indicesFromBitmap,
  countSigners,
  checkSigners,
  verifyQuorumSignature,
  verifyQuorumSignatureMulti,
} from "./quorum.ts";
export { FIELD_MODULUS, EIP2537_G1_LENGTH, EIP2537_G2_LENGTH } from "./points.ts";
