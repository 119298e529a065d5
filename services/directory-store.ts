import fs from 'node:fs';
import path from 'node:path';
import type { ContactRole } from '../domain/types';
import type { RecipientResolver } from '../mail/types';
import type { DirectoryFile } from '../plans/schema';

/**
 * The agency directories of imported plans, kept in the data folder (one JSON file per plan) so every worker
 * that shares the folder resolves the same addresses. Re-read when a file changes.
 */
export class DirectoryStore implements RecipientResolver {
  private cache = new Map<string, { mtimeMs: number; directory: DirectoryFile }>();

  constructor(private readonly dir: string) {}

  static folder(dataDir: string): string {
    return path.join(dataDir, 'directories');
  }

  /** Saves a plan's directory atomically. */
  save(planId: string, directory: DirectoryFile): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${planId}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(directory, null, 2));
    fs.renameSync(tmp, file);
  }

  load(planId: string): DirectoryFile | undefined {
    return this.read(path.join(this.dir, `${planId}.json`));
  }

  private read(file: string): DirectoryFile | undefined {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return undefined;
    }
    const hit = this.cache.get(file);
    if (hit && hit.mtimeMs === stat.mtimeMs) return hit.directory;
    const directory = JSON.parse(fs.readFileSync(file, 'utf8')) as DirectoryFile;
    this.cache.set(file, { mtimeMs: stat.mtimeMs, directory });
    return directory;
  }

  private all(): DirectoryFile[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs
      .readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => this.read(path.join(this.dir, f)))
      .filter((d): d is DirectoryFile => d !== undefined);
  }

  agencyName(agencyId: string): string | undefined {
    for (const d of this.all()) {
      const a = d.agencies.find((x) => x.id === agencyId);
      if (a) return a.name;
      const g = (d.groups ?? []).find((x) => x.id === agencyId);
      if (g) return g.name;
    }
    return undefined;
  }

  resolve(agencyId: string, role: ContactRole): { name: string; email?: string; agencyName: string } | undefined {
    for (const d of this.all()) {
      const a = d.agencies.find((x) => x.id === agencyId);
      if (!a) continue;
      const contact = a.contacts?.[role];
      if (!contact) return { name: a.name, agencyName: a.name };
      return { name: contact.name ?? a.name, email: contact.email, agencyName: a.name };
    }
    return undefined;
  }
}
