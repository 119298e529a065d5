/**
 * What people read in every email: each notification kind, alone and in a digest, in Vietnamese and English, with
 * its optional facts present and absent, is checked for the faults officers saw in real mail: doubled punctuation,
 * empty placeholders, `undefined`/`NaN`, text not in NFC, links the footer speaks of but the mail does not carry.
 */
import { PLAN_WITHDRAWN_REASON_PREFIX } from '../../domain/labels';
import type { NotificationKind, NotificationRequest } from '../../domain/types';
import type { Language } from '../../mail/templates/kinds';
import { asSentence } from '../../mail/templates/kinds';
import { renderEmail } from '../../mail/templates/render';
import { renderSignInEmail } from '../../mail/templates/signin';
import { ACTIONS_BY_KIND, makeItem } from './fixtures';

const PUBLIC = 'https://dondoc.example.gov.vn';
const EVERY_KIND = Object.keys(ACTIONS_BY_KIND) as NotificationKind[];
const LANGUAGES: Language[] = ['vi', 'en'];

function render(items: NotificationRequest[], language: Language, publicUrl: string | undefined = PUBLIC) {
  return renderEmail({
    language,
    agencyName: 'Sở Tư pháp tỉnh Đắk Lắk',
    localDate: '2019-09-23',
    items,
    actionUrl: (item, action) => `${PUBLIC}/a/${action}-${item.task.cycle}`,
    linksValidUntil: '2019-10-07',
    ...(publicUrl ? { publicUrl } : {}),
  });
}

/** The same kind with every optional fact filled in, written the way people write them (a final full stop). */
function withEverything(kind: NotificationKind, n: number): NotificationRequest {
  const item = makeItem(kind, { n });
  return {
    ...item,
    details: {
      ...item.details,
      reason: 'Chưa có văn bản của Bộ Tư pháp.',
      submission: {
        summary: 'Đã tổ chức 02 hội nghị cho 180 hòa giải viên.',
        documentNumber: '45/BC-STP',
        documentDate: '2019-09-20',
        evidenceUrl: 'https://vanban.example.gov.vn/45',
        evidenceFileNames: ['bao-cao-45.pdf'],
        at: '2019-09-20T03:00:00.000Z',
        by: item.task.lead,
      },
      confirmations: [
        { agency: { id: 'mttq', name: 'Ủy ban MTTQ Việt Nam tỉnh Đắk Lắk' }, verdict: 'confirmed' },
        { agency: { id: 'hoi-lhpn', name: 'Hội LHPN tỉnh' }, verdict: 'disputed', note: 'Thiếu danh sách học viên.' },
      ],
    },
  };
}

/** The same kind with nothing optional: no reason, no plan number, no deadline, no actor, no counts. */
function withNothing(kind: NotificationKind, n: number): NotificationRequest {
  const item = makeItem(kind, { n });
  return {
    ...item,
    task: { ...item.task, planNumber: '', due: null },
    details: { actions: item.details.actions ?? [] },
  };
}

const VARIANTS: [string, (kind: NotificationKind, n: number) => NotificationRequest][] = [
  ['as the fixtures have it', (kind, n) => makeItem(kind, { n })],
  ['with every optional fact', withEverything],
  ['with no optional fact', withNothing],
];

/** Every fault a sentence must not have, with the text around it so a failure says where. */
function wordingFaults(text: string): string[] {
  const faults: string[] = [];
  const around = (i: number): string => JSON.stringify(text.slice(Math.max(0, i - 40), i + 40));
  const check = (re: RegExp, what: string): void => {
    for (const m of text.matchAll(re)) faults.push(`${what} at ${around(m.index ?? 0)}`);
  };
  // Two full stops in a row (not "…"), and doubled or misplaced punctuation.
  check(/(?<!\.)\.\.(?!\.)/g, 'doubled full stop');
  check(/[,;:]\s*[.,;:]/g, 'doubled punctuation');
  check(/ [.,;:](?=\s|$)/g, 'space before punctuation');
  check(/\.\s*\./g, 'full stop after full stop');
  // Placeholders left empty or filled with nothing.
  check(/\b(undefined|null|NaN|\[object Object\])\b/g, 'a value that was never there');
  check(/\(\s*\)|“\s*”|"\s*"/g, 'an empty bracket or quote');
  check(/^[ \t-]*[^:\n]{1,40}: *$/gm, 'a label with no value');
  check(/(?<=\S)[^\S\n]{2,}(?=\S)/g, 'doubled space');
  if (text !== text.normalize('NFC')) faults.push('text not in NFC');
  return faults;
}

