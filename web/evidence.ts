/**
 * Evidence files at the web door: the multipart form of a completion report (parsed here: a few text fields and at
 * most a handful of files, no dependency needed), storing the files before the report goes to the workflow, and
 * serving a stored file only to a party of the task: through that party's own signed link, or on the board to the
 * party's signed-in agency.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkEvidence, EvidenceRejectedError, MAX_EVIDENCE_BYTES } from '../domain/evidence';
import type { EvidenceFile } from '../domain/lifecycle/inputs';
import type { TaskSnapshot } from '../domain/types';
import type { LinkPayload } from '../security/links';
import type { EvidenceStore } from '../storage/evidence-store';
import { html, type SafeHtml } from './html';
import type { LabelLanguage } from '../reports/labels';

/** The form field of the files. */
export const EVIDENCE_FIELD = 'evidenceFiles';
/** At most this many files per report (the registry's limit too). */
export const MAX_UPLOADS = 5;

/** Where a parsed multipart body keeps its files (not a form field name, so no form can set it). */
export const UPLOADS = Symbol('evidence uploads');

export interface Upload {
  filename: string;
  bytes: Buffer;
}

/** A form the door refuses, with the HTTP status and the words for the person. */
export class UploadError extends Error {
  override readonly name = 'UploadError';
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

function headerParam(header: string, param: string): string | undefined {
  const star = new RegExp(`${param}\\*=(?:UTF-8|utf-8)''([^;]+)`).exec(header);
  if (star?.[1]) return decodeURIComponent(star[1]);
  const m =
    new RegExp(`${param}="((?:[^"\\\\]|\\\\.)*)"`).exec(header) ?? new RegExp(`${param}=([^;\\s]+)`).exec(header);
  return m?.[1];
}

/**
 * Reads a `multipart/form-data` body: text fields (UTF-8) and files (the parts with a filename; empty file inputs
 * are dropped). Throws {@link UploadError} for a body that is not what it says.
 */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string>; files: Upload[] } {
  const boundary = headerParam(contentType, 'boundary');
  if (!boundary) throw new UploadError(400, 'Biểu mẫu gửi lên thiếu ranh giới (boundary) của multipart.');
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  const files: Upload[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new UploadError(400, 'Biểu mẫu gửi lên không đúng dạng multipart.');
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString('latin1') === '--') break;
    const next = body.indexOf(delimiter, at);
    if (next < 0) throw new UploadError(400, 'Biểu mẫu gửi lên bị cắt giữa chừng.');
    // A part: CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(at + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw new UploadError(400, 'Biểu mẫu gửi lên có phần thiếu tiêu đề.');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = headerParam(disposition, 'name');
    const filename = headerParam(disposition, 'filename');
    if (name !== undefined) {
      if (filename !== undefined) {
        if (content.length > 0 || filename !== '') files.push({ filename, bytes: Buffer.from(content) });
      } else fields[name] = content.toString('utf8');
    }
    at = next;
  }
  return { fields, files };
}

/** The files a parsed form carried (none for a urlencoded or JSON body). */
export function uploadsOf(body: unknown): Upload[] {
  if (typeof body !== 'object' || body === null) return [];
  const files = (body as { [UPLOADS]?: Upload[] })[UPLOADS];
  return Array.isArray(files) ? files : [];
}

/** Registers the multipart parser of the report form (limit: the files' limit plus room for the text). */
export function registerMultipart(app: FastifyInstance): void {
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOADS * MAX_EVIDENCE_BYTES + 1024 * 1024 },
    (req, body, done) => {
      try {
        const { fields, files } = parseMultipart(body as Buffer, String(req.headers['content-type'] ?? ''));
        done(null, Object.assign(fields, { [UPLOADS]: files }));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );
}

/**
 * Stores the uploaded files of a report and returns their references. Checks all of them first (type by content,
 * size, count), so a refused file stores nothing. Throws {@link UploadError} (400 or 413) naming the file.
 */
export async function storeUploads(store: EvidenceStore, uploads: Upload[]): Promise<EvidenceFile[]> {
  if (uploads.length > MAX_UPLOADS)
    throw new UploadError(
      400,
      `Chỉ gửi được tối đa ${MAX_UPLOADS} tệp minh chứng một lần (đã chọn ${uploads.length}).`,
    );
  for (const u of uploads) {
    try {
      checkEvidence(u.filename, u.bytes);
    } catch (err) {
      if (err instanceof EvidenceRejectedError)
        throw new UploadError(u.bytes.length > MAX_EVIDENCE_BYTES ? 413 : 400, err.message);
      throw err;
    }
  }
  const refs: EvidenceFile[] = [];
  for (const u of uploads) refs.push(await store.put(u.filename, u.bytes));
  return refs;
}

