import type { ActionKind, NotificationKind, NotificationRequest } from '../../domain/types';
import { formatLongDate, formatShortDate } from '../../mail/templates/dates';
import { ACTION_LABELS } from '../../mail/templates/kinds';
import { escapeHtml, renderEmail, subjectForDigest, trimTitle } from '../../mail/templates/render';
import { createLinkSigner } from '../../security/links';
import { ACTIONS_BY_KIND, ALL_KINDS, makeItem } from './fixtures';

const signer = createLinkSigner('template-test-secret-0123456789');
const NOW = Date.UTC(2019, 8, 23);
const PUBLIC = 'https://dondoc.example.gov.vn';

function render(items: NotificationRequest[], language: 'vi' | 'en') {
  return renderEmail({
    language,
    agencyName: 'Sở Tư pháp tỉnh Đắk Lắk',
    localDate: '2019-09-23',
    items,
    actionUrl: (item, action) =>
      signer.url(
        PUBLIC,
        signer.sign({
          p: item.task.planId,
          w: item.task.workflowId,
          c: item.task.cycle,
          a: item.recipient.agencyId,
          k: action,
          exp: NOW / 1000 + 86400 * 14,
          n: item.key,
        }),
      ),
    linksValidUntil: '2019-10-07',
  });
}

function linksIn(text: string): string[] {
  return [...text.matchAll(/https:\/\/dondoc\.example\.gov\.vn\/a\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
}

const KIND_WORDS: Record<NotificationKind, { vi: RegExp; en: RegExp }> = {
  reminder: { vi: /còn 7 ngày làm việc/, en: /in 7 working day/ },
  due_today: { vi: /Hôm nay \(ngày 30 tháng 9 năm 2019\)/, en: /Today \(30 September 2019\)/ },
  overdue: { vi: /đã quá hạn 6 ngày làm việc/, en: /overdue by 6 working days/ },
  escalation: {
    vi: /Sở Tư pháp tỉnh Đắk Lắk chủ trì đã quá hạn 6 ngày làm việc/,
    en: /led by Sở Tư pháp tỉnh Đắk Lắk, is overdue by 6 working days/,
  },
  confirm_request: { vi: /xác nhận phần việc phối hợp/, en: /confirm your contribution/ },
  coordinator_reminder: { vi: /chưa xác nhận phần việc phối hợp/, en: /not yet confirmed/ },
  confirmation_received: { vi: /Ủy ban MTTQ Việt Nam tỉnh Đắk Lắk đã xác nhận/, en: /Đắk Lắk has confirmed/ },
  disputed: {
    vi: /không thống nhất với báo cáo hoàn thành.*Lý do: Thiếu văn bản/,
    en: /disputes.*Reason: Thiếu văn bản/,
  },
  submitted: { vi: /đã báo cáo hoàn thành nhiệm vụ sau\. Đề nghị quý cơ quan xem xét/, en: /Please review it/ },
  returned: {
    vi: /trả lại để hoàn thiện\. Lý do: Thiếu văn bản chứng minh/,
    en: /returned for rework\. Reason: Thiếu/,
  },
  accepted: { vi: /đã được Ủy ban MTTQ Việt Nam tỉnh Đắk Lắk chấp nhận/, en: /was accepted by/ },
  extension_requested: {
    vi: /đề nghị gia hạn nhiệm vụ sau đến ngày 31 tháng 10 năm 2019\. Lý do: Chờ ý kiến/,
    en: /extension of the task below to 31 October 2019/,
  },
  extension_decision: {
    vi: /đã được Phòng Phổ biến, giáo dục pháp luật chấp thuận\. Hạn hoàn thành mới: ngày 31 tháng 10 năm 2019/,
    en: /approved by Phòng Phổ biến, giáo dục pháp luật\. New deadline: 31 October 2019/,
  },
  delivery_failed: {
    vi: /không gửi được thư đến UBND huyện Krông Bông/,
    en: /could not be delivered to UBND huyện Krông Bông/,
  },
  periodic_report: {
    vi: /báo cáo định kỳ tình hình thực hiện kế hoạch số 123\/KH-UBND/,
    en: /periodic progress report of plan 123\/KH-UBND/,
  },
  declined: { vi: /từ chối chủ trì nhiệm vụ sau, đề nghị giao lại/, en: /declines to lead the task below/ },
  reassigned: { vi: /được giao chủ trì nhiệm vụ sau/, en: /now leads the task below/ },
  postponed: { vi: /được tạm hoãn; hệ thống tạm dừng nhắc hạn/, en: /is postponed; reminders stop/ },
  resumed: {
    vi: /được tiếp tục thực hiện \(hạn hoàn thành: ngày 30 tháng 9 năm 2019\)/,
    en: /has resumed \(deadline: 30 September 2019\)/,
  },
  cancelled: { vi: /đã được hủy theo điều chỉnh kế hoạch/, en: /was cancelled by an amendment of the plan/ },
  plan_imported: {
    vi: /giao quý cơ quan chủ trì nhiệm vụ sau \(hạn hoàn thành: ngày 30 tháng 9 năm 2019\)/,
    en: /gives your agency the lead of the task below/,
  },
};

const SUBJECT_LABEL: Record<NotificationKind, string> = {
  reminder: 'Nhắc hạn',
  due_today: 'Đến hạn hôm nay',
  overdue: 'Quá hạn',
  escalation: 'Báo cáo nhiệm vụ quá hạn – cấp 2',
  confirm_request: 'Đề nghị xác nhận',
  coordinator_reminder: 'Nhắc xác nhận',
  confirmation_received: 'Đã nhận xác nhận',
  disputed: 'Không thống nhất kết quả',
  submitted: 'Báo cáo hoàn thành',
  returned: 'Trả lại để hoàn thiện',
  accepted: 'Đã chấp nhận kết quả',
  extension_requested: 'Đề nghị gia hạn',
  extension_decision: 'Đồng ý gia hạn',
  delivery_failed: 'Không gửi được thư đến UBND huyện Krông Bông',
  periodic_report: 'Báo cáo định kỳ',
  declined: 'Từ chối nhiệm vụ, đề nghị giao lại',
  reassigned: 'Được giao chủ trì nhiệm vụ',
  postponed: 'Tạm hoãn nhiệm vụ',
  resumed: 'Tiếp tục thực hiện nhiệm vụ',
  cancelled: 'Hủy nhiệm vụ',
  plan_imported: 'Nhiệm vụ mới được giao',
};

describe.each(ALL_KINDS)('template for %s', (kind) => {
  const item = makeItem(kind);
  const actions: ActionKind[] = ACTIONS_BY_KIND[kind];

  it('in Vietnamese: greeting, plan, reference, Vietnamese date, kind words, closing, verifiable links', () => {
    const mail = render([item], 'vi');
    expect(mail.subject.startsWith(`[dondoc] ${SUBJECT_LABEL[kind]}: `)).toBe(true);
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Kính gửi: Sở Tư pháp tỉnh Đắk Lắk');
      expect(part).toContain('123/KH-UBND');
      expect(part).toContain('Trân trọng.');
      expect(part).toContain('gửi tự động');
      expect(part).toBe(part.normalize('NFC'));
    }
    expect(mail.text).toMatch(KIND_WORDS[kind].vi);
    expect(mail.text).toContain('Nhiệm vụ: 1.1. Tổ chức hội nghị');
    const due = kind === 'extension_decision' ? 'ngày 31 tháng 10 năm 2019' : 'ngày 30 tháng 9 năm 2019';
    // Said once: in the opening sentence when it names the date (due today, an extension's decision), else as a row.
    if (kind === 'due_today' || kind === 'extension_decision') expect(mail.text).not.toContain('Thời hạn:');
    else expect(mail.text).toContain(`Thời hạn: ${due}`);
    expect(mail.text).toContain(due);
    const tokens = linksIn(mail.text);
    expect(tokens).toHaveLength(actions.length);
    expect(new Set(linksIn(mail.html))).toEqual(new Set(tokens));
    tokens.forEach((token, i) => {
      const verified = signer.verify(token, NOW);
      expect(verified).toMatchObject({
        ok: true,
        payload: { k: actions[i], w: item.task.workflowId, a: 'so-tu-phap', p: 'dak-lak-2019', c: 1 },
      });
      expect(mail.text).toContain(`- ${ACTION_LABELS.vi[actions[i]!]}: ${PUBLIC}/a/${token}`);
    });
  });

  it('in English: greeting, plan, reference, date, kind words, closing, links', () => {
    const mail = render([item], 'en');
    expect(mail.subject.startsWith('[dondoc] ')).toBe(true);
    expect(mail.subject).not.toContain(SUBJECT_LABEL[kind]);
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('To: Sở Tư pháp tỉnh Đắk Lắk');
      expect(part).toContain('123/KH-UBND');
      expect(part).toContain('Kind regards.');
      expect(part).not.toContain('Kính gửi');
    }
    expect(mail.text).toMatch(KIND_WORDS[kind].en);
    expect(mail.text).toContain('Task: 1.1. Tổ chức hội nghị');
    const tokens = linksIn(mail.text);
    expect(tokens).toHaveLength(actions.length);
    for (const t of tokens) expect(signer.verify(t, NOW).ok).toBe(true);
  });
});

