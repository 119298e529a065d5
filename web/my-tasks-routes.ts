/**
 * "Việc của tôi" (my tasks): one page per signed-in agency with what is overdue, what is due this week, what waits
 * for its confirmation and, for the monitoring agency, the submissions, extension requests and declined tasks that
 * wait for it; each item with the same action forms as the emailed links, inline. Every action of the lifecycle
 * registry has its form here, so the CLI is not the only door for any of them. The actor is always the signed-in
 * agency; the web offers and sends only the actions its role allows, and the workflow's validators decide.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACTIONS, isActionName } from '../domain/lifecycle/actions';
import { REFUSAL_OUTCOMES } from '../domain/lifecycle/refusals';
import type { IsoDate, TaskSnapshot } from '../domain/types';
import type { PlanFile } from '../plans/schema';
import { formatDateShortVi, labelTaskState, toLocalDate, type LabelLanguage } from '../reports/labels';
import type { PlanRecord } from '../services/plan-store';
import { actOnTask, getTask, isTaskWorkflowId, listTasks, planIdOfTask, type TaskRow } from '../services/tasks';
import { ACTION_FORMS, parseActionFields, type FieldDef } from './action-forms';
import type { WebContext } from './context';
import { WebError } from './errors';
import { formatInstantLocal, html, raw, stateBadge, statusBadge, WORDS, type SafeHtml } from './html';
import { readPlanRecords } from './plan-records';
import { actionsFor, holdsRole, planRole, type TaskParties } from './roles';
import { checkCsrfToken, createCsrfToken } from './session';

/** Most items a section shows (a commune-wide plan can have thousands). */
const SECTION_MAX = 100;
/** Most snapshots read for one page (confirmations and submissions need the task's detail). */
const SNAPSHOT_MAX = 60;

const W = {
  vi: {
    title: 'Việc của tôi',
    overdue: 'Quá hạn',
    dueWeek: 'Đến hạn trong 7 ngày tới',
    toConfirm: 'Chờ tôi xác nhận phần phối hợp',
    toAccept: 'Kết quả chờ tôi nghiệm thu',
    toDecide: 'Đề nghị gia hạn, nhiệm vụ bị từ chối hoặc đang tạm hoãn chờ tôi xử lý',
    all: 'Tất cả nhiệm vụ của tôi',
    allMonitored: 'Tất cả nhiệm vụ của tôi và của các kế hoạch tôi theo dõi',
    none: 'Không có việc nào.',
    more: (n: number) => `… và ${n} việc khác (xem trên bảng theo dõi).`,
    leadership: 'Cơ quan lãnh đạo chỉ xem, không thao tác. Xem trang tổng hợp cho lãnh đạo:',
    leadershipLink: 'Tình hình thực hiện theo cơ quan',
    operator:
      'Quản trị viên không thực hiện thao tác thay cơ quan. Cơ quan đăng nhập bằng liên kết gửi tới thư điện tử của mình.',
    signedInAs: 'Đăng nhập với tư cách',
    submitted: 'Báo cáo của cơ quan chủ trì',
    due: 'Hạn',
    back: '← Việc của tôi',
    done: 'Đã thực hiện',
    notYours:
      'Cơ quan của bạn không có quyền thực hiện thao tác này trên nhiệm vụ này. Không có thay đổi nào được thực hiện.',
    pick: '— chọn —',
  },
  en: {
    title: 'My tasks',
    overdue: 'Overdue',
    dueWeek: 'Due in the next 7 days',
    toConfirm: 'Waiting for my confirmation',
    toAccept: 'Results waiting for my acceptance',
    toDecide: 'Extension requests, declined and postponed tasks waiting for me',
    all: 'All my tasks',
    allMonitored: 'All my tasks and the tasks of the plans I monitor',
    none: 'Nothing here.',
    more: (n: number) => `… and ${n} more (see the board).`,
    leadership: 'Leadership sees, and does not act. The summary for leadership:',
    leadershipLink: 'Progress by agency',
    operator: 'The administrator does not act for agencies. Agencies sign in with a link sent to their own email.',
    signedInAs: 'Signed in as',
    submitted: "The lead's report",
    due: 'Due',
    back: '← My tasks',
    done: 'Done',
    notYours: 'Your agency may not take this action on this task. Nothing was changed.',
    pick: '— choose —',
  },
} as const;

