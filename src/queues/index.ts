export { QueueError, type QueueErrorCode } from "./errors.ts";
export { DEFAULT_REDIS_URL, pingRedis, redisUnavailableMessage, withinDeadline, type RedisOptions } from "./redis.ts";
export { INTAKE_QUEUE, OUTBOX_QUEUE, memberPrefix } from "./names.ts";
export { INTAKE_CONCURRENCY, TxIntake, RejectedTransaction, type IntakeConsumer, type IntakeJobData, type IntakeOptions } from "./intake.ts";
export { L1Outbox, PermanentOutboxFailure, outboxJobId, type OutboxItem, type OutboxConsumer, type OutboxOptions } from "./outbox.ts";
