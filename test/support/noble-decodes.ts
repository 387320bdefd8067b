/**
 * Run by test/crypto/bls-backends.test.ts in a child process with
 * `--experimental-test-module-mocks` (a module mock needs that flag, which the test runner does
 * not pass): replaces noble's two compressed-point decoders in src/crypto/points.ts with counting
 * wrappers, decodes points that must be refused through the public API, and prints one JSON
 * line `{backend, nobleDecodes, codes}`. Under blst nobleDecodes must be 0: a peer's bad point
 * must not cost a member noble's ~10 ms decode.
 */
import { mock } from "node:test";
import { g1Compressed, g1OutsideSubgroup, g1XOffCurve, g2Compressed, g2OutsideSubgroup, g2XOffCurve } from "../fixtures/points.ts";

const points = await import("../../src/crypto/points.ts");
let nobleDecodes = 0;
mock.module(new URL("../../src/crypto/points.ts", import.meta.url).href, {
  namedExports: {
    ...points,
    decodeG1Compressed: (...args: Parameters<typeof points.decodeG1Compressed>) => (nobleDecodes++, points.decodeG1Compressed(...args)),
    decodeG2Compressed: (...args: Parameters<typeof points.decodeG2Compressed>) => (nobleDecodes++, points.decodeG2Compressed(...args)),
  },
});
const { BLS_BACKEND, CryptoError, PublicKey, Signature } = await import("../../src/crypto/index.ts");

const refused = [
  () => PublicKey.fromBytes(g1Compressed(g1XOffCurve())),
  () => PublicKey.fromBytes(g1Compressed(g1OutsideSubgroup().x)),
  () => Signature.fromBytes(g2Compressed(g2XOffCurve())),
  () => Signature.fromBytes(g2Compressed(g2OutsideSubgroup().x)),
];
const codes = refused.map((decode) => {
  try {
    decode();
    return "accepted";
  } catch (e) {
    return e instanceof CryptoError ? e.code : `not a CryptoError: ${String(e)}`;
  }
});
console.log(JSON.stringify({ backend: BLS_BACKEND, nobleDecodes, codes }));
