/**
 * What the route files of the web app share: the dependencies, the page frame, who the visitor is and the guards.
 * Built once by `buildWebApp` (web/app.ts) and handed to each route file's `register…Routes(app, ctx)`.
 */
import type { Client } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DondocConfig } from '../config';
import type { Mailer } from '../mail/types';
import type { LabelLanguage } from '../reports/labels';
import type { PlanReader } from '../services/plan-store';
import type { SafeHtml } from './html';
import type { SessionStore } from './session-store';

/** Who is looking at a page. */
export type Viewer =
  { kind: 'anonymous' } | { kind: 'operator'; session: string } | { kind: 'agency'; agencyId: string; session: string };

export interface WebContext {
  client: Client;
  config: DondocConfig;
  linkSecret: string;
  plans: PlanReader;
  sessions: SessionStore;
  mailer: Mailer | undefined;
  outboxDir: string | undefined;
  now: () => number;
  tz: string;
  boardToken: string | undefined;
  secureCookies: boolean;
  langOf(req: FastifyRequest): LabelLanguage;
  sendPage(
    reply: FastifyReply,
    req: FastifyRequest,
    status: number,
    title: string,
    body: SafeHtml,
    board?: boolean,
  ): FastifyReply;
  /** The visitor, from the session cookie with its epochs checked against the store (memoised per request). */
  viewer(req: FastifyRequest): Promise<Viewer>;
  /** Refuses a state-changing request sent from another site (Origin / Sec-Fetch-Site), with 403. */
  checkSameOrigin(req: FastifyRequest): void;
  /** Refuses with 429 while the visitor's address has failed too often (`what`: 'signin' or 'token'). */
  throttle(req: FastifyRequest, what: 'signin' | 'token'): Promise<void>;
  /** Counts one failure of the visitor's address and logs it (never the secret that was tried). */
  recordFailure(req: FastifyRequest, what: 'signin' | 'token', detail: string): Promise<void>;
  /** Whether the board's pages may be shown (signed in, or no sign-in configured). */
  mayViewBoard(v: Viewer): boolean;
}
