/**
 * The parts of the periodic report that make it a document one can send (Decree 30/2020/NĐ-CP): the issuing body,
 * the document code, the place on the date line, the signer and "Nơi nhận". They come from the plan (its issuer and
 * reporting duty), from the agency directory, or from the officer; what none of them gives is listed as missing so
 * the CLI or the web can ask for it before the file is made. Pure.
 */
import type { Agency, DirectoryFile, PlanFile, ReportingDuty } from '../plans/schema';
import type { ReportPlan } from './compile';
import { formatDateShortVi } from './labels';

/** The signature block: authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), the title, the name. */
export interface ReportSigner {
  authority: string[];
  title: string;
  name?: string;
}

export interface ReportHeading {
  /** "Tên cơ quan, tổ chức chủ quản trực tiếp", printed above the issuing body when the directory names it. */
  governingBody?: string;
  /** The issuing body as its documents write it ("Ủy ban nhân dân phường Vũ Ninh"). */
  issuingBody: string;
  /** The issuing body as sentences name it ("UBND phường Vũ Ninh"). */
  issuingBodyName: string;
  /** The part after the number: "BC-UBND" in "Số: …/BC-UBND". */
  documentCode: string;
  /** "Địa danh" of the date line ("Vũ Ninh, ngày …"); absent only when nothing gives it (then listed as missing). */
  place?: string;
  signer: ReportSigner;
  /** "Nơi nhận" lines, without the leading dash and the final punctuation; the archive line last. */
  recipients: string[];
}

/** What the officer gives when the plan and the directory do not (CLI flags, web form). All optional. */
export interface ReportOfficerInputs {
  /** Which reporting duty of the plan the report answers (its `id`); the plan's first duty by default. */
  dutyId?: string;
  /** "BC-UBND" or "UBND". */
  documentCode?: string;
  place?: string;
  signerTitle?: string;
  signerAuthority?: string[];
  signerName?: string;
  recipients?: string[];
  /** Section "Đánh giá chung" written by the officer; left out when absent. */
  assessment?: string;
  /** Section "Kiến nghị, đề xuất" written by the officer; left out when absent. */
  proposals?: string;
}

/** A part of the heading that neither the plan, the directory nor the officer gave. */
export type MissingReportField = 'documentCode' | 'place' | 'signerTitle' | 'recipients';

export interface ResolvedHeading {
  heading: ReportHeading;
  /** Empty when the document is complete. When not, `heading` holds stand-ins the file should not be sent with. */
  missing: MissingReportField[];
  duty?: ReportingDuty;
}

/** An officer input that cannot be used, naming the field. */
export class ReportInputError extends Error {
  override readonly name = 'ReportInputError';
  constructor(
    readonly field: keyof ReportOfficerInputs,
    message: string,
  ) {
    super(message);
  }
}

/** The words people type for each missing field, and the CLI flag that gives it. */
export const MISSING_FIELD_PROMPTS: Record<MissingReportField, { question: string; flag: string; planField: string }> =
  {
    documentCode: {
      question: 'Ký hiệu văn bản (ví dụ BC-UBND)',
      flag: '--code',
      planField: 'danh bạ: agencies[].abbreviation của cơ quan ban hành',
    },
    place: {
      question: 'Địa danh ghi trên văn bản (ví dụ Đắk Lắk)',
      flag: '--place',
      planField: 'kế hoạch: place, hoặc danh bạ: agencies[].place',
    },
    signerTitle: {
      question: 'Chức vụ người ký (ví dụ CHỦ TỊCH, GIÁM ĐỐC)',
      flag: '--signer-title',
      planField: 'kế hoạch: reportingDuties[].signer.title',
    },
    recipients: {
      question: 'Nơi nhận (ngăn cách bằng dấu ;)',
      flag: '--recipient',
      planField: 'kế hoạch: reportingDuties[].to hoặc reportingDuties[].recipients',
    },
  };

const nfc = (s: string): string => s.normalize('NFC').trim();

