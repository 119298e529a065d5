/** Writing a plan draft as a plan file (plans/FORMAT.md) an officer reviews before import. */
import { resolveAgency, type DirectoryLike } from './agency-names';
import { taskKeys } from './task-keys';
import type { DraftTask, PlanDraft, ReviewMark } from './types';

function quote(value: string): string {
  return JSON.stringify(value.normalize('NFC'));
}

function isSlug(value: string): boolean {
  return /^[a-z0-9][a-z0-9-]*$/.test(value);
}

function scalar(value: string): string {
  return isSlug(value) ? value : quote(value);
}

function markLine(m: ReviewMark): string {
  return `{ field: ${scalar(m.field)}, why: ${quote(m.why)}, line: ${m.line} }`;
}

interface AgencyOut {
  value: string;
  resolved: boolean;
}

function agencyOut(name: string, directory: DirectoryLike | undefined): AgencyOut {
  const hit = directory ? resolveAgency(name, directory) : undefined;
  return hit ? { value: hit.id, resolved: true } : { value: name, resolved: false };
}

function unresolvedMark(field: string, name: string, line: number, directory: DirectoryLike | undefined): ReviewMark {
  return {
    field,
    why: directory
      ? `Không tìm thấy "${name}" trong danh mục cơ quan: chọn mã cơ quan hoặc bổ sung vào danh mục.`
      : `Chưa đối chiếu "${name}" với danh mục cơ quan: thay bằng mã cơ quan.`,
    line,
  };
}

function taskIds(tasks: DraftTask[]): (string | undefined)[] {
  return taskKeys(tasks.map((t) => t.ref));
}

/**
 * Writes the draft as a plan file in the format of plans/FORMAT.md: agencies as directory ids when
 * `directory` resolves them, otherwise the name as written with a review entry; every task carries
 * its `review:` list and a comment with its source line. Fields the text cannot give (monitoring
 * agency, escalation authority) are left as comments for the officer to fill in, never guessed.
 * Pure: the result is a string; `directoryPath` is written as the plan's `directory:` field.
 */
export function draftToYaml(
  draft: PlanDraft,
  opts: { planId: string; directoryPath?: string; directory?: DirectoryLike },
): string {
  const { directory } = opts;
  const out: string[] = [];
  out.push('# Bản nháp do `dondoc draft` đọc từ văn bản kế hoạch. Kiểm tra và xử lý mọi mục `review` trước khi nhập.');
  for (const m of draft.marks) out.push(`# CẦN XEM (${m.field}, dòng ${m.line}): ${m.why}`);
  if (draft.unknownAgencies.length > 0)
    out.push(`# Cơ quan chưa có trong danh mục: ${draft.unknownAgencies.join('; ')}`);
  out.push(`id: ${scalar(opts.planId)}`);
  out.push(`number: ${quote(draft.plan.number ?? '')}`);
  out.push(`title: ${quote(draft.plan.title ?? '')}`);
  if (draft.plan.issuer) {
    const issuer = agencyOut(draft.plan.issuer, directory);
    out.push(
      `issuer: ${scalar(issuer.value)}${issuer.resolved ? '' : '  # CẦN XEM: chưa đối chiếu với danh mục cơ quan'}`,
    );
  } else {
    out.push('issuer: ""  # CẦN XEM: không tìm thấy cơ quan ban hành');
  }
  out.push(`issued: ${draft.plan.issued ?? 'null'}`);
  if (draft.plan.periodStart && draft.plan.periodEnd)
    out.push(`period: { start: ${draft.plan.periodStart}, end: ${draft.plan.periodEnd} }`);
  out.push('timeZone: Asia/Ho_Chi_Minh');
  if (opts.directoryPath) out.push(`directory: ${quote(opts.directoryPath)}`);
  out.push('# monitoringAgency: <mã cơ quan đầu mối theo dõi, đôn đốc>   (điền trước khi nhập)');
  out.push('# escalationAuthority: <mã cơ quan nhận báo cáo quá hạn>     (điền trước khi nhập)');
  out.push('tasks:');
  const ids = taskIds(draft.tasks);
  draft.tasks.forEach((task, i) => {
    const review = [...task.review];
    const hasMark = (field: string, name: string): boolean =>
      review.some((m) => m.field === field && m.why.includes(`"${name}"`));
    out.push(`  - ref: ${task.ref === null ? 'null' : quote(task.ref)}  # dòng ${task.line}`);
    const id = ids[i];
    if (id) out.push(`    id: ${quote(id)}`);
    out.push(`    title: ${quote(task.title)}`);
    const [firstLead, ...otherLeads] = task.lead;
    if (firstLead) {
      const lead = agencyOut(firstLead, directory);
      if (!lead.resolved && !hasMark('lead', firstLead))
        review.push(unresolvedMark('lead', firstLead, task.line, directory));
      out.push(
        `    lead: ${scalar(lead.value)}${otherLeads.length > 0 ? `  # cơ quan chủ trì khác trong văn bản: ${otherLeads.join('; ')}` : ''}`,
      );
    } else {
      out.push('    lead: ""');
    }
    const coords = task.coordinators.map((name) => {
      const c = agencyOut(name, directory);
      if (!c.resolved && !hasMark('coordinators', name))
        review.push(unresolvedMark('coordinators', name, task.line, directory));
      return scalar(c.value);
    });
    out.push(`    coordinators: [${coords.join(', ')}]`);
    out.push(`    timing: ${quote(task.timingText ?? '')}`);
    if (task.deliverable) out.push(`    deliverable: ${quote(task.deliverable)}`);
    out.push('    signOff: all');
    if (review.length > 0) {
      out.push('    review:');
      for (const m of review) out.push(`      - ${markLine(m)}`);
    }
  });
  if (draft.tasks.length === 0) out[out.length - 1] = 'tasks: []';
  return `${out.join('\n')}\n`;
}
