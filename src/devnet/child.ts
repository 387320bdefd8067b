/**
 * A child process the devnet owns (redis-server, hardhat node): its output tail for error
 * messages, a promise of its exit, and a stop that waits until it is really gone.
 *
 * Orphans: a child is killed when this process exits (the `exit` hook below runs on normal
 * exit and on an uncaught exception). Signals are the caller's job: `npm start` turns Ctrl-C
 * into stop() calls. Only a SIGKILL of this process can leave a child behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { DevnetError } from "./errors.ts";

const TAIL_LINES = 30;

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Child {
  readonly pid: number;
  /** The last lines the child wrote to stdout and stderr, for error messages. */
  tail(): string;
  /** Whether it has exited. */
  readonly exited: () => boolean;
  /** Resolves when it exits (never rejects). */
  readonly exit: Promise<ChildExit>;
  /**
   * `signal` (SIGTERM by default), then SIGKILL after `graceMs`; resolves once it has exited.
   * Idempotent: a second call returns the first one's promise.
   */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<ChildExit>;
}

export interface StartChildOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Also append everything the child writes to this file. */
  readonly logFile?: string;
  /**
   * Its own process group, so a terminal's Ctrl-C (sent to the whole foreground group) reaches
   * only us, and we stop the children in order (members before the L1 and Redis they use).
   */
  readonly detached?: boolean;
}

export function startChild(options: StartChildOptions): Promise<Child> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const remember = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") continue;
        lines.push(line);
        if (lines.length > TAIL_LINES) lines.shift();
      }
    };
    const child: ChildProcess = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.detached ?? false,
    });
    child.stdout?.on("data", remember);
    child.stderr?.on("data", remember);
    if (options.logFile !== undefined) {
      const log = createWriteStream(options.logFile, { flags: "a" });
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
      child.once("close", () => log.end());
    }
    let exitInfo: ChildExit | undefined;
    const killOnExit = () => child.kill("SIGKILL");
    const exit = new Promise<ChildExit>((done) => {
      child.once("exit", (code, signal) => {
        exitInfo = { code, signal };
        process.removeListener("exit", killOnExit);
        done(exitInfo);
      });
    });
    child.once("error", (cause) => {
      reject(new DevnetError("PROCESS_EXITED", `could not start ${options.name} (${options.command}): ${cause.message}`, { cause }));
    });
    child.once("spawn", () => {
      process.once("exit", killOnExit);
      let stopping: Promise<ChildExit> | undefined;
      resolve({
        pid: child.pid!,
        tail: () => lines.join("\n"),
        exited: () => exitInfo !== undefined,
        exit,
        stop(graceMs = 5_000, signal: NodeJS.Signals = "SIGTERM") {
          stopping ??= (async () => {
            if (exitInfo !== undefined) return exitInfo;
            child.kill(signal);
            const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
            const result = await exit;
            clearTimeout(timer);
            return result;
          })();
          return stopping;
        },
      });
    });
  });
}

/** "exited with code 1" / "was killed by SIGKILL", plus the output tail, for error messages. */
export function describeExit(child: Child, exit: ChildExit): string {
  const how = exit.signal === null ? `exited with code ${exit.code}` : `was killed by ${exit.signal}`;
  const tail = child.tail();
  return tail === "" ? how : `${how}; its last output:\n${tail}`;
}

/**
 * Polls `ready` until it resolves true; fails with PROCESS_EXITED if the child exits first and
 * START_TIMEOUT after `timeoutMs`, both with the child's output tail.
 */
export async function waitUntilReady(child: Child, name: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exited()) {
      throw new DevnetError("PROCESS_EXITED", `${name} ${describeExit(child, await child.exit)}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      const tail = child.tail();
      throw new DevnetError(
        "START_TIMEOUT",
        `${name} did not answer within ${timeoutMs} ms${tail === "" ? " and printed nothing" : `; its last output:\n${tail}`}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