const MY_CSS = `
.items{display:grid;gap:.6rem}.item{background:#fff;border:1px solid #dcdfe4;border-radius:.4rem;padding:.7rem}
.item h3{font-size:1rem;margin:0 0 .3rem}.item .meta{font-size:.88rem;color:#444;display:flex;flex-wrap:wrap;gap:.3rem .8rem}
.item details{margin-top:.4rem;border-top:1px dashed #dcdfe4;padding-top:.3rem}.item summary{cursor:pointer;color:#9c1c1c;font-weight:600;padding:.3rem 0}
.item form input,.item form select,.item form textarea{width:100%}.sub{background:#f8f9fa;border-left:4px solid #1c7ed6;padding:.4rem .6rem;margin:.4rem 0;font-size:.9rem}
form.inline{display:inline}button.link{background:none;color:#9c1c1c;padding:0;margin:0;text-decoration:underline}
`;

interface PlanInfo {
  record: PlanRecord;
  plan: PlanFile;
}

function parties(row: TaskRow, plan: PlanFile): TaskParties {
  return {
    leadId: row.leadId,
    agencies: row.agencies,
    monitoringId: plan.monitoringAgency,
    leadershipId: plan.escalationAuthority,
    state: row.state,
    targetIds: targetIdsOf(plan, row.taskRef),
  };
}

/** The targets a task of the plan reports on (none when the plan does not list any for it). */
function targetIdsOf(plan: PlanFile, taskRef: string): string[] {
  return plan.tasks.find((t) => t.ref === taskRef)?.targets ?? [];
}

function snapshotParties(s: TaskSnapshot, plan: PlanFile | undefined): TaskParties {
  return {
    leadId: s.lead.id,
    agencies: [s.lead.id, ...s.coordinators.map((c) => c.id)],
    requiredSignOff: s.requiredSignOff,
    monitoringId: s.monitoring.id,
    leadershipId: plan?.escalationAuthority ?? '',
    state: s.state,
    ...(plan ? { targetIds: targetIdsOf(plan, s.taskRef) } : {}),
  };
}

const addDays = (d: IsoDate, n: number): IsoDate =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function fieldInput(
  f: FieldDef,
  id: string,
  lang: LabelLanguage,
  plan: PlanFile | undefined,
  rec: PlanRecord | undefined,
): SafeHtml {
  const fid = `${id}-${f.name}`;
  const req = f.required ? raw(' required') : '';
  const label = html`<label for="${fid}">${f.label[lang]}${f.required ? ' *' : ''}</label>`;
  if (f.kind === 'textarea')
    return html`${label}<textarea id="${fid}" name="${f.name}" maxlength="${f.max ?? 4000}"${req}></textarea>`;
  if (f.kind === 'agency')
    return html`${label}<select id="${fid}" name="${f.name}"${req}><option value="">${W[lang].pick}</option>${(
      rec?.directory.agencies ?? []
    ).map((a) => html`<option value="${a.id}">${a.name}</option>`)}</select>`;
  if (f.kind === 'target')
    return html`${label}<select id="${fid}" name="${f.name}"${req}><option value="">${W[lang].pick}</option>${(
      plan?.targets ?? []
    ).map((t) => html`<option value="${t.id}">${t.title}</option>`)}</select>`;
  const type = f.kind === 'date' ? 'date' : f.kind === 'url' ? 'url' : f.kind === 'number' ? 'number' : 'text';
  return html`${label}<input id="${fid}" name="${f.name}" type="${type}" maxlength="${f.max ?? 2000}"${raw(f.kind === 'number' ? ' step="any"' : '')}${req}>`;
}

/**
 * The inline forms of every action the agency may take on the task now (its role and the task's state allow
 * them), posting to /my/act with the session's CSRF token. Used by "Việc của tôi" and the task page.
 */
