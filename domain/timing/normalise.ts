/**
 * Text normalisation for matching timing phrases: the same phrase typed with or without
 * diacritics, in NFC or NFD, with odd spaces or dashes, normalises to one ASCII string.
 */

/**
 * NFC, lowercase, diacritics stripped (đ → d), every dash to `-`, quotes and markdown marks
 * removed, whitespace collapsed. The result is for matching only: never show it to people.
 */
export function normaliseTimingText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]/g, ' ')
    .replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-')
    .replace(/[*_`"'\u201c\u201d\u2018\u2019]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
