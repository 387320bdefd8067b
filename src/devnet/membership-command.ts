/**
 * `npm run devnet -- admit | exit | withdraw`: committee membership on a running devnet
 * (`npm start`), the way its parties do it on L1 (membership.ts), and the member process of an
 * admitted member (joined-members.ts). The running members follow each change by themselves
 * (src/node/directory.ts): nothing of theirs is edited or restarted.
 *
 *  - admit: a fresh BLS key; an L1 dev account as the operator applies with the bond, a proof of
 *    possession naming it, its fee recipient (itself) and the new member's p2p endpoint; the
 *    member process starts with its own data dir and log in the devnet folder (its config names
 *    only the deployment, its keys and listen address); governance (L1 dev account 0) admits it.
 *    L1 starts the epoch that seats it at the next settle; the command waits for that.
 *  - exit: the member's operator announces its exit; it leaves at the next epoch; once the
 *    unbonding delay has passed on L1's clock, the operator withdraws the bond. The process of an
 *    admitted member is then stopped (a genesis member's stays up as an observer until npm start stops).
 *  - withdraw: the last step alone (an exit that was interrupted).
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { formatEther, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { SecretKey } from "../crypto/index.ts";
import { readDeployment } from "../deployment/contracts.ts";
import { writeJoiningMemberConfig } from "../node/devnet.ts";
import { COMMITTEE_ABI } from "../settlement/abi.ts";
import { HARDHAT_ACCOUNT_COUNT, l1DevAccounts } from "./accounts.ts";
import { integerOption, parseOptions, UsageError } from "./cli-args.ts";
import { connectL1 } from "./clients.ts";
import { DevnetError } from "./errors.ts";
import { joinedMemberPid, readDevnetState, spawnJoinedMember, stopJoinedMember, type DevnetState } from "./joined-members.ts";
import { MEMBER_STOP_GRACE_MS } from "./members.ts";
import { admitMember, announceExit, applyForSeat, l1Time, readMember, withdrawBond } from "./membership.ts";
import { checkPortFree, findFreePorts } from "./ports.ts";
import { callRpc } from "./rpc.ts";

export const DEVNET_USAGE = `usage: npm run devnet -- <command> [options]

Committee membership on a running devnet (\`npm start\` in another terminal). The running members
follow every change from L1 by themselves: no config edit, no restart.

commands:
  admit                    a new member: generates its key, applies on L1 with a bond, a proof of
                           possession and its p2p endpoint, starts its member process (data dir
                           and log in the devnet folder), and governance admits it; it joins at
                           the next epoch change (the next settle), which the command waits for
  exit --member <id>       member <id> announces its exit, leaves at the next epoch change, and
                           withdraws its bond once the unbonding delay (60 s) has passed on L1
  withdraw --member <id>   only the last step of exit (if exit was interrupted)

options:
  --data-dir <dir>         the devnet's data dir (default .devnet)
  --operator-account <i>   admit: the L1 dev account that applies, owns the bond and pays the new
                           member's settlements (default: the highest account no member uses)
  --no-wait                admit: return once admitted; exit: once the exit is announced
  --help                   this text`;

export type DevnetCommand =
  | { readonly command: "admit"; readonly dataDir: string; readonly operatorAccount: number | undefined; readonly wait: boolean }
  | { readonly command: "exit" | "withdraw"; readonly dataDir: string; readonly member: number; readonly wait: boolean };

export function parseDevnetArgs(argv: readonly string[], cwd = process.cwd()): DevnetCommand | { help: true } {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h") return { help: true };
  if (command !== "admit" && command !== "exit" && command !== "withdraw") throw new UsageError(`expected a command, admit, exit or withdraw (got ${JSON.stringify(command ?? "")})`);
  const values = parseOptions(rest, { "data-dir": { type: "string" }, member: { type: "string" }, "operator-account": { type: "string" }, "no-wait": { type: "boolean" }, help: { type: "boolean" } });
  if (values.help === true) return { help: true };
  const dataDir = resolve(cwd, values["data-dir"] ?? ".devnet");
  const wait = values["no-wait"] !== true;
  if (command === "admit") {
    if (values.member !== undefined) throw new UsageError("admit takes no --member: L1 gives the new member its id");
    const operatorAccount = values["operator-account"] === undefined ? undefined : integerOption("operator-account", values["operator-account"], 0, 1, HARDHAT_ACCOUNT_COUNT - 1);
    return { command, dataDir, operatorAccount, wait };
  }
  if (values.member === undefined) throw new UsageError(`${command} needs --member <id>`);
  if (values["operator-account"] !== undefined) throw new UsageError(`--operator-account is for admit (${command} uses the member's own operator key from the devnet folder)`);
  return { command, dataDir, member: integerOption("member", values.member, 0, 0, 1_000_000), wait };
}

/** Polls `check` every second until it returns a value, or DevnetError START_TIMEOUT naming `what`. */
async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new DevnetError("START_TIMEOUT", `timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function memberCount(rpcUrl: string, committee: Address): Promise<number> {
  const { publicClient } = await connectL1(rpcUrl, `0x${"11".repeat(32)}`);
  return Number((await publicClient.readContract({ address: committee, abi: COMMITTEE_ABI, functionName: "memberCount" })) as bigint);
}

/** The default operator of the k-th member admitted after the start: accounts from the top down (the genesis members use 1..nodes). */
function defaultOperator(state: DevnetState, memberId: number): number {
  const account = HARDHAT_ACCOUNT_COUNT - 1 - (memberId - state.nodes);
  if (account <= state.nodes) throw new UsageError(`no L1 dev account left for member ${memberId}: pass --operator-account`);
  return account;
}

export async function runAdmit(o: Extract<DevnetCommand, { command: "admit" }>, say: (line: string) => void): Promise<number> {
  const state = readDevnetState(o.dataDir);
  const deployment = readDeployment(state.deploymentsFile);
  const target = { rpcUrl: state.l1RpcUrl, committee: deployment.contracts.committee };
  const accounts = l1DevAccounts();
  // The id L1 will give (ids are sequential): it fixes the member's RPC port, rpcPort + id.
  const expectedId = await memberCount(state.l1RpcUrl, target.committee);
  const operator = accounts[o.operatorAccount ?? defaultOperator(state, expectedId)]!;
  const [p2p, metrics] = await findFreePorts(2);
  const rpc = state.rpcPort + expectedId;
  await checkPortFree(rpc, "127.0.0.1", `member ${expectedId} JSON-RPC`);
  const endpoint = `ws://127.0.0.1:${p2p}`;
  const secretKey = SecretKey.random();
  const { memberId, hash } = await applyForSeat({ ...target, operator: operator.privateKey, secretKey, l2ChainId: BigInt(deployment.l2ChainId), feeRecipient: operator.address, endpoint });
  if (memberId !== expectedId) throw new DevnetError("L1_REVERTED", `L1 gave the application id ${memberId}, not ${expectedId} (another application came first): run admit again`);
  say(`• member ${memberId} applied (operator ${operator.address}, bond paid, endpoint ${endpoint}; transaction ${hash})`);
  const files = writeJoiningMemberConfig({
    dir: join(o.dataDir, "members"),
    memberId,
    secretKey,
    deploymentsFile: state.deploymentsFile,
    l1RpcUrl: state.l1RpcUrl,
    l1PrivateKey: operator.privateKey,
    ports: { p2p: p2p!, rpc, metrics: metrics! },
    redisUrl: state.redisUrl,
    redisPrefix: state.redisPrefix,
  });
  const { pid, logFile } = spawnJoinedMember(o.dataDir, memberId, files.configFile);
  say(`• member ${memberId} started (pid ${pid}, config ${files.configFile}, log ${logFile}); it follows the chain as an observer until it is seated`);
  await until(`member ${memberId}'s JSON-RPC at ${files.rpcUrl} (log ${logFile})`, 60_000, async () => {
    if (joinedMemberPid(o.dataDir, memberId) === undefined) throw new DevnetError("PROCESS_EXITED", `member ${memberId} exited: see ${logFile}`);
    return (await callRpc<string>(files.rpcUrl, "eth_chainId", [], 1_000)) === undefined ? undefined : true;
  }).catch(async (e: Error) => {
    if (joinedMemberPid(o.dataDir, memberId) === undefined) throw new DevnetError("PROCESS_EXITED", `member ${memberId} exited before its JSON-RPC answered: see ${logFile}`);
    throw e;
  });
  const admitted = await admitMember({ ...target, governance: accounts[0]!.privateKey, memberId });
  say(`• governance (L1 dev account 0) admitted member ${memberId} (transaction ${admitted}); it joins at the next epoch change`);
  if (!o.wait) return memberId;
  await until(`L1 to start the epoch that seats member ${memberId}`, 180_000, async () => ((await readMember({ ...target, memberId })).status === "Active" ? true : undefined));
  const publicKey = secretKey.publicKey.toHex();
  const epoch = await until(`member ${memberId} to switch to the epoch that seats it (log ${logFile})`, 300_000, async () => {
    const c = await callRpc<{ epoch: string; members: { publicKey: string }[] }>(files.rpcUrl, "rollup_getCommittee", [], 2_000);
    return c.members.some((m) => m.publicKey === publicKey) ? c.epoch : undefined;
  });
  say(`member ${memberId} is in the committee from epoch ${BigInt(epoch)}: JSON-RPC ${files.rpcUrl}, log ${logFile}`);
  return memberId;
}

