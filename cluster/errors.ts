/**
 * Why `dondoc cluster` stopped: what failed, in which step, and where its log is. `badInput` errors come from what
 * the operator asked (a port in use, a folder PostgreSQL cannot reach, a shard count that cannot change); the CLI
 * exits 2 for them and 1 for the others.
 */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  constructor(
    message: string,
    readonly details: { step: string; logFile?: string; badInput?: boolean; cause?: unknown } = { step: 'cluster' },
  ) {
    super(details.logFile ? `${message}\n  Nhật ký (log): ${details.logFile}` : message, { cause: details.cause });
  }
}
