/** Task keys a plan file accepts (`A-Z a-z 0-9 . _ -`, unique), made from the refs a document prints. */
import { foldText } from './agency-names';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A key from a printed ref: "1.2" stays, "(1)" → "1", "Hoạt động 2" → "hoat-dong-2", "II.đ" → "II.d". */
export function keyOfRef(ref: string): string {
  if (KEY.test(ref)) return ref;
  const ascii = ref
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đ]/g, 'd')
    .replace(/[Đ]/g, 'D');
  const kept = ascii.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '');
  return KEY.test(kept) ? kept : foldText(ref).replace(/\s+/g, '-');
}

/**
 * One key per task: the ref's own key when it is unique and valid, "ref-1", "ref-2" … when a ref
 * repeats, "nv-N" (its position) when the task has no ref. `undefined` where the ref itself is the key.
 */
export function taskKeys(refs: (string | null)[]): (string | undefined)[] {
  const keys = refs.map((r, i) => (r ? keyOfRef(r) : `nv-${i + 1}`) || `nv-${i + 1}`);
  const count = new Map<string, number>();
  for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
  const seen = new Map<string, number>();
  const used = new Set<string>();
  return keys.map((k, i) => {
    let key = k;
    if ((count.get(k) ?? 0) > 1) {
      const n = (seen.get(k) ?? 0) + 1;
      seen.set(k, n);
      key = `${k}-${n}`;
    }
    while (used.has(key)) key = `${key}-x`;
    used.add(key);
    const ref = refs[i];
    return ref && key === ref ? undefined : key;
  });
}
