/**
 * Contracts of the mail adapter: what the email activities need from the outside world and what
 * they return to the digest workflow. Types only.
 */
import type { ContactRole, IsoDate, NotificationRequest } from '../domain/types';

/** An agency's contact for a role, as a directory gives it. */
export type ResolvedContact = { name: string; email?: string; agencyName: string } | undefined;

/**
 * Looks up an agency's contact for a role in the imported directories: those of `planIds` (the plans the mail is
 * about) first. May answer at once or from Temporal.
 */
export interface RecipientResolver {
  resolve(agencyId: string, role: ContactRole, planIds?: string[]): ResolvedContact | Promise<ResolvedContact>;
}

/** Settings the email activities need (validated by config/ at start-up). */
export interface EmailConfig {
  /** The From header, e.g. `"Đôn đốc" <dondoc@stp.example.gov.vn>`. */
  from: string;
  /** Public base URL of the web, used in signed links (`${publicUrl}/a/<token>`). */
  publicUrl: string;
  language: 'vi' | 'en';
  /** Days after the digest's local date during which the action links work. */
  linkTtlDays: number;
  /** Time zone of digest dates and link expiry (IANA name, e.g. `Asia/Ho_Chi_Minh`). */
  timeZone: string;
}

/** A periodic report file carried by a digest. */
export interface DigestAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

/** Input of the `deliverDigest` activity. */
export interface DeliverDigestInput {
  /** Unique id of this digest message (workflowId + ':' + sequence): the idempotency key. */
  digestId: string;
  recipient: { agencyId: string; role: ContactRole };
  localDate: IsoDate;
  /** 1..n items; one item → that kind's own template; several → a digest listing them. */
  items: NotificationRequest[];
  attachments?: DigestAttachment[];
}

/** Result of `deliverDigest`: plain data, recorded by the digest workflow. */
export type DeliverDigestResult =
  | { status: 'sent'; messageId: string; to: string[]; accepted: string[] }
  | { status: 'already_sent'; messageId: string }
  /** Nothing went out: every item asked for an action its task no longer allows. */
  | { status: 'withdrawn'; messageId: string }
  | { status: 'rejected'; messageId: string; to: string[]; reason: string; code?: number };

/** One message ready for a transport. */
export interface OutgoingMail {
  /** With angle brackets: `<…@dondoc>`. */
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  date: Date;
  attachments: { filename: string; contentType: string; content: Buffer }[];
}

/** What a transport reports when the server accepted the message. */
export interface MailSendInfo {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's final reply, e.g. `250 OK: queued`. */
  response: string;
}

/** A transport for outgoing mail. Errors are {@link MailSendError}s with secrets removed. */
export interface Mailer {
  send(mail: OutgoingMail): Promise<MailSendInfo>;
  close(): void;
}
