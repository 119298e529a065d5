/**
 * Email activities: turn a day's notification items for one recipient into one email and deliver it
 * exactly once as far as SMTP allows (see mail/ledger.ts for the guarantee and its limits).
 */
import { createHash } from 'crypto';

import { ApplicationFailure } from '@temporalio/common';

import { reviseOffer, type AllowedActions } from '../domain/lifecycle/delivery';
import type { ActionKind, ContactRole, IsoDate, NotificationRequest } from '../domain/types';
import type { IcsEvent } from '../mail/ics';
import { buildIcs } from '../mail/ics';
import type { SentLedger } from '../mail/ledger';
import { MailSendError, sanitizeErrorMessage } from '../mail/mailer';
import { renderEmail } from '../mail/templates/render';
import { itemDue } from '../mail/templates/kinds';
import type {
  DeliverDigestInput,
  DeliverDigestResult,
  EmailConfig,
  Mailer,
  OutgoingMail,
  RecipientResolver,
} from '../mail/types';
import type { LinkSigner } from '../security/links';

export type { DeliverDigestInput, DeliverDigestResult, EmailConfig, RecipientResolver } from '../mail/types';

export interface EmailActivityDeps {
  mailer: Mailer;
  recipients: RecipientResolver;
  ledger: SentLedger;
  links: LinkSigner;
  config: EmailConfig;
  /** Clock for the Date header and the calendar stamp (tests pin it). */
  now?: () => Date;
  /**
   * The actions a task's state allows now (its snapshot's menu), or `undefined` when that cannot be learnt in time.
   * Items that offer actions and were not prepared for an announced minute (an action's notice, a new task's
   * notice, an item prepared late) are checked against it when the message is made: the task may have moved on
   * while they waited in the digest. Absent: items go out as handed over.
   */
  currentActions?: (taskWorkflowId: string) => Promise<AllowedActions | undefined>;
}

/** An item prepared for a minute this long past is a late one: the task workflow no longer revises it. */
const REVISED_BY_TASK_UNTIL_MS = 60_000;

export interface EmailActivities {
  deliverDigest(input: DeliverDigestInput): Promise<DeliverDigestResult>;
}

/** Deterministic Message-ID of a digest: `<sha256(digestId)[0..32]@dondoc>`. */
export function messageIdForDigest(digestId: string): string {
  return `<${sha256Hex(digestId).slice(0, 32)}@dondoc>`;
}

/** Contact roles tried in order for a recipient: the asked role, then focal, then office. */
export function fallbackRoles(role: ContactRole): ContactRole[] {
  return [...new Set<ContactRole>([role, 'focal', 'office'])];
}

/**
 * Finds the addresses for a recipient (role → focal → office). Returns the agency name for the
 * greeting even when no address is found (`to` is then empty).
 */