/** The file input of the report form. */
export function evidenceInput(lang: LabelLanguage): SafeHtml {
  const label =
    lang === 'vi'
      ? `Tệp minh chứng (PDF, DOCX, ảnh PNG/JPEG; tối đa ${MAX_UPLOADS} tệp, mỗi tệp ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB)`
      : `Evidence files (PDF, DOCX, PNG/JPEG image; up to ${MAX_UPLOADS} files of ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB)`;
  return html`<label for="${EVIDENCE_FIELD}">${label}</label><input id="${EVIDENCE_FIELD}" name="${EVIDENCE_FIELD}" type="file" multiple accept=".pdf,.docx,.png,.jpg,.jpeg,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,image/png,image/jpeg">`;
}

/** Whether the link's agency is a party of the task: its lead, a coordinator or its monitoring agency. */
export function isParty(s: TaskSnapshot, agencyId: string): boolean {
  return [s.lead.id, s.monitoring.id, ...s.coordinators.map((c) => c.id)].includes(agencyId);
}

/** The evidence files a task shows: the current report's. */
export function evidenceOf(s: TaskSnapshot): EvidenceFile[] {
  return s.submission?.evidenceFiles ?? [];
}

/** Sends a stored evidence file as a download that the browser will not sniff or cache. */
function sendStored(reply: FastifyReply, ref: EvidenceFile, stored: { type: string; bytes: Buffer }): FastifyReply {
  return reply
    .type(stored.type)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'private, no-store')
    .header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(ref.name)}`)
    .send(stored.bytes);
}

/** The board address of an evidence file of a task's current report, by its name (what emails know of it). */
export function boardEvidencePath(workflowId: string, fileName: string): string {
  return `/tasks/${encodeURIComponent(workflowId)}/evidence/${encodeURIComponent(fileName)}`;
}

/**
 * `GET /tasks/:workflowId/evidence/:name`: a file of the task's current report, on the board, to a signed-in agency
 * that is a party of the task (the emails link here: they know the file's name, not its id). Anyone else, the
 * operator included, gets the same 404 as for "no such file"; a visitor not signed in is sent to sign in.
 */
export function registerBoardEvidenceRoute(
  app: FastifyInstance,
  deps: {
    store: EvidenceStore;
    /** Who asks: a signed-in agency, a visitor not signed in, or someone else (the operator). */
    viewerOf: (req: FastifyRequest) => Promise<{ kind: 'agency'; agencyId: string } | { kind: 'anonymous' | 'other' }>;
    snapshot: (workflowId: string) => Promise<TaskSnapshot>;
  },
): void {
  app.get<{ Params: { workflowId: string; name: string } }>('/tasks/:workflowId/evidence/:name', async (req, reply) => {
    const v = await deps.viewerOf(req);
    if (v.kind === 'anonymous') return reply.redirect('/login', 303);
    const agencyId = v.kind === 'agency' ? v.agencyId : undefined;
    const s = await deps.snapshot(req.params.workflowId);
    const ref = evidenceOf(s).find((f) => f.name === req.params.name.normalize('NFC'));
    const stored = ref && agencyId !== undefined && isParty(s, agencyId) ? await deps.store.get(ref.id) : undefined;
    if (!ref || !stored)
      throw new UploadError(
        404,
        'Không có tệp minh chứng này trong báo cáo hiện tại của nhiệm vụ, hoặc cơ quan đăng nhập không phải là bên liên quan của nhiệm vụ.',
      );
    return sendStored(reply, ref, stored);
  });
}

/**
 * `GET /a/:token/evidence/:fileId`: a file of the task's report, to the party the link was made for. Refused (404,
 * the same answer for "no such file" and "not yours") unless the link verifies, its agency is a party of the task
 * and the file belongs to the task's report.
 */
export function registerEvidenceRoute(
  app: FastifyInstance,
  deps: {
    store: EvidenceStore;
    verify: (req: FastifyRequest, token: string) => Promise<LinkPayload>;
    snapshot: (workflowId: string) => Promise<TaskSnapshot>;
  },
): void {
  app.get<{ Params: { token: string; fileId: string } }>('/a/:token/evidence/:fileId', async (req, reply) => {
    const payload = await deps.verify(req, req.params.token);
    const s = await deps.snapshot(payload.w);
    const ref = evidenceOf(s).find((f) => f.id === req.params.fileId);
    const stored = ref && isParty(s, payload.a) ? await deps.store.get(ref.id) : undefined;
    if (!ref || !stored) throw new UploadError(404, 'Không có tệp minh chứng này, hoặc liên kết không cho xem tệp.');
    return sendStored(reply, ref, stored);
  });
}
