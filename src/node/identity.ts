/**
 * A member's id, from L1 when its config does not fix it. Member ids are L1's (Committee assigns
 * one per application, in order); a genesis member's is its place in the deployment's committee
 * (config.ts finds it from its key), but a member governance admitted later is known to L1 only:
 * its config may leave `member` out (its key is looked up among L1's applications), or give an
 * id past the genesis committee (checked against the key L1 holds for it). Either way the member
 * starts with an id L1 agrees with, or not at all.
 */
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { COMMITTEE_ABI } from "../settlement/abi.ts";
import { ConfigError, UNRESOLVED_MEMBER, type NodeConfig } from "./config.ts";
import type { Log } from "./log.ts";

/** `config` with `member` set to the id L1 registered this member's key under. Throws ConfigError when L1 disagrees or has no such key. */
export async function resolveMember(config: NodeConfig, log?: Log): Promise<NodeConfig> {
  const l1 = config.l1;
  if (l1 === undefined || (config.member !== UNRESOLVED_MEMBER && config.member < config.committee.length)) return config;
  const client = createPublicClient({ transport: http(l1.rpcUrl) }) as PublicClient;
  const committee = l1.deployment.contracts.committee;
  const ours = config.secretKey.publicKey.toEip2537().toLowerCase();
  let member: number;
  try {
    if (config.member !== UNRESOLVED_MEMBER) {
      const record = (await client.readContract({ address: committee, abi: COMMITTEE_ABI, functionName: "member", args: [BigInt(config.member)] })) as readonly unknown[];
      if ((record[4] as Hex).toLowerCase() !== ours) {
        throw new ConfigError(`${config.file}: member ${config.member} on L1 (Committee ${committee}) has another key than this config's (${config.secretKey.publicKey.toHex()})`);
      }
      member = config.member;
    } else {
      const applied = await client.getContractEvents({ address: committee, abi: COMMITTEE_ABI, eventName: "MemberApplied", fromBlock: BigInt(l1.deployment.deployBlock), strict: true });
      const mine = applied.find((e) => ((e.args as { publicKey: Hex }).publicKey).toLowerCase() === ours);
      if (mine === undefined) {
        throw new ConfigError(`${config.file}: the key ${config.secretKey.publicKey.toHex()} is not registered on L1's Committee ${committee}: apply for a seat with it first (README: "Admitting a member"), or give \`member\``);
      }
      member = Number((mine.args as { memberId: bigint }).memberId);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new Error(`cannot read this member's id from L1 at ${l1.rpcUrl}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  log?.("info", "member.identity", { member, source: "l1", committee });
  return { ...config, member };
}
