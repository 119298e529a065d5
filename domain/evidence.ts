/**
 * Evidence files: which kinds are accepted and how a file's kind is told — by its content, never by its name or the
 * type the browser claims. PDF (`%PDF-`), DOCX (a ZIP whose entries include `word/document.xml` and
 * `[Content_Types].xml`), PNG and JPEG, each at most {@link MAX_EVIDENCE_BYTES}. Pure: bytes in, verdict out.
 */

/** The largest evidence file accepted: a scanned, signed report of a few dozen pages. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export type EvidenceType =
  | 'application/pdf'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  | 'image/png'
  | 'image/jpeg';

const EXTENSIONS: Record<EvidenceType, string> = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'image/png': '.png',
  'image/jpeg': '.jpg',
};

const startsWith = (bytes: Uint8Array, magic: number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

/** Whether a ZIP's bytes name an entry (entry names are stored uncompressed in the local and central headers). */
function zipHasEntry(bytes: Uint8Array, name: string): boolean {
  const needle = Array.from(name, (c) => c.charCodeAt(0));
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let k = 0; k < needle.length; k++) if (bytes[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

/** The kind of a file from its first bytes (and, for a ZIP, its entry names); undefined for anything else. */
export function sniffEvidenceType(bytes: Uint8Array): EvidenceType | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && zipHasEntry(bytes, 'word/document.xml'))
    return zipHasEntry(bytes, '[Content_Types].xml')
      ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
      : undefined;
  return undefined;
}

/** A file that cannot be evidence, with the reason in words for the person who sent it. */
export class EvidenceRejectedError extends Error {
  override readonly name = 'EvidenceRejectedError';
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks one uploaded file: not empty, not larger than the limit, and a PDF, DOCX, PNG or JPEG by its content.
 * Returns the type and a clean name (path parts, control characters dropped; the right extension for its type).
 * Throws {@link EvidenceRejectedError} naming the file.
 */
export function checkEvidence(name: string, bytes: Uint8Array): { type: EvidenceType; name: string } {
  const shown = cleanFileName(name) || 'tệp không tên';
  if (bytes.length === 0) throw new EvidenceRejectedError(shown, `Tệp "${shown}" rỗng.`);
  if (bytes.length > MAX_EVIDENCE_BYTES)
    throw new EvidenceRejectedError(
      shown,
      `Tệp "${shown}" lớn ${(bytes.length / 1024 / 1024).toFixed(1).replace('.', ',')} MB, quá giới hạn ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB. Hãy nén hoặc chia nhỏ rồi gửi lại.`,
    );
  const type = sniffEvidenceType(bytes);
  if (!type)
    throw new EvidenceRejectedError(
      shown,
      `Tệp "${shown}" không phải PDF, DOCX hay ảnh PNG/JPEG (xét theo nội dung tệp, không theo tên). Hãy gửi văn bản ở một trong các dạng đó.`,
    );
  const ext = EXTENSIONS[type];
  const base = shown.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return { type, name: `${base}${ext}` };
}

/** A file name as shown to people: the last path part, NFC, without control or bidi characters, at most 200. */
export function cleanFileName(name: string): string {
  return (name.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/\p{Cc}|[\u200b-\u200f\u202a-\u202e\u2066-\u2069"]/gu, '')
    .trim()
    .slice(0, 200);
}