describe('subjects', () => {
  it('single item: label, reference, title trimmed to about 60 characters, short Vietnamese date', () => {
    const { subject } = render([makeItem('reminder')], 'vi');
    expect(subject).toMatch(/^\[dondoc\] Nhắc hạn: 1\.1 Tổ chức hội nghị .{10,60}… — hạn 30\/09\/2019$/u);
    const title = subject.slice('[dondoc] Nhắc hạn: 1.1 '.length, subject.indexOf(' — hạn'));
    expect([...title].length).toBeLessThanOrEqual(60);
  });

  it('extension approved shows the new deadline; rejected the old one with the reason in the body', () => {
    expect(render([makeItem('extension_decision')], 'vi').subject).toMatch(/— hạn 31\/10\/2019$/);
    const rejected = makeItem('extension_decision', {
      details: {
        approved: false,
        reason: 'Không có căn cứ',
        actor: { id: 'phong-pbgdpl', name: 'Phòng Phổ biến, giáo dục pháp luật' },
      },
    });
    const mail = render([rejected], 'vi');
    expect(mail.subject).toMatch(/^\[dondoc\] Không đồng ý gia hạn: .* — hạn 30\/09\/2019$/);
    expect(mail.text).toContain(
      'không được Phòng Phổ biến, giáo dục pháp luật chấp thuận. Lý do: Không có căn cứ. Hạn hoàn thành vẫn là ngày 30 tháng 9 năm 2019',
    );
  });

  it("a decision's remark reaches the lead: an acceptance's and an approval's, as a remark, not a reason", () => {
    const accepted = makeItem('accepted', {
      details: {
        actor: { id: 'phong-pbgdpl', name: 'Phòng Phổ biến, giáo dục pháp luật' },
        reason: 'Kết quả đạt yêu cầu, tuy báo cáo muộn',
      },
    });
    expect(render([accepted], 'vi').text).toContain(
      'Nhiệm vụ đã hoàn thành. Ý kiến: Kết quả đạt yêu cầu, tuy báo cáo muộn.',
    );
    expect(render([accepted], 'en').text).toContain('The task is done. Remark: Kết quả đạt yêu cầu, tuy báo cáo muộn.');
    const approved = makeItem('extension_decision');
    approved.details.reason = 'Đồng ý để kịp kinh phí';
    expect(render([approved], 'vi').text).toContain(
      'Hạn hoàn thành mới: ngày 31 tháng 10 năm 2019. Ý kiến: Đồng ý để kịp kinh phí.',
    );
    expect(render([approved], 'vi').text).not.toContain('Lý do');
  });

  it("a new task's notice promises reminders only for a deadline ahead; one past or today asks for the report now", () => {
    const on = (due: string) => makeItem('plan_imported', { task: { ...makeItem('plan_imported').task, due } });
    // The notice is for 23/09/2019 (the fixture's day).
    expect(render([on('2019-09-30')], 'vi').text).toContain('Hệ thống sẽ gửi thư nhắc trước hạn hoàn thành.');
    const today = render([on('2019-09-23')], 'vi').text;
    expect(today).toContain('Hôm nay là hạn hoàn thành');
    expect(today).not.toContain('thư nhắc trước hạn');
    const past = render([on('2019-09-10')], 'vi').text;
    expect(past).toContain(
      'Hạn hoàn thành đã qua khi kế hoạch được nhập vào hệ thống: đề nghị quý cơ quan báo cáo kết quả ngay',
    );
    expect(past).not.toContain('thư nhắc trước hạn');
    expect(render([on('2019-09-10')], 'en').text).toContain(
      'The deadline had already passed when the plan was entered',
    );
  });

  it('digest subject counts the tasks and dates the day', () => {
    expect(subjectForDigest('2026-11-22', 10, 'vi')).toBe('[dondoc] Tổng hợp ngày 22/11/2026: 10 nhiệm vụ cần xử lý');
    expect(subjectForDigest('2026-11-22', 3, 'en')).toBe('[dondoc] Daily summary 22/11/2026: 3 tasks to handle');
    expect(subjectForDigest('2026-11-22', 1, 'en')).toBe('[dondoc] Daily summary 22/11/2026: 1 task to handle');
  });

  it('three notices about one task and one about another make a digest of 2 tasks, not 4', () => {
    const one = makeItem('overdue', { n: 1 });
    const items = [
      one,
      { ...makeItem('escalation', { n: 1 }), key: `${one.key}|esc` },
      { ...makeItem('confirmation_received', { n: 1 }), key: `${one.key}|conf` },
      makeItem('reminder', { n: 2 }),
    ];
    for (const i of items.slice(0, 3)) expect(i.task.workflowId).toBe(one.task.workflowId);
    const mail = render(items, 'vi');
    expect(mail.subject).toBe('[dondoc] Tổng hợp ngày 23/09/2019: 2 nhiệm vụ cần xử lý');
    expect(mail.text).toContain('tổng hợp 2 nhiệm vụ');
    expect(render(items, 'en').subject).toBe('[dondoc] Daily summary 23/09/2019: 2 tasks to handle');
  });

  it('trimTitle keeps short titles and cuts long ones on a word', () => {
    expect(trimTitle('  Ngắn   gọn ')).toBe('Ngắn gọn');
    const cut = trimTitle('Tổ chức hội nghị quán triệt triển khai Đề án và Kế hoạch đến cán bộ công chức');
    expect(cut.endsWith('…')).toBe(true);
    expect([...cut].length).toBeLessThanOrEqual(60);
  });
});

