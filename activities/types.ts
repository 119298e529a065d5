import type { NotificationRequest } from '../domain/types';

/** The activity the task workflows use to tell people things: one narrow door. */
export interface EnqueueActivities {
  /**
   * Hands notification items to the digest of each recipient and day (signal-with-start of the digest
   * workflow). Idempotent: the digest keeps item keys, so a retried call adds nothing twice.
   */
  enqueueNotifications(input: { items: NotificationRequest[] }): Promise<void>;
}

export interface DeliverDigestInput {
  /** Unique id of this message (digest workflow id, run id and sequence): the idempotency key. */
  digestId: string;
  recipient: { agencyId: string; role: NotificationRequest['recipient']['role'] };
  localDate: string;
  items: NotificationRequest[];
  attachments?: { filename: string; contentType: string; contentBase64: string }[];
}

export type DeliverDigestResult =
  | { status: 'sent'; messageId: string; to: string[]; accepted: string[] }
  | { status: 'already_sent'; messageId: string }
  /** Nothing went out: every item asked for an action its task no longer allows. */
  | { status: 'withdrawn'; messageId: string }
  | { status: 'rejected'; messageId: string; to: string[]; reason: string; code?: number };

export interface DigestActivities {
  /**
   * Sends one email for a digest. Never twice for one `digestId` (see mail/ledger.ts); temporary SMTP failures
   * throw and are retried; permanent ones come back as `rejected`.
   */
  deliverDigest(input: DeliverDigestInput): Promise<DeliverDigestResult>;
}

export interface PeriodicReportInput {
  planId: string;
  /** Local date the report is made for. */
  asOf: string;
  /** Idempotency key: plan workflow id and reporting date. */
  reportKey: string;
}

export interface ReportActivities {
  /**
   * Compiles the plan's periodic report as of a date from the task workflows, renders it and mails it to the
   * monitoring agency. Idempotent per `reportKey` (the mail ledger keeps the message once).
   */
  sendPeriodicReport(input: PeriodicReportInput): Promise<{ tasks: number; messageId: string | null }>;
}
