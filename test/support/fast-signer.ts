/** The fast signer lives with the simulators (src/sim/fast-signer.ts); tests import it from here too. */
export { createFastCommittee, createFastSigner, fastSecret } from "../../src/sim/fast-signer.ts";
