/**
 * What a heap snapshot holds, by kind of object, and what one snapshot holds more than another per workflow:
 * `node dist/bench/heap-summary.js <task.heapsnapshot> [<empty.heapsnapshot>] [--per <K>] [--top <n>]`
 * Groups nodes by type and constructor (objects), function name (closures) or type alone (strings, arrays, code),
 * with their count and self size; with two snapshots, the difference divided by `--per` (the workflows cached).
 * Self sizes only: what a group keeps alive through other groups is counted in those groups.
 */
import fs from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface Group {
  count: number;
  bytes: number;
}

/** Count and self size per group of a snapshot file. */
export function summarizeSnapshot(file: string): Map<string, Group> {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const iType = fields.indexOf('type');
  const iName = fields.indexOf('name');
  const iSize = fields.indexOf('self_size');
  const groups = new Map<string, Group>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]!] ?? '?';
    const name = snap.strings[snap.nodes[i + iName]!] ?? '';
    const key =
      type === 'object' || type === 'closure' || type === 'native' || type === 'hidden'
        ? `${type} ${name.slice(0, 60)}`
        : type;
    const g = groups.get(key) ?? { count: 0, bytes: 0 };
    g.count += 1;
    g.bytes += snap.nodes[i + iSize]!;
    groups.set(key, g);
  }
  return groups;
}

function main(): void {
  const args = process.argv.slice(2);
  const flag = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const v = Number(args[i + 1]);
    args.splice(i, 2);
    return v;
  };
  const per = flag('--per', 1);
  const top = flag('--top', 30);
  const [a, b] = args;
  if (!a || !(per > 0) || !(top > 0)) {
    process.stderr.write('heap-summary <snapshot> [<baseline snapshot>] [--per K] [--top n]\n');
    process.exit(2);
  }
  const ga = summarizeSnapshot(a);
  const gb = b ? summarizeSnapshot(b) : new Map<string, Group>();
  const rows = [...new Set([...ga.keys(), ...gb.keys()])].map((key) => {
    const x = ga.get(key) ?? { count: 0, bytes: 0 };
    const y = gb.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: (x.count - y.count) / per, bytes: (x.bytes - y.bytes) / per };
  });
  rows.sort((p, q) => Math.abs(q.bytes) - Math.abs(p.bytes));
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  const lines = ['| group | count | bytes |', '|---|---|---|'];
  for (const r of rows.slice(0, top)) lines.push(`| ${r.key} | ${r.count.toFixed(1)} | ${Math.round(r.bytes)} |`);
  lines.push(`| (all) | | ${Math.round(total)} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