/** Words that start the place part of an agency name, longest first. */
const PLACE_MARKERS = ['thành phố', 'thị xã', 'thị trấn', 'đặc khu', 'tỉnh', 'huyện', 'quận', 'phường', 'xã'];

/** Where the place part of a name starts: the marker's index in `words` and how many words it takes. */
function findPlaceMarker(words: string[]): { index: number; length: number } | undefined {
  for (let i = 1; i < words.length; i++) {
    for (const marker of PLACE_MARKERS) {
      const parts = marker.split(' ');
      const slice = words.slice(i, i + parts.length).map((w) => w.toLocaleLowerCase('vi'));
      if (slice.length === parts.length && slice.every((w, k) => w === parts[k]) && i + parts.length < words.length)
        return { index: i, length: parts.length };
    }
  }
  return undefined;
}

/**
 * The place an agency name points to, as the date line writes it: "UBND tỉnh Đắk Lắk" → "Đắk Lắk", "UBND phường
 * Vũ Ninh" → "Vũ Ninh", "Sở Tư pháp tỉnh Thanh Hóa" → "Thanh Hóa"; a unit named by a number keeps its kind
 * ("UBND phường 1" → "Phường 1"). Undefined when the name names no place.
 */
export function derivePlace(agencyName: string): string | undefined {
  const words = nfc(agencyName)
    .replace(/\s*[(,].*$/, '')
    .split(/\s+/)
    .filter(Boolean);
  const m = findPlaceMarker(words);
  if (!m) return undefined;
  const rest = words.slice(m.index + m.length).join(' ');
  if (/^\d/.test(rest)) {
    const marker = words.slice(m.index, m.index + m.length).join(' ');
    return `${marker.charAt(0).toLocaleUpperCase('vi')}${marker.slice(1)} ${rest}`;
  }
  return rest;
}

const isAcronym = (w: string): boolean => w.length > 1 && w === w.toLocaleUpperCase('vi') && /\p{Lu}/u.test(w);

const FULL_NAMES: [RegExp, string][] = [
  [/^ủy ban nhân dân\b/iu, 'UBND'],
  [/^uỷ ban nhân dân\b/iu, 'UBND'],
  [/^hội đồng nhân dân\b/iu, 'HĐND'],
];

/**
 * The abbreviation of an agency's name in a document code, when the usual rule gives it without doubt: a name that
 * starts with an acronym keeps it ("UBND phường Vũ Ninh" → "UBND"), "Ủy ban nhân dân …" is "UBND", and a
 * department or ministry takes the initials of its name up to the place ("Sở Tư pháp tỉnh Đắk Lắk" → "STP",
 * "Sở Giáo dục và Đào tạo" → "SGDĐT", "Bộ Tư pháp" → "BTP"). Undefined for any other name: ask the officer.
 */
export function deriveAbbreviation(agencyName: string): string | undefined {
  const name = nfc(agencyName);
  for (const [re, abbr] of FULL_NAMES) if (re.test(name)) return abbr;
  const words = name
    .replace(/\s*\(.*$/, '')
    .split(/[\s,]+/)
    .filter(Boolean);
  const first = words[0];
  if (first === undefined) return undefined;
  if (isAcronym(first)) return first;
  if (first !== 'Sở' && first !== 'Bộ') return undefined;
  const marker = findPlaceMarker(words);
  const own = words.slice(0, marker?.index ?? words.length).filter((w) => w.toLocaleLowerCase('vi') !== 'và');
  if (own.length < 2 || own.some(isAcronym)) return undefined;
  return own.map((w) => w.charAt(0).toLocaleUpperCase('vi')).join('');
}

/** "BC-STP" for "Sở Tư pháp"; undefined when the abbreviation is not certain (see `deriveAbbreviation`). */
export function deriveDocumentCode(agencyName: string): string | undefined {
  const abbr = deriveAbbreviation(agencyName);
  return abbr === undefined ? undefined : `BC-${abbr}`;
}

/** An officer's code as the document writes it: "ubnd" → "BC-UBND", "BC-STP" stays. Throws `ReportInputError`. */
export function normaliseDocumentCode(text: string): string {
  const code = nfc(text).replace(/^\//, '').toLocaleUpperCase('vi');
  const full = code.startsWith('BC-') ? code : `BC-${code}`;
  if (!/^BC-[\p{Lu}\d][\p{Lu}\d&.-]*$/u.test(full)) {
    throw new ReportInputError(
      'documentCode',
      `Ký hiệu văn bản "${text}" không hợp lệ: chỉ gồm chữ in hoa, chữ số và dấu gạch ngang, ví dụ BC-UBND hoặc BC-STP.`,
    );
  }
  return full;
}

/** Expands the usual abbreviation that opens an agency name, for the issuing-body line ("UBND" → "Ủy ban nhân dân"). */
function officialNameOf(agency: Pick<Agency, 'name' | 'officialName'>): string {
  if (agency.officialName) return nfc(agency.officialName);
  return nfc(agency.name)
    .replace(/^UBND(?=\s)/u, 'Ủy ban nhân dân')
    .replace(/^HĐND(?=\s)/u, 'Hội đồng nhân dân');
}

function agencyOf(directory: DirectoryFile | undefined, id: string): Agency | undefined {
  return directory?.agencies.find((a) => a.id === id);
}

function nameOf(directory: DirectoryFile | undefined, id: string): string {
  return agencyOf(directory, id)?.name ?? directory?.groups.find((g) => g.id === id)?.name ?? id;
}

const ARCHIVE = /^lưu\b/iu;

/**
 * Builds the document heading of a plan's report from the plan, its directory and what the officer gives, in this
 * order of precedence: the officer, then the plan (its reporting duty, its `place`), then the directory (the issuer's
 * `abbreviation`, `place`, `officialName`, `governingBody`), then what the issuer's name says without doubt.
 *
 * - The issuing body is the plan's issuer; the code is `BC-` and its abbreviation.
 * - The reporting duty is `officer.dutyId`, else the plan's first; it gives the signer (`signer`) and "Nơi nhận"
 *   (`recipients` as written, else the agency it reports `to`); "Lưu: VT" is added when no line files a copy.
 * - What is still unknown is listed in `missing`, and `heading` holds a stand-in for it ("THỦ TRƯỞNG CƠ QUAN",
 *   the name's initials, no place) so callers that cannot ask still get a readable draft.
 * Throws `ReportInputError` for an unknown duty id or an unusable code.
 */
export function resolveReportHeading(
  plan: PlanFile,
  directory: DirectoryFile | undefined,
  officer: ReportOfficerInputs = {},
): ResolvedHeading {
  const missing: MissingReportField[] = [];
  const duties = plan.reportingDuties ?? [];
  const duty = officer.dutyId === undefined ? duties[0] : duties.find((d) => d.id === officer.dutyId);
  if (officer.dutyId !== undefined && !duty) {
    throw new ReportInputError(
      'dutyId',
      `Kế hoạch "${plan.id}" không có nhiệm vụ báo cáo "${officer.dutyId}"` +
        (duties.length
          ? ` (có: ${duties.map((d) => d.id).join(', ')}).`
          : ' (kế hoạch chưa khai báo reportingDuties).'),
    );
  }

  const issuer = agencyOf(directory, plan.issuer);
  const issuerName = issuer?.name ?? nameOf(directory, plan.issuer);

  let documentCode: string;
  if (officer.documentCode?.trim()) documentCode = normaliseDocumentCode(officer.documentCode);
  else if (issuer?.abbreviation) documentCode = normaliseDocumentCode(issuer.abbreviation);
  else {
    const derived = deriveDocumentCode(issuerName);
    if (derived) documentCode = derived;
    else {
      missing.push('documentCode');
      const initials = nfc(issuerName)
        .split(/\s+/)
        .map((w) => w.charAt(0).toLocaleUpperCase('vi'))
        .join('');
      documentCode = `BC-${initials}`;
    }
  }

  const place =
    [officer.place, plan.place, issuer?.place].map((p) => p?.trim()).find((p) => p) ?? derivePlace(issuerName);
  if (!place) missing.push('place');

  let signer: ReportSigner;
  if (officer.signerTitle?.trim()) {
    signer = {
      authority: (officer.signerAuthority ?? []).map(nfc).filter(Boolean),
      title: nfc(officer.signerTitle),
      ...(officer.signerName?.trim() ? { name: nfc(officer.signerName) } : {}),
    };
  } else if (duty?.signer) {
    const authority = duty.signer.authority;
    const name = officer.signerName?.trim() || duty.signer.name?.trim();
    signer = {
      authority: (typeof authority === 'string' ? [authority] : (authority ?? [])).map(nfc).filter(Boolean),
      title: nfc(duty.signer.title),
      ...(name ? { name: nfc(name) } : {}),
    };
  } else {
    missing.push('signerTitle');
    signer = { authority: [], title: 'THỦ TRƯỞNG CƠ QUAN' };
  }

  let recipients = (officer.recipients ?? []).map(nfc).filter(Boolean);
  if (recipients.length === 0) recipients = (duty?.recipients ?? []).map(nfc).filter(Boolean);
  if (recipients.length === 0 && duty) recipients = [nameOf(directory, duty.to)];
  if (recipients.length === 0) missing.push('recipients');
  recipients = recipients.map((r) => r.replace(/^[-–]\s*/, '').replace(/[;.,]+$/, ''));
  if (!recipients.some((r) => ARCHIVE.test(r))) recipients.push('Lưu: VT');

  const heading: ReportHeading = {
    ...(issuer?.governingBody ? { governingBody: nfc(issuer.governingBody) } : {}),
    issuingBody: issuer ? officialNameOf(issuer) : issuerName,
    issuingBodyName: issuerName,
    documentCode,
    ...(place ? { place: nfc(place) } : {}),
    signer,
    recipients,
  };
  return { heading, missing, ...(duty ? { duty } : {}) };
}

/** The plan as the report compiler sees it: names from the directory, dates and targets from the plan. */
export function reportPlanOf(plan: PlanFile, directory: DirectoryFile | undefined): ReportPlan {
  return {
    id: plan.id,
    number: plan.number,
    title: plan.title,
    ...(plan.issued ? { issued: plan.issued } : {}),
    period: { start: plan.period.start, end: plan.period.end },
    issuerName: nameOf(directory, plan.issuer),
    monitoringName: nameOf(directory, plan.monitoringAgency),
    targets: plan.targets.map((t) => ({
      id: t.id,
      title: t.title,
      op: t.op,
      value: t.value,
      ...(t.unit !== undefined ? { unit: t.unit } : {}),
    })),
  };
}

function lowerFirstWord(text: string): string {
  const first = text.split(/\s+/)[0] ?? '';
  if (first.length > 1 && isAcronym(first.replace(/[^\p{L}]/gu, ''))) return text;
  return text.charAt(0).toLocaleLowerCase('vi') + text.slice(1);
}

/**
 * How a sentence names the plan: "Kế hoạch số 110/KH-UBND ngày 05/05/2026 triển khai thực hiện Đề án …". A title
 * that already starts with "Kế hoạch" is not repeated ("Kế hoạch số 110/KH-UBND kế hoạch triển khai …" never); a
 * plan without a number or date goes without them.
 */
export function planReference(plan: Pick<ReportPlan, 'number' | 'title' | 'issued'>): string {
  const title = nfc(plan.title).replace(/[.;]+$/, '');
  const m = /^kế\s+hoạch\b[\s:,-]*/iu.exec(title);
  const rest = m ? title.slice(m[0].length) : lowerFirstWord(title);
  const parts = ['Kế hoạch'];
  if (plan.number.trim()) parts.push(`số ${plan.number.trim()}`);
  if (plan.issued) parts.push(`ngày ${formatDateShortVi(plan.issued)}`);
  if (rest) parts.push(rest);
  return parts.join(' ');
}