/** The member's operator key: the devnet folder holds one for every member it started (genesis members' operator is their L1 account). */
function operatorKey(dataDir: string, memberId: number): Hex {
  const file = join(dataDir, "members", `member-${memberId}.l1key`);
  if (!existsSync(file)) throw new UsageError(`no member ${memberId} in ${dataDir} (no ${file})`);
  return readFileSync(file, "utf8").trim() as Hex;
}

export async function runExit(o: Extract<DevnetCommand, { command: "exit" | "withdraw" }>, say: (line: string) => void): Promise<void> {
  const state = readDevnetState(o.dataDir);
  const target = { rpcUrl: state.l1RpcUrl, committee: readDeployment(state.deploymentsFile).contracts.committee };
  const operator = operatorKey(o.dataDir, o.member);
  const memberId = o.member;
  if (o.command === "exit") {
    const hash = await announceExit({ ...target, operator, memberId });
    say(`• member ${memberId} announced its exit (transaction ${hash}); it signs until the next epoch change`);
    if (!o.wait) return;
  }
  const left = await until(`member ${memberId} to leave the committee at the next epoch change`, 180_000, async () => {
    const m = await readMember({ ...target, memberId });
    return m.status === "Exited" ? m : undefined;
  });
  const now = await l1Time(state.l1RpcUrl);
  say(`• member ${memberId} left the committee; its bond (${formatEther(left.bond)} ETH) unlocks at L1 time ${left.withdrawableAt} (in ${left.withdrawableAt > now ? left.withdrawableAt - now : 0n} s)`);
  // The bond unlocks by L1's clock, which moves with L1 blocks (the members' settles make them).
  await until(`L1 time to reach ${left.withdrawableAt}`, Number(left.withdrawableAt > now ? left.withdrawableAt - now : 0n) * 1_000 + 120_000, async () => ((await l1Time(state.l1RpcUrl)) >= left.withdrawableAt ? true : undefined));
  const withdrawn = await withdrawBond({ ...target, operator, memberId });
  say(`• member ${memberId}'s bond of ${formatEther(left.bond)} ETH withdrawn to its operator ${privateKeyToAccount(operator).address} (transaction ${withdrawn})`);
  if (joinedMemberPid(o.dataDir, memberId) !== undefined) {
    await stopJoinedMember(o.dataDir, memberId, MEMBER_STOP_GRACE_MS);
    say(`member ${memberId}'s process stopped (it is no longer in the committee)`);
  } else if (memberId < state.nodes) {
    say(`member ${memberId} is out; its process keeps running as an observer until npm start stops`);
  }
}