describe('digest', () => {
  it('lists every item, grouped by kind, with one set of links per item', () => {
    const items = [
      makeItem('reminder', { n: 1 }),
      makeItem('overdue', { n: 2 }),
      makeItem('reminder', { n: 3 }),
      makeItem('submitted', { n: 4 }),
    ];
    const mail = render(items, 'vi');
    expect(mail.subject).toBe('[dondoc] Tổng hợp ngày 23/09/2019: 4 nhiệm vụ cần xử lý');
    expect(mail.text).toContain('tổng hợp 4 nhiệm vụ');
    for (const ref of ['1.1', '1.2', '1.3', '1.4']) expect(mail.text).toContain(`Nhiệm vụ: ${ref}.`);
    // overdue comes before reminders; reminders are grouped together
    const overdueAt = mail.text.indexOf('Nhiệm vụ quá hạn (1)');
    const remindAt = mail.text.indexOf('Nhiệm vụ sắp đến hạn (2)');
    expect(overdueAt).toBeGreaterThan(-1);
    expect(remindAt).toBeGreaterThan(overdueAt);
    expect(linksIn(mail.text)).toHaveLength(2 + 2 + 2 + 2);
  });

  it('escalations to leadership are grouped by agency with counts, most overdue first', () => {
    const esc = (n: number, agency: string, days: number): NotificationRequest => {
      const base = makeItem('escalation', { n });
      return {
        ...base,
        task: { ...base.task, lead: { id: agency, name: `UBND huyện ${agency}` } },
        details: { ...base.details, daysOverdue: days, level: 3 },
      };
    };
    const items = [esc(1, 'A', 3), esc(2, 'B', 40), esc(3, 'A', 12), esc(4, 'C', 5), esc(5, 'B', 1)];
    const mail = render(items, 'vi');
    const bAt = mail.text.indexOf('UBND huyện B: 2 nhiệm vụ quá hạn');
    const aAt = mail.text.indexOf('UBND huyện A: 2 nhiệm vụ quá hạn');
    const cAt = mail.text.indexOf('UBND huyện C: 1 nhiệm vụ quá hạn');
    expect(bAt).toBeGreaterThan(-1);
    expect(aAt).toBeGreaterThan(bAt);
    expect(cAt).toBeGreaterThan(aAt);
    // inside agency A, 12 days overdue comes before 3
    expect(mail.text.indexOf('Nhiệm vụ: 1.3.')).toBeLessThan(mail.text.indexOf('Nhiệm vụ: 1.1.'));
    expect(mail.html.indexOf('UBND huyện B: 2')).toBeLessThan(mail.html.indexOf('UBND huyện A: 2'));
  });
});