/** The text of the HTML part as a reader sees it: tags dropped, entities read. */
function htmlText(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}

describe.each(LANGUAGES)('every template in %s', (language) => {
  describe.each(VARIANTS)('%s', (_name, make) => {
    test.each(EVERY_KIND)('%s, alone and in a digest, reads cleanly', (kind) => {
      const alone = render([make(kind, 1)], language);
      const digest = render([make(kind, 1), make(kind, 2), make('reminder', 3)], language);
      for (const mail of [alone, digest]) {
        expect(wordingFaults(mail.subject)).toEqual([]);
        expect(wordingFaults(mail.text)).toEqual([]);
        expect(wordingFaults(htmlText(mail.html))).toEqual([]);
        for (const part of [mail.subject, mail.text, mail.html]) expect(part).toBe(part.normalize('NFC'));
        if (language === 'en') expect(mail.text).not.toMatch(/Kính gửi|Trân trọng|nhiệm vụ cần xử lý/);
        else expect(mail.text).not.toMatch(/Kind regards|Reason:|Deadline:/);
      }
    });
  });
});

describe.each(LANGUAGES)('a reason is said once (%s)', (language) => {
  // The dispute and return emails said "Lý do: …" in their opening sentence and again as a fact row.
  test.each(EVERY_KIND)('%s', (kind) => {
    const mail = render([withEverything(kind, 1)], language);
    const reason = 'Chưa có văn bản của Bộ Tư pháp.';
    expect(mail.text.split(reason).length - 1).toBeLessThanOrEqual(1);
    expect(htmlText(mail.html).split(reason).length - 1).toBeLessThanOrEqual(1);
  });
});

describe('the fault finder finds the faults it looks for', () => {
  test.each([
    'Lý do: thiếu hồ sơ..',
    'quá hạn undefined ngày',
    'quá hạn NaN ngày',
    'Kế hoạch số  110',
    'Lý do: ',
    'hạn hoàn thành () .',
    'Lý do:, thiếu',
  ])('%j', (text) => {
    expect(wordingFaults(text).length).toBeGreaterThan(0);
  });

  test('and leaves a clean sentence, an ellipsis and a URL alone', () => {
    expect(
      wordingFaults('Kế hoạch số 110/KH-UBND… Lý do: chờ ý kiến. Xem: https://dondoc.example.gov.vn/tasks/a%3Ab'),
    ).toEqual([]);
  });
});

describe('asSentence', () => {
  test.each([
    ['Thiếu văn bản', 'Thiếu văn bản.'],
    ['Thiếu văn bản.', 'Thiếu văn bản.'],
    ['Thiếu văn bản..', 'Thiếu văn bản.'],
    ['Thiếu văn bản; ', 'Thiếu văn bản.'],
    ['Vì sao?', 'Vì sao?'],
    ['Còn chờ…', 'Còn chờ…'],
    ['  nhiều   khoảng  trắng ', 'nhiều khoảng trắng.'],
  ])('%j → %j', (given, expected) => {
    expect(asSentence(given)).toBe(expected);
  });
});

describe('working days are called working days', () => {
  test.each(LANGUAGES)('overdue and escalation counts in %s', (language) => {
    for (const kind of ['overdue', 'escalation'] as const) {
      const mail = render([makeItem(kind)], language);
      if (language === 'vi') {
        expect(mail.text).toMatch(/quá hạn 6 ngày làm việc/);
        expect(mail.text).toContain('Số ngày làm việc quá hạn: 6');
        expect(mail.text).not.toMatch(/quá hạn 6 ngày(?! làm việc)/);
      } else {
        expect(mail.text).toMatch(/overdue by 6 working days/);
        expect(mail.text).toContain('Working days overdue: 6');
      }
    }
  });
});

