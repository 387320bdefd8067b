/**
 * The signing domain: which deployment and which committee epoch a signature belongs to.
 * Every digest below names it, so a vote from one deployment, chain or epoch is useless on
 * another (replay across deployments is the attack this stops).
 */
import type { Address } from "viem";

export interface Domain {
  /** The L2 chain id (EIP-155), also used by L2 transactions. */
  readonly chainId: bigint;
  /** The L1 `Rollup` contract this chain settles to. */
  readonly rollup: Address;
  /** The committee epoch whose members sign. */
  readonly epoch: bigint;
}
