/**
 * Ignition module for the L1 contracts: Committee, Rollup (which creates the Bridge/Inbox), the
 * genesis committee and the seal that binds it to the Rollup. Parameters (test/ignition shows a
 * complete set): l2ChainId, minimumBond, unbondingDelay (seconds), governance (the deployer: it
 * seats the genesis members and seals), inclusionDeadline, genesis (a header with `viewNumber`),
 * members (Committee.GenesisMember structs from a keys file made for the address the Committee
 * will get: the deployer's next nonce; `genesisMember` in src/deployment/contracts.ts) and
 * genesisBonds = minimumBond * members.
 * scripts/deploy.ts does the same with chunked registration (large committees) and writes the
 * deployments JSON; this module is for operators who prefer Ignition's journaled deployments.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("HotstuffRollup", (m) => {
  const l2ChainId = m.getParameter<bigint>("l2ChainId");
  const minimumBond = m.getParameter<bigint>("minimumBond");
  const inclusionDeadline = m.getParameter<bigint>("inclusionDeadline", 32n);
  const genesis = m.getParameter("genesis");
  const unbondingDelay = m.getParameter<bigint>("unbondingDelay", 7n * 24n * 3600n);
  const committee = m.contract("Committee", [l2ChainId, minimumBond, unbondingDelay, m.getParameter("governance")]);
  const rollup = m.contract("Rollup", [committee, l2ChainId, genesis, inclusionDeadline]);
  const members = m.call(committee, "addGenesisMembers", [m.getParameter("members")], { value: m.getParameter<bigint>("genesisBonds") });
  m.call(committee, "sealGenesis", [rollup], { after: [members] });
  const bridge = m.contractAt("Bridge", m.staticCall(rollup, "bridge"));
  return { committee, rollup, bridge };
});