describe('HTML safety and dates', () => {
  it('escapes everything that comes from plans and people', () => {
    const item = makeItem('returned', {
      details: { reason: '<script>alert("x")</script> & "trích dẫn"', actions: ['submit'] },
    });
    item.task.title = 'Hội nghị <b>đặc biệt</b> & tổng kết';
    const { html, text } = render([item], 'vi');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>đặc biệt</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;trích dẫn&quot;');
    expect(html).toContain('Hội nghị &lt;b&gt;đặc biệt&lt;/b&gt; &amp; tổng kết');
    expect(text).toContain('<script>alert("x")</script>');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('HTML is phone-friendly: viewport meta and a narrow inline-styled column', () => {
    const { html } = render([makeItem('reminder')], 'vi');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('max-width:640px');
    expect(html).toContain('lang="vi"');
  });

  it('formats Vietnamese dates', () => {
    expect(formatLongDate('2019-09-30', 'vi')).toBe('ngày 30 tháng 9 năm 2019');
    expect(formatLongDate('2026-01-05', 'vi')).toBe('ngày 5 tháng 1 năm 2026');
    expect(formatLongDate('2026-01-05', 'en')).toBe('5 January 2026');
    expect(formatShortDate('2026-11-02')).toBe('02/11/2026');
    expect(() => formatShortDate('2/11/2026')).toThrow(/YYYY-MM-DD/);
  });

  it('refuses to render an empty email', () => {
    expect(() => render([], 'vi')).toThrow(/ít nhất một mục/);
  });
});