export async function resolveRecipient(
  recipients: RecipientResolver,
  agencyId: string,
  role: ContactRole,
  planIds: string[] = [],
): Promise<{ agencyName: string; to: string[] }> {
  let agencyName: string | undefined;
  for (const r of fallbackRoles(role)) {
    const contact = await recipients.resolve(agencyId, r, planIds);
    if (!contact) continue;
    agencyName ??= contact.agencyName;
    const to = (contact.email ?? '')
      .split(/[,;]/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    if (to.length > 0) return { agencyName: contact.agencyName, to };
  }
  return { agencyName: agencyName ?? agencyId, to: [] };
}

/** Link expiry, epoch seconds: the end of the day `ttlDays` after `localDate`, in `timeZone`. */
export function linkExpiry(localDate: IsoDate, ttlDays: number, timeZone: string): number {
  const start = new Date(`${localDate}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() + Math.max(0, Math.floor(ttlDays)) + 1);
  const guess = start.getTime();
  const local = guess - zoneOffsetMs(timeZone, guess);
  return Math.floor((guess - zoneOffsetMs(timeZone, local)) / 1000);
}

/** The last day a link works (for the footer): `localDate + ttlDays`. */
function lastValidDay(localDate: IsoDate, ttlDays: number): IsoDate {
  const d = new Date(`${localDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + Math.max(0, Math.floor(ttlDays)));
  return d.toISOString().slice(0, 10);
}

function zoneOffsetMs(timeZone: string, atMs: number): number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, number> = {};
  for (const part of fmt.formatToParts(new Date(atMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    p['year'] ?? 1970,
    (p['month'] ?? 1) - 1,
    p['day'] ?? 1,
    p['hour'] ?? 0,
    p['minute'] ?? 0,
    p['second'] ?? 0,
  );
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Deterministic nonce of the links of one item in one digest, so a retried send has the same links. */
export function linkNonce(digestId: string, itemKey: string): string {
  return createHash('sha256').update(`${digestId}|${itemKey}`, 'utf8').digest('base64url').slice(0, 22);
}

/** Calendar UID of a task cycle: calendars update one event as reminders and extensions arrive. */
export function calendarUid(item: NotificationRequest): string {
  return `${sha256Hex(`${item.task.workflowId}|${item.task.cycle}`).slice(0, 32)}@dondoc`;
}

function calendarEvents(items: readonly NotificationRequest[], language: 'vi' | 'en'): IcsEvent[] {
  const events: IcsEvent[] = [];
  for (const item of items) {
    const due = itemDue(item);
    if (!due || item.kind === 'accepted') continue;
    const t = item.task;
    const name = [t.taskRef, t.title].filter(Boolean).join(' ');
    events.push({
      uid: calendarUid(item),
      date: due,
      summary: language === 'vi' ? `Hạn nhiệm vụ ${name}` : `Due: ${name}`,
      description:
        language === 'vi'
          ? `Kế hoạch ${t.planNumber ? `số ${t.planNumber} ` : ''}— ${t.planTitle}\nCơ quan chủ trì: ${t.lead.name}`
          : `Plan ${t.planNumber ? `${t.planNumber} ` : ''}— ${t.planTitle}\nLead agency: ${t.lead.name}`,
    });
  }
  return events;
}

function validateInput(input: DeliverDigestInput): void {
  const problems: string[] = [];
  if (!input.digestId) problems.push('digestId trống');
  if (!Array.isArray(input.items) || input.items.length === 0) problems.push('items phải có ít nhất một mục');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.localDate ?? ''))
    problems.push(`localDate "${String(input.localDate)}" không đúng dạng YYYY-MM-DD`);
  if (problems.length > 0) {
    throw ApplicationFailure.create({
      type: 'InvalidDigestInput',
      nonRetryable: true,
      message: `Dữ liệu thư tổng hợp không hợp lệ (${input.digestId || '?'}): ${problems.join('; ')}. Đây là lỗi của quy trình gọi deliverDigest.`,
    });
  }
}

/**
 * Builds the email activities over a mailer, a directory resolver, the sent ledger and the link signer.
 */
export function createEmailActivities(deps: EmailActivityDeps): EmailActivities {
  const now = deps.now ?? (() => new Date());
  const { config } = deps;

  function buildMail(input: DeliverDigestInput, messageId: string, agencyName: string, to: string[]): OutgoingMail {
    const exp = linkExpiry(input.localDate, config.linkTtlDays, config.timeZone);
    const actionUrl = (item: NotificationRequest, action: ActionKind): string =>
      deps.links.url(
        config.publicUrl,
        deps.links.sign({
          p: item.task.planId,
          w: item.task.workflowId,
          c: item.task.cycle,
          a: input.recipient.agencyId,
          k: action,
          exp,
          n: linkNonce(input.digestId, item.key),
        }),
      );
    const attachments = input.attachments ?? [];
    const events = calendarEvents(input.items, config.language);
    const rendered = renderEmail({
      language: config.language,
      agencyName,
      localDate: input.localDate,
      items: input.items,
      actionUrl,
      attachmentNames: attachments.map((a) => a.filename),
      linksValidUntil: lastValidDay(input.localDate, config.linkTtlDays),
      calendarAttached: events.length > 0,
      publicUrl: config.publicUrl,
    });
    const date = now();
    const files: OutgoingMail['attachments'] = attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.contentBase64, 'base64'),
    }));
    if (events.length > 0) {
      files.push({
        filename: `dondoc-${input.localDate}.ics`,
        contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
        content: Buffer.from(buildIcs(events, date), 'utf8'),
      });
    }
    return {
      messageId,
      from: config.from,
      to,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      date,
      attachments: files,
    };
  }

  /**
   * The items as the tasks' states allow them now. Only items that offer actions and that no task workflow revises
   * any more are asked about (one query per task); an item prepared for an announced minute still ahead or just
   * reached was revised by its task when its state changed. A task that cannot answer in time leaves its items as
   * they are: a message is never held back for a query.
   */
  async function currentItems(items: NotificationRequest[]): Promise<NotificationRequest[]> {
    const lookup = deps.currentActions;
    if (!lookup) return items;
    const at = now().getTime();
    const asked = (i: NotificationRequest): boolean =>
      (i.details.actions ?? []).length > 0 && !(Date.parse(i.deliverAt ?? '') > at - REVISED_BY_TASK_UNTIL_MS);
    const tasks = [...new Set(items.filter(asked).map((i) => i.task.workflowId))];
    if (tasks.length === 0) return items;
    const menus = new Map(await Promise.all(tasks.map(async (w) => [w, await lookup(w)] as const)));
    return items.flatMap((item) => {
      const allowed = asked(item) ? menus.get(item.task.workflowId) : undefined;
      if (!allowed) return [item];
      const change = reviseOffer(item, allowed);
      return change.kind === 'same' ? [item] : change.kind === 'revised' ? [change.item] : [];
    });
  }

  return {
    /**
     * Delivers one digest email for `input.digestId`. Idempotent on digestId: a digest already
     * recorded as sent returns `already_sent` and sends nothing; a retry after a crash between claim
     * and record resends with the same Message-ID and the same links. Throws (retryable) on temporary
     * failures: 4xx, refused connection, timeouts. Returns `rejected` on permanent ones: a 5xx to the
     * envelope or data, or no address in the directory (role → focal → office).
     */
    async deliverDigest(input) {
      validateInput(input);
      const messageId = messageIdForDigest(input.digestId);
      const claim = await deps.ledger.claim(input.digestId);
      if (claim === 'sent') {
        const known = await deps.ledger.get(input.digestId);
        return { status: 'already_sent', messageId: known?.messageId ?? messageId };
      }
      const items = await currentItems(input.items);
      if (items.length === 0) {
        // Every item asked for an action the task no longer allows: nothing is left to say.
        await deps.ledger.markSent(input.digestId, {
          messageId,
          to: [],
          accepted: [],
          sentAt: now().toISOString(),
          response: 'không gửi: mọi mục đã lỗi thời',
        });
        return { status: 'withdrawn', messageId };
      }
      input = { ...input, items };
      const planIds = [...new Set(input.items.map((i) => i.task.planId))];
      const { agencyName, to } = await resolveRecipient(
        deps.recipients,
        input.recipient.agencyId,
        input.recipient.role,
        planIds,
      );
      if (to.length === 0) {
        return {
          status: 'rejected',
          messageId,
          to: [],
          reason: `Danh bạ không có địa chỉ thư điện tử của ${agencyName} (mã ${input.recipient.agencyId}) cho vai trò ${fallbackRoles(input.recipient.role).join(' → ')}. Bổ sung địa chỉ vào tệp danh bạ rồi nhập lại.`,
        };
      }
      const mail = buildMail(input, messageId, agencyName, to);
      let info;
      try {
        info = await deps.mailer.send(mail);
      } catch (err) {
        if (err instanceof MailSendError && err.permanent) {
          return {
            status: 'rejected',
            messageId,
            to,
            reason: err.message,
            ...(err.responseCode !== undefined ? { code: err.responseCode } : {}),
          };
        }
        const message = sanitizeErrorMessage(err instanceof Error ? err.message : String(err));
        throw new Error(
          `Gửi thư ${messageId} đến ${to.join(', ')} tạm thời thất bại: ${message}. Hệ thống sẽ tự thử lại.`,
        );
      }
      await deps.ledger.markSent(input.digestId, {
        messageId,
        to,
        accepted: info.accepted,
        sentAt: now().toISOString(),
        response: info.response,
      });
      if (process.env['DONDOC_FAULT_KILL_AFTER_SEND'] === '1') {
        // Test-only fault: the worker dies after the server accepted the message and the ledger
        // recorded it, before the activity completes. The retry must find 'sent' and send nothing.
        process.kill(process.pid, 'SIGKILL');
      }
      return { status: 'sent', messageId, to, accepted: info.accepted };
    },
  };
}