describe('escalations link to the task, the board and the leadership page', () => {
  test.each(LANGUAGES)('in %s, and the footer speaks only of what is there', (language) => {
    const item = makeItem('escalation');
    const mail = render([item], language);
    const q = language === 'en' ? '?lang=en' : '';
    const task = `${PUBLIC}/tasks/${encodeURIComponent(item.task.workflowId)}${q}`;
    const board = `${PUBLIC}/plans/dak-lak-2019${q}`;
    const leadership = `${PUBLIC}/leadership${q}`;
    for (const url of [task, board, leadership]) {
      expect(mail.text).toContain(url);
      expect(mail.html).toContain(`href="${url}"`);
    }
    // No action buttons in an escalation: the footer does not speak of them, and does say the pages need sign-in.
    expect(mail.text).not.toMatch(/nút thao tác|action buttons|liên kết trong thư|links are for/);
    expect(mail.text).toMatch(language === 'vi' ? /mở sau khi đăng nhập/ : /open after signing in/);
  });

  test('an email with action buttons says whose they are and until when; one without pages says nothing of pages', () => {
    const mail = render([makeItem('reminder')], 'vi');
    expect(mail.text).toContain('Các nút thao tác trong thư dành riêng cho quý cơ quan');
    expect(mail.text).toContain('có hiệu lực đến hết ngày 7 tháng 10 năm 2019');
    expect(mail.text).not.toMatch(/đăng nhập/);
  });

  test('an email with neither speaks of neither', () => {
    const mail = render([makeItem('accepted')], 'vi');
    expect(mail.text).not.toMatch(/nút thao tác|đăng nhập|liên kết/);
  });

  test('without a public URL an escalation carries no page links', () => {
    const mail = render([makeItem('escalation')], 'vi', '');
    expect(mail.text).not.toContain('/tasks/');
    expect(mail.text).not.toMatch(/đăng nhập/);
  });
});

describe('decision emails show the thing decided', () => {
  test.each(['submitted', 'confirm_request', 'disputed', 'returned'] as const)(
    '%s: the report, its document, its evidence and the coordinators so far',
    (kind) => {
      const item = withEverything(kind, 1);
      const vi = render([item], 'vi').text;
      expect(vi).toContain('Báo cáo của cơ quan chủ trì: Đã tổ chức 02 hội nghị cho 180 hòa giải viên.');
      expect(vi).toContain('Văn bản báo cáo: số 45/BC-STP ngày 20/09/2019');
      expect(vi).toContain('Minh chứng: bao-cao-45.pdf; https://vanban.example.gov.vn/45');
      expect(vi).toContain(
        'Ý kiến cơ quan phối hợp: Ủy ban MTTQ Việt Nam tỉnh Đắk Lắk: đã xác nhận; Hội LHPN tỉnh: không thống nhất (Thiếu danh sách học viên)',
      );
      const en = render([item], 'en').text;
      expect(en).toContain('Report document: No. 45/BC-STP of 20/09/2019');
      expect(en).toContain('Hội LHPN tỉnh: disputed (Thiếu danh sách học viên)');
    },
  );

  test('an extension approved at another date than requested says both', () => {
    const base = makeItem('extension_decision');
    const item = { ...base, details: { ...base.details, requestedDue: '2019-10-15' } };
    const text = render([item], 'vi').text;
    expect(text).toContain('Hạn hoàn thành mới: ngày 31 tháng 10 năm 2019');
    expect(text).toContain('Thời hạn đã đề nghị: ngày 15 tháng 10 năm 2019');
  });
});

