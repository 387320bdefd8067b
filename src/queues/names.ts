/**
 * Queue names and the key prefix. Each member owns its queues under its own prefix, so several
 * members (or several test runs) can share one Redis without seeing each other's jobs.
 */
export const INTAKE_QUEUE = "tx-intake";
export const OUTBOX_QUEUE = "l1-outbox";

/** BullMQ key prefix of one member: `hotstuff:<chainId>:<member>`. */
export function memberPrefix(base: string, member: string | number): string {
  if (!/^[A-Za-z0-9_.:-]+$/.test(base)) throw new RangeError(`queue prefix ${JSON.stringify(base)} has characters Redis keys should not carry`);
  return `${base}:m${member}`;
}
