/** Turning a plan text into clean lines that remember their source line number. */

export interface SourceLine {
  text: string;
  /** 1-based line in the original text. */
  line: number;
}

/**
 * Splits a plan text into non-empty, trimmed, NFC lines. Leftover markdown is undone: a run of two
 * or more `*` or `_` (bold) ends a line, single emphasis markers and heading `#` are dropped; every
 * piece keeps the number of the source line it came from.
 */
export function splitSourceLines(text: string): SourceLine[] {
  const out: SourceLine[] = [];
  const raw = text
    .normalize('NFC')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  raw.forEach((rawLine, index) => {
    const pieces = rawLine.split(/\*{2,}|_{2,}/);
    for (const piece of pieces) {
      const cleaned = piece
        .replace(/(^|\s)\*(?=\S)|(?<=\S)\*(?=\s|$|[.,;:)])/g, '$1')
        .replace(/^\s*#{1,6}\s+/, '')
        .replace(/[\u00a0\u2000-\u200b]/g, ' ')
        .replace(/\s+$/g, '')
        .replace(/^\s+/g, '');
      if (cleaned.replace(/[*_\s]/g, '').length > 0)
        out.push({ text: cleaned.replace(/^\*+|\*+$/g, '').trim(), line: index + 1 });
    }
  });
  return out;
}