export function actionForms(
  linkSecret: string,
  agencyId: string,
  session: string,
  workflowId: string,
  p: TaskParties,
  cycle: number | undefined,
  lang: LabelLanguage,
  info: PlanInfo | undefined,
): SafeHtml {
  const csrf = createCsrfToken(linkSecret, session);
  return html`${actionsFor(agencyId, p).map((a) => {
    const spec = ACTION_FORMS[a];
    const formId = randomBytes(9).toString('base64url');
    const id = `f-${formId}`;
    return html`<details data-action="${a}"><summary>${ACTIONS[a].label[lang]}</summary><form method="post" action="/my/act">
<input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="workflowId" value="${workflowId}"><input type="hidden" name="action" value="${a}"><input type="hidden" name="formId" value="${formId}">${
      cycle === undefined ? '' : html`<input type="hidden" name="cycle" value="${cycle}">`
    }
${spec.fields.map((f) => fieldInput(f, id, lang, info?.plan, info?.record))}<div><button type="submit">${spec.button[lang]}</button></div></form></details>`;
  })}`;
}

/** The forms of a task page for a signed-in agency: the actions it may take on the task now. */
export function snapshotActionForms(
  linkSecret: string,
  agencyId: string,
  session: string,
  s: TaskSnapshot,
  record: PlanRecord | undefined,
  lang: LabelLanguage,
): SafeHtml {
  const info = record ? { record, plan: record.plan } : undefined;
  return actionForms(
    linkSecret,
    agencyId,
    session,
    s.workflowId,
    snapshotParties(s, record?.plan),
    s.cycle,
    lang,
    info,
  );
}

