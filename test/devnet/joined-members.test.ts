/**
 * Stopping members admitted to a running devnet: by their pid files, but never a process that
 * merely inherited the pid of a member that died (pids are reused).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isRunning, joinedMemberPid, joinedMembers, stopJoinedMember } from "../../src/devnet/joined-members.ts";
import { startTimeOf } from "../../src/devnet/process-identity.ts";

const dataDir = mkdtempSync(join(tmpdir(), "joined-members-"));
after(() => rmSync(dataDir, { recursive: true, force: true }));

/** A stand-in process for a member. */
function sleeper(args: string[]) {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", ...args], { stdio: "ignore" });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  return { child, exited };
}

test("a pid file whose pid now belongs to another process leaves that process alone", async () => {
  const stranger = sleeper([]);
  try {
    // The member that wrote this record started at another time: its pid now names the stranger.
    writeFileSync(join(dataDir, "member-7.pid"), `${JSON.stringify({ pid: stranger.child.pid, startTime: "1" })}\n`);
    assert.deepEqual(joinedMembers(dataDir), [7]);
    assert.equal(joinedMemberPid(dataDir, 7), undefined);
    await stopJoinedMember(dataDir, 7, 1_000);
    assert.equal(isRunning(stranger.child.pid!), true, "the process that reused the pid was not signalled");
    assert.equal(existsSync(join(dataDir, "member-7.pid")), false, "the stale pid file is gone");
  } finally {
    stranger.child.kill("SIGKILL");
  }
});

test("a running member (its pid and start time match) is stopped with SIGINT and its pid file removed", async () => {
  const member = sleeper([]);
  writeFileSync(join(dataDir, "member-5.pid"), `${JSON.stringify({ pid: member.child.pid, startTime: startTimeOf(member.child.pid!) })}\n`);
  assert.equal(joinedMemberPid(dataDir, 5), member.child.pid);
  await stopJoinedMember(dataDir, 5, 10_000);
  assert.equal(await member.exited, "SIGINT");
  assert.equal(existsSync(join(dataDir, "member-5.pid")), false);
});

test("a pid file that is not a record (an older format, or damage) names no process", () => {
  writeFileSync(join(dataDir, "member-9.pid"), `${process.pid}\n`);
  assert.equal(joinedMemberPid(dataDir, 9), undefined);
});
