/**
 * A pid alone is not a process: once one exits, the kernel hands its number to the next process
 * started (32768 of them on Linux by default). A process is its pid AND its start time (field 22
 * of /proc/<pid>/stat, clock ticks since boot; `ps -o lstart=` elsewhere), read while it is known
 * to be ours; whatever acts on a remembered pid checks that the start time still matches.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The start time of `pid`, or undefined when there is no such process. */
export function startTimeOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    const ps = spawnSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8" });
    return ps.status === 0 && ps.stdout.trim() !== "" ? ps.stdout.trim() : undefined;
  }
  // Field 2 (comm) is in parentheses and may hold spaces and ")": count from the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return fields[22 - 3];
}