export function registerMyTasksRoutes(app: FastifyInstance, ctx: WebContext): void {
  const { client, tz } = ctx;

  const requireAgency = async (req: FastifyRequest, reply: FastifyReply): Promise<string | undefined> => {
    const v = await ctx.viewer(req);
    if (v.kind === 'agency') return v.agencyId;
    if (v.kind === 'anonymous') {
      await reply.redirect('/login', 303);
      return undefined;
    }
    throw new WebError(403, W.vi.operator, 'Không có quyền');
  };

  const dueText = (d: IsoDate | null, lang: LabelLanguage): string => (d ? formatDateShortVi(d) : WORDS[lang].noDue);

  const item = (row: TaskRow, lang: LabelLanguage, forms: SafeHtml, extra: SafeHtml = html``): SafeHtml =>
    html`<div class="item" data-workflow-id="${row.workflowId}"><h3><a href="/tasks/${encodeURIComponent(row.workflowId)}">${row.taskRef} · ${row.title}</a></h3>
<div class="meta"><span>${row.leadName}</span><span>${W[lang].due}: ${dueText(row.due, lang)}</span>${stateBadge(row.state, lang)}${statusBadge(row.status, lang)}</div>${extra}${forms}</div>`;

  const section = (title: string, key: string, items: SafeHtml[], lang: LabelLanguage): SafeHtml =>
    html`<h2>${title} (${items.length})</h2><div class="items" data-section="${key}">${
      items.length === 0 ? html`<p class="muted">${W[lang].none}</p>` : items.slice(0, SECTION_MAX)
    }${items.length > SECTION_MAX ? html`<p class="muted">${W[lang].more(items.length - SECTION_MAX)}</p>` : ''}</div>`;

  const submissionBox = (s: TaskSnapshot, lang: LabelLanguage): SafeHtml => {
    const sub = s.submission;
    if (!sub) return html``;
    const href = sub.evidenceUrl && /^https?:\/\/\S+$/i.test(sub.evidenceUrl) ? sub.evidenceUrl : undefined;
    return html`<div class="sub"><strong>${W[lang].submitted}</strong> (${formatInstantLocal(sub.at, tz)}): ${sub.summary}${
      sub.documentNumber ? html` · ${sub.documentNumber}` : ''
    }${href ? html` · <a href="${href}" rel="noopener noreferrer">${href}</a>` : ''}${
      s.confirmations.length > 0
        ? html`<br>${s.confirmations.map((c) => html`${c.agencyId}: ${c.verdict === 'confirmed' ? '✔' : '✖'} ${c.note ?? ''} `)}`
        : ''
    }</div>`;
  };

  app.get('/my', async (req, reply) => {
    const agencyId = await requireAgency(req, reply);
    if (agencyId === undefined) return reply;
    const v = await ctx.viewer(req);
    const session = v.kind === 'agency' ? v.session : '';
    const lang = ctx.langOf(req);
    const w = W[lang];
    const today = toLocalDate(new Date(ctx.now()).toISOString(), tz);
    const weekEnd = addDays(today, 7);

    const infos = new Map<string, PlanInfo>();
    for (const record of await readPlanRecords(ctx.plans)) infos.set(record.plan.id, { record, plan: record.plan });
    const name =
      [...infos.values()].map((i) => i.record.directory.agencies.find((a) => a.id === agencyId)?.name).find(Boolean) ??
      agencyId;

    const overdue: SafeHtml[] = [];
    const dueWeek: SafeHtml[] = [];
    const toConfirm: SafeHtml[] = [];
    const toAccept: SafeHtml[] = [];
    const toDecide: SafeHtml[] = [];
    const all: SafeHtml[] = [];
    let leadership = false;
    let snapshots = 0;
    const snapshot = async (id: string): Promise<TaskSnapshot | undefined> =>
      snapshots++ < SNAPSHOT_MAX ? getTask(client, id).catch(() => undefined) : undefined;

    for (const [planId, info] of infos) {
      const role = planRole(agencyId, info.plan);
      if (role === 'leadership') leadership = true;
      // The monitoring agency follows every task of the plan: "all" lists them, not only the few it leads or joins.
      const mine = await listTasks(client, role === 'monitoring' ? { planId } : { planId, agencyId }, { timeZone: tz });
      for (const row of mine.filter((r) => r.running || r.state !== 'cancelled')) {
        const p = parties(row, info.plan);
        const forms = actionForms(ctx.linkSecret, agencyId, session, row.workflowId, p, undefined, lang, info);
        const isLead = row.leadId === agencyId;
        const isParty = isLead || row.agencies.includes(agencyId);
        if (isLead && row.status === 'in_progress_overdue') overdue.push(item(row, lang, forms));
        else if (
          isLead &&
          row.due !== null &&
          row.due >= today &&
          row.due <= weekEnd &&
          !['accepted', 'cancelled', 'postponed'].includes(row.state)
        )
          dueWeek.push(item(row, lang, forms));
        if (isParty && !isLead && (row.state === 'submitted' || row.state === 'disputed')) {
          const s = await snapshot(row.workflowId);
          if (s && s.requiredSignOff.includes(agencyId) && !s.confirmations.some((c) => c.agencyId === agencyId))
            toConfirm.push(
              item(
                row,
                lang,
                actionForms(
                  ctx.linkSecret,
                  agencyId,
                  session,
                  row.workflowId,
                  snapshotParties(s, info.plan),
                  s.cycle,
                  lang,
                  info,
                ),
                submissionBox(s, lang),
              ),
            );
        }
        all.push(item(row, lang, forms));
      }
      if (role === 'monitoring') {
        for (const state of [
          'submitted',
          'confirmed',
          'disputed',
          'extension_requested',
          'declined',
          'postponed',
        ] as const) {
          for (const row of await listTasks(client, { planId, state }, { timeZone: tz })) {
            const target = state === 'submitted' || state === 'confirmed' || state === 'disputed' ? toAccept : toDecide;
            const s = target === toAccept ? await snapshot(row.workflowId) : undefined;
            const p = s ? snapshotParties(s, info.plan) : parties(row, info.plan);
            target.push(
              item(
                row,
                lang,
                actionForms(ctx.linkSecret, agencyId, session, row.workflowId, p, s?.cycle, lang, info),
                s ? submissionBox(s, lang) : html``,
              ),
            );
          }
        }
      }
    }

    const monitors = [...infos.values()].some((i) => i.plan.monitoringAgency === agencyId);
    // The sign-out form is in the page header; a form inside this <p> would close the paragraph and leave a "·".
    const body = html`<style>${raw(MY_CSS)}</style><h1>${w.title}</h1>
<p data-signed-in>${w.signedInAs}: <strong data-agency="${agencyId}">${name}</strong></p>${
      leadership
        ? html`<div class="banner" role="status">${w.leadership} <a href="/leadership">${w.leadershipLink}</a></div>`
        : ''
    }${section(w.overdue, 'overdue', overdue, lang)}${section(w.dueWeek, 'due-week', dueWeek, lang)}${section(w.toConfirm, 'to-confirm', toConfirm, lang)}${
      toAccept.length > 0 || monitors
        ? html`${section(w.toAccept, 'to-accept', toAccept, lang)}${section(w.toDecide, 'to-decide', toDecide, lang)}`
        : ''
    }${section(monitors ? w.allMonitored : w.all, 'all', all, lang)}`;
    return ctx.sendPage(reply, req, 200, w.title, body);
  });

  app.post('/my/act', async (req, reply) => {
    ctx.checkSameOrigin(req);
    const agencyId = await requireAgency(req, reply);
    if (agencyId === undefined) return reply;
    const v = await ctx.viewer(req);
    const lang = ctx.langOf(req);
    const w = W[lang];
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (v.kind !== 'agency' || !checkCsrfToken(ctx.linkSecret, v.session, body['csrf']))
      throw new WebError(
        403,
        'Biểu mẫu đã hết hiệu lực hoặc không được gửi từ trang của hệ thống. Tải lại trang "Việc của tôi" rồi gửi lại.',
        'Biểu mẫu không hợp lệ',
      );
    const workflowId = body['workflowId'];
    const action = body['action'];
    const formId = body['formId'];
    const cycleText = body['cycle'];
    if (typeof workflowId !== 'string' || !isTaskWorkflowId(workflowId))
      throw new WebError(404, 'Không tìm thấy nhiệm vụ.', 'Không tìm thấy');
    if (typeof action !== 'string' || !isActionName(action))
      throw new WebError(400, 'Thao tác không hợp lệ.', 'Yêu cầu không hợp lệ');
    if (typeof formId !== 'string' || !/^[A-Za-z0-9_-]{8,64}$/.test(formId))
      throw new WebError(400, 'Biểu mẫu thiếu mã. Tải lại trang rồi gửi lại.', 'Yêu cầu không hợp lệ');
    if (cycleText !== undefined && (typeof cycleText !== 'string' || !/^\d{1,6}$/.test(cycleText)))
      throw new WebError(400, 'Kỳ của nhiệm vụ không hợp lệ.', 'Yêu cầu không hợp lệ');
    const s = await getTask(client, workflowId);
    const record = await ctx.plans.get(planIdOfTask(workflowId));
    const p = snapshotParties(s, record?.plan);
    // The web refuses before the workflow is asked: the agency does not hold the role the action needs here.
    if (!holdsRole(action, agencyId, p)) throw new WebError(403, w.notYours, REFUSAL_OUTCOMES.not_allowed.title[lang]);
    const fields = parseActionFields(ACTION_FORMS[action], body, (id) => {
      const a = record?.directory.agencies.find((x) => x.id === id);
      return a ? { id: a.id, name: a.name } : undefined;
    });
    const outcome = await actOnTask(client, workflowId, action, {
      ...fields,
      actor: { agencyId },
      // The form's own id: a double submit (or a replayed POST) is applied once by the workflow.
      actionId: `web:${agencyId}:${formId}`,
      ...(cycleText !== undefined ? { cycle: Number(cycleText) } : {}),
      via: 'web',
    });
    const back = html`<p><a href="/my">${w.back}</a> · <a href="/tasks/${encodeURIComponent(workflowId)}">${s.taskRef} · ${s.title}</a></p>`;
    if (outcome.ok)
      return ctx.sendPage(
        reply,
        req,
        200,
        w.done,
        html`<div class="card ok" data-outcome="done"><h1>${w.done}</h1><p>${outcome.result.message}</p><p>${labelTaskState(outcome.result.state, lang)} · ${formatInstantLocal(outcome.result.at, tz)}</p></div>${back}`,
      );
    if (outcome.code === 'not_found') throw new WebError(404, outcome.reason, 'Không tìm thấy');
    const o = REFUSAL_OUTCOMES[outcome.code];
    if (outcome.code === 'already_done')
      return ctx.sendPage(
        reply,
        req,
        200,
        o.title[lang],
        html`<div class="card ok" data-outcome="already-done"><h1>${o.title[lang]}</h1><p>${outcome.reason}</p></div>${back}`,
      );
    throw new WebError(o.http, outcome.reason, o.title[lang]);
  });
}
