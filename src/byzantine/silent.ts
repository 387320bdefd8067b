/** Silent member: follows the protocol in its head and never says a word (a crash that stays up: it still receives, executes and serves its RPC). */
import type { Behaviour } from "./behaviour.ts";

export const silent = (): Behaviour => ({
  name: "silent",
  rewrite: (_ctx, actions) => actions.filter((a) => a.type !== "send" && a.type !== "broadcast"),
});
