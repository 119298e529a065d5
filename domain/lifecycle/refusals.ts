/**
 * The one place where a refusal's code becomes an HTTP status (web, API) and a CLI exit code. Every door reads
 * it; none decides on its own.
 */
import type { RefusalCode } from './inputs';

export interface RefusalOutcome {
  http: number;
  /** CLI exit code: 0 done · 2 bad input · 3 refused by the task. */
  exit: number;
  title: { vi: string; en: string };
}

export const REFUSAL_OUTCOMES: Readonly<Record<RefusalCode, RefusalOutcome>> = {
  not_allowed: { http: 403, exit: 3, title: { vi: 'Không có quyền thực hiện', en: 'Not allowed' } },
  wrong_state: {
    http: 409,
    exit: 3,
    title: { vi: 'Trạng thái nhiệm vụ không cho phép', en: 'Not possible in this state' },
  },
  stale_link: { http: 410, exit: 3, title: { vi: 'Liên kết của kỳ trước', en: 'Link of an earlier cycle' } },
  invalid_input: { http: 400, exit: 2, title: { vi: 'Thông tin chưa hợp lệ', en: 'Invalid input' } },
  // Not an error for the person: the action they asked for has been done (once).
  already_done: { http: 200, exit: 0, title: { vi: 'Thao tác đã được thực hiện trước đó', en: 'Already done' } },
};
