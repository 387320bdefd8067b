/** Errors of the queue layer (Redis through BullMQ). */
export type QueueErrorCode = "REDIS_UNAVAILABLE" | "INVALID_JOB" | "QUEUE_CLOSED";

export class QueueError extends Error {
  override readonly name = "QueueError";
  readonly code: QueueErrorCode;

  constructor(code: QueueErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
