/** Reading a .docx plan into the same plain text the text reader takes. */
import mammoth from 'mammoth';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
    if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

function inlineText(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]+>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A cell's paragraphs on one line: a paragraph that carries on the sentence (lower case, or after
 * ":" or ",") joins with a space, a new paragraph ("Sở A" / "Sở B", "- Lập kế hoạch" / "- Tổ chức
 * …") with "; ", bullets dropped. Shared with tables read from PDF pages.
 */
export function joinCellParagraphs(paragraphs: string[]): string {
  let out = '';
  for (const p of paragraphs) {
    const text = p.trim().replace(/^[-–+•]\s+/u, '');
    if (!text) continue;
    if (!out) out = text;
    else if (/[:,;.]$/.test(out) || /^\p{Ll}/u.test(text)) out += ` ${text}`;
    else out += `; ${text}`;
  }
  return out;
}

function cellText(html: string): string {
  return joinCellParagraphs(html.split(/<\/p>|<br\s*\/?>/i).map(inlineText));
}

/**
 * Turns mammoth's HTML into lines: one line per paragraph, heading or list item (items of a numbered
 * list get their number back, "1. …", since Word keeps it outside the text), and one line per table
 * row with its cells joined by " | ". Exported for tests; `readDocxToText` is the entry point.
 */
export function htmlToPlanText(html: string): string {
  const lines: string[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  const token =
    /<table\b[^>]*>([\s\S]*?)<\/table>|<(ol|ul)\b[^>]*>|<\/(ol|ul)>|<(p|h[1-6]|li)\b[^>]*>([\s\S]*?)<\/\4>/gi;
  let m: RegExpExecArray | null;
  while ((m = token.exec(html)) !== null) {
    if (m[1] !== undefined) {
      // Cells merged down ("rowspan") are written again in each row they cover, cells merged across
      // ("colspan") leave empty cells behind them, so every row keeps the header's columns.
      let spans: { column: number; text: string; left: number }[] = [];
      for (const row of m[1].matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/gi)) {
        const cells: string[] = [];
        const fillSpans = (): void => {
          for (
            let s = spans.find((x) => x.column === cells.length);
            s;
            s = spans.find((x) => x.column === cells.length)
          ) {
            cells.push(s.text);
            s.left -= 1;
          }
        };
        for (const c of (row[1] ?? '').matchAll(/<t[dh]\b([^>]*)>([\s\S]*?)<\/t[dh]>/gi)) {
          fillSpans();
          const text = cellText(c[2] ?? '');
          const rowspan = Number(/\browspan="(\d+)"/i.exec(c[1] ?? '')?.[1] ?? 1);
          const colspan = Number(/\bcolspan="(\d+)"/i.exec(c[1] ?? '')?.[1] ?? 1);
          if (rowspan > 1) spans.push({ column: cells.length, text, left: rowspan - 1 });
          cells.push(text, ...Array<string>(Math.max(0, colspan - 1)).fill(''));
        }
        fillSpans();
        spans = spans.filter((s) => s.left > 0);
        if (cells.some(Boolean)) lines.push(cells.join(' | '));
      }
    } else if (m[2]) {
      lists.push({ ordered: m[2].toLowerCase() === 'ol', n: 0 });
    } else if (m[3]) {
      lists.pop();
    } else if (m[4]) {
      let content = m[5] ?? '';
      const nested = m[4].toLowerCase() === 'li' ? content.search(/<(?:ol|ul)\b/i) : -1;
      if (nested >= 0) {
        // A nested list sits inside this item: keep the item's own text, read the nested list next.
        token.lastIndex = m.index + m[0].indexOf(content) + nested;
        content = content.slice(0, nested);
      }
      const text = inlineText(content);
      if (!text) continue;
      const list = lists[lists.length - 1];
      if (m[4].toLowerCase() === 'li' && list) {
        list.n += 1;
        lines.push(list.ordered ? `${list.n}. ${text}` : `- ${text}`);
      } else {
        lines.push(text);
      }
    }
  }
  return lines.join('\n');
}

/**
 * Reads a .docx file (its bytes) into plain text lines the plan reader understands. Rejects with a
 * Vietnamese message naming the problem when the bytes are not a Word document.
 */
export async function readDocxToText(buffer: Buffer): Promise<string> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer })).value;
  } catch (error) {
    throw new Error(
      `Không đọc được tệp .docx (${error instanceof Error ? error.message : String(error)}): kiểm tra tệp có đúng định dạng Word (.docx) không.`,
    );
  }
  return htmlToPlanText(html);
}
