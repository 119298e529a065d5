import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { DondocConfig } from '../config';
import { createOutboxMailer, createSmtpMailer } from '../mail/mailer';
import type { SentLedger } from '../mail/ledger';
import type { Mailer } from '../mail/types';
import { createLinkSigner } from '../security/links';
import { PlanStore, type PlanReader } from '../services/plan-store';
import { currentActionsOf } from '../services/tasks';
import { createSentLedger } from '../storage/sent-ledger';
import { createEmailActivities } from './email-activities';
import { createEnqueueActivities } from './enqueue-activities';
import { createReportActivities } from './report-activities';
import type { DigestActivities, EnqueueActivities, ReportActivities } from './types';

/** Every activity the worker registers. Workflows import only the types. */
export type Activities = EnqueueActivities & DigestActivities & ReportActivities;
export type { EnqueueActivities, DigestActivities, ReportActivities } from './types';

export function outboxFolder(config: DondocConfig): string {
  return path.join(config.dataDir, 'outbox');
}

/** The mailer of a configuration: SMTP when DONDOC_SMTP_URL is set, else the local outbox folder. */
export function createMailer(config: DondocConfig): Mailer {
  return config.mail.smtpUrl ? createSmtpMailer(config.mail.smtpUrl) : createOutboxMailer(outboxFolder(config));
}

/** Builds every activity over real adapters. `linkSecret` is required (config or the embedded data folder). */
export function createActivities(deps: {
  config: DondocConfig;
  client: Client;
  linkSecret: string;
  mailer?: Mailer;
  ledger?: SentLedger;
  plans?: PlanReader;
}): Activities {
  const { config, client, linkSecret } = deps;
  // Plans and directories from Temporal (the plans' workflows), cached for 30 s: every worker host reads the same.
  const plans = deps.plans ?? new PlanStore(client);
  const email = createEmailActivities({
    mailer: deps.mailer ?? createMailer(config),
    recipients: plans,
    // PostgreSQL when DONDOC_DATABASE_URL is set (every host sees the same ledger), else files in the data folder.
    ledger: deps.ledger ?? createSentLedger(config),
    links: createLinkSigner(linkSecret),
    // The digest's last look: an item waiting in the gathering window offers only what the task still allows.
    currentActions: (workflowId) => currentActionsOf(client, workflowId),
    config: {
      from: config.mail.from,
      publicUrl: config.web.publicUrl,
      language: config.mail.language,
      linkTtlDays: config.links.ttlDays,
      timeZone: config.timeZone,
    },
  });
  return {
    ...createEnqueueActivities({
      client,
      taskQueue: config.temporal.taskQueue,
      windowMinutes: config.mail.digestWindowMinutes,
    }),
    ...email,
    ...createReportActivities({
      client,
      plans,
      deliverDigest: (input) => email.deliverDigest(input),
    }),
  };
}