describe('the deadline is said once in the body', () => {
  // The new-task notice said "(hạn hoàn thành: ngày 30 tháng 9 năm 2019)" in its sentence and again as a fact row;
  // the reminder, overdue and escalation emails did the same.
  const DATES: Record<Language, string[][]> = {
    vi: [
      ['ngày 30 tháng 9 năm 2019', '30/09/2019'],
      ['ngày 31 tháng 10 năm 2019', '31/10/2019'],
    ],
    en: [
      ['30 September 2019', '30/09/2019'],
      ['31 October 2019', '31/10/2019'],
    ],
  };
  const count = (text: string, needle: string): number => text.split(needle).length - 1;
  describe.each(LANGUAGES)('%s', (language) => {
    test.each(EVERY_KIND)('%s', (kind) => {
      const mail = render([makeItem(kind)], language);
      const body = [mail.text, htmlText(mail.html)];
      for (const text of body)
        for (const spellings of DATES[language]) {
          expect(spellings.map((s) => count(text, s)).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
        }
    });
  });

  test.each(LANGUAGES)('a new task notice states it as dd/mm/yyyy, in a row of its own (%s)', (language) => {
    const mail = render([makeItem('plan_imported')], language);
    expect(mail.text).toContain(language === 'vi' ? '\nHạn hoàn thành: 30/09/2019\n' : '\nDeadline: 30/09/2019\n');
    expect(mail.text).not.toMatch(/tháng 9 năm 2019|September/);
  });
});

describe('an email showing a report with evidence files links each file on the board', () => {
  test.each(['submitted', 'confirm_request', 'disputed', 'returned', 'accepted'] as const)(
    '%s, in both languages, saying that the file needs signing in',
    (kind) => {
      const item = withEverything(kind, 1);
      const url = `${PUBLIC}/tasks/${encodeURIComponent(item.task.workflowId)}/evidence/bao-cao-45.pdf`;
      const vi = render([item], 'vi');
      expect(vi.text).toContain(`- Mở tệp minh chứng bao-cao-45.pdf (cần đăng nhập hệ thống): ${url}`);
      expect(vi.html).toContain(`href="${url}"`);
      const en = render([item], 'en');
      expect(en.text).toContain(`- Open the evidence file bao-cao-45.pdf (sign-in needed): ${url}`);
      // No public URL, no link (never a link to somewhere the mail cannot name).
      expect(render([item], 'vi', '').text).not.toContain('/evidence/');
    },
  );
});

describe('overdue, each escalation level and cancellation, as the receiving officer reads them', () => {
  const escalation = (level: number, to: string, daysOverdue?: number): NotificationRequest => {
    const item = makeItem('escalation');
    return {
      ...item,
      recipient: { agencyId: to, role: to === item.task.lead.id ? 'head' : 'focal' },
      details: { level, actions: [], ...(daysOverdue !== undefined ? { daysOverdue } : {}) },
    };
  };
  const withdrawn = (): NotificationRequest => ({
    ...makeItem('cancelled'),
    details: { reason: `${PLAN_WITHDRAWN_REASON_PREFIX}Nhập nhầm bản dự thảo.` },
  });
  const removed = (): NotificationRequest => ({
    ...makeItem('cancelled'),
    details: { reason: 'Nhiệm vụ đã bỏ khỏi kế hoạch' },
  });
  const CASES: [string, () => NotificationRequest][] = [
    ['overdue', () => makeItem('overdue')],
    ['escalation level 0 (coordinators)', () => escalation(0, 'van-phong-ubnd-tinh')],
    ['escalation level 1 (the lead’s head)', () => escalation(1, 'so-tu-phap', 3)],
    ['escalation level 2 (monitoring)', () => escalation(2, 'van-phong-ubnd-tinh', 7)],
    ['escalation level 3 (authority)', () => escalation(3, 'ubnd-tinh', 14)],
    ['cancelled: plan withdrawn', withdrawn],
    ['cancelled: task removed', removed],
  ];

  describe.each(LANGUAGES)('%s', (language) => {
    test.each(CASES)('%s reads cleanly, alone and in a digest', (_name, make) => {
      for (const mail of [render([make()], language), render([make(), makeItem('reminder', { n: 2 })], language)]) {
        expect(wordingFaults(mail.subject)).toEqual([]);
        expect(wordingFaults(mail.text)).toEqual([]);
        expect(wordingFaults(htmlText(mail.html))).toEqual([]);
      }
    });
  });

  test('the coordinators’ escalation (level 0) says what is late, not "cấp 0" of an overdue task', () => {
    const vi = render([escalation(0, 'van-phong-ubnd-tinh')], 'vi');
    expect(vi.subject).toMatch(/^\[dondoc\] Cơ quan phối hợp chậm xác nhận: 1\.1 /);
    expect(vi.text).toContain(
      'Sở Tư pháp tỉnh Đắk Lắk đã báo cáo hoàn thành nhiệm vụ sau nhưng cơ quan phối hợp chưa xác nhận phần việc của mình.',
    );
    expect(vi.text).not.toMatch(/cấp 0|quá hạn/);
    const en = render([escalation(0, 'van-phong-ubnd-tinh')], 'en');
    expect(en.subject).toMatch(/^\[dondoc\] Coordinators late to confirm: /);
    expect(en.text).not.toMatch(/level 0|overdue/);
  });

  test('level 1 speaks to the lead of its own task, and links no page it cannot open', () => {
    const mail = render([escalation(1, 'so-tu-phap', 3)], 'vi');
    expect(mail.subject).toMatch(/Báo cáo nhiệm vụ quá hạn – cấp 1: /);
    expect(mail.text).toContain('Nhiệm vụ sau do quý cơ quan chủ trì đã quá hạn 3 ngày làm việc và chưa hoàn thành.');
    expect(mail.text).toContain('/tasks/');
    expect(mail.text).not.toContain('/leadership');
    const higher = render([escalation(3, 'ubnd-tinh', 14)], 'vi');
    expect(higher.text).toContain('do Sở Tư pháp tỉnh Đắk Lắk chủ trì đã quá hạn 14 ngày làm việc');
    expect(higher.text).toContain('/leadership');
  });

  test.each(LANGUAGES)('a withdrawn plan’s cancellation says the plan was withdrawn, and why (%s)', (language) => {
    const mail = render([withdrawn()], language);
    if (language === 'vi') {
      expect(mail.text).toContain(
        'Kế hoạch số 123/KH-UBND đã được rút, nên nhiệm vụ sau được hủy; quý cơ quan không phải thực hiện và báo cáo nhiệm vụ này. Lý do rút kế hoạch: Nhập nhầm bản dự thảo.',
      );
      expect(mail.text).not.toMatch(/điều chỉnh kế hoạch|Kế hoạch bị rút:|Lý do: /);
    } else {
      expect(mail.text).toContain('Plan 123/KH-UBND was withdrawn, so the task below is cancelled');
      expect(mail.text).toContain('Reason for the withdrawal: Nhập nhầm bản dự thảo.');
    }
    // A cancelled task keeps no deadline: none in the subject, none in the body.
    expect(mail.subject).not.toMatch(/hạn|due/);
    expect(mail.text).not.toMatch(/Thời hạn|Deadline/);
    expect(render([removed()], 'vi').text).toContain('đã được hủy theo điều chỉnh kế hoạch');
  });
});

describe.each(LANGUAGES)('the sign-in email reads cleanly too (%s)', (language) => {
  test('subject, text and HTML', () => {
    const mail = renderSignInEmail({
      language,
      email: 'vanthu@stp.example.gov.vn',
      links: [{ agencyName: 'Sở Tư pháp tỉnh Đắk Lắk', url: `${PUBLIC}/signin/abc.def` }],
      minutes: 15,
    });
    expect(mail.subject.startsWith('[dondoc] ')).toBe(true);
    for (const part of [mail.subject, mail.text, htmlText(mail.html)]) expect(wordingFaults(part)).toEqual([]);
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).toBe(part.normalize('NFC'));
    if (language === 'en') expect(mail.text).not.toMatch(/Kính gửi|Trân trọng/);
  });
});
