/**
 * Plans and their agency directories, kept in Temporal: each plan's own workflow holds the plan file and its
 * directory (gzip + base64 JSON: a national directory of 3,321 communes with contacts stays far below Temporal's
 * payload limits), set by import with the `setPlan` update and read with the `plan` query. Every worker and web
 * host reads the same plans, whatever folder it runs in; nothing of it is on local disk.
 *
 * Reads are cached for a short time per process (`ttlMs`, default 30 s): a digest of a thousand emails asks
 * Temporal once. An import on another host is seen when the cache expires; this process's own imports at once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { QueryNotRegisteredError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ContactRole } from '../domain/types';
import type { RecipientResolver } from '../mail/types';
import type { DirectoryFile, PlanFile } from '../plans/schema';
import { planQuery, setPlanUpdate, type StoredPlan } from '../workflows/definitions';
import { planWorkflowId } from '../workflows/plan-workflow';

/** A plan as it was last imported, with its directory. */
export interface PlanRecord {
  plan: PlanFile;
  directory: DirectoryFile;
  version: number;
  importedAt: string;
  withdrawn?: { at: string; reason: string };
}

/** What the board lists of a plan. */
export interface PlanListing {
  id: string;
  number: string;
  title: string;
}

export function encodeDirectory(directory: DirectoryFile): { directoryGz: string; directoryHash: string } {
  const json = JSON.stringify(directory);
  return {
    directoryGz: gzipSync(Buffer.from(json, 'utf8')).toString('base64'),
    directoryHash: createHash('sha256').update(json).digest('hex'),
  };
}

export function decodeDirectory(directoryGz: string): DirectoryFile {
  return JSON.parse(gunzipSync(Buffer.from(directoryGz, 'base64')).toString('utf8')) as DirectoryFile;
}

/** What readers of plans need: the board, reports, the CLI and the email activities. */
export interface PlanReader extends RecipientResolver {
  get(planId: string): Promise<PlanRecord | undefined>;
  list(): Promise<PlanListing[]>;
  agencyName(agencyId: string, planId?: string): Promise<string | undefined>;
}

export class PlanStore implements PlanReader {
  private readonly cache = new Map<string, { at: number; record: PlanRecord | undefined }>();
  /** Reads in flight: the digests of an announced minute all ask at once, and one query serves them all. */
  private readonly reading = new Map<string, Promise<PlanRecord | undefined>>();
  private listing: { at: number; plans: PlanListing[] } | undefined;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    opts: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.ttlMs = opts.ttlMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  /** Stores a validated plan and its directory in the plan's workflow (which must be running). */
  async save(plan: PlanFile, directory: DirectoryFile, issuerName?: string): Promise<number> {
    const stored: Omit<StoredPlan, 'version'> = {
      plan,
      ...encodeDirectory(directory),
      importedAt: new Date(this.now()).toISOString(),
      ...(issuerName !== undefined ? { issuerName } : {}),
    };
    const { version } = await this.client.workflow.getHandle(planWorkflowId(plan.id)).executeUpdate(setPlanUpdate, {
      args: [stored],
    });
    this.cache.set(plan.id, {
      at: this.now(),
      record: { plan, directory, version, importedAt: stored.importedAt },
    });
    this.listing = undefined;
    return version;
  }

  /** Records what this process just stored (a plan workflow started holding it), so its next read needs no query. */
  remember(record: PlanRecord): void {
    this.cache.set(record.plan.id, { at: this.now(), record });
    this.listing = undefined;
  }

  /** The plan as last imported; undefined when it was never imported (or its workflow is gone). */
  async get(planId: string): Promise<PlanRecord | undefined> {
    const hit = this.cache.get(planId);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.record;
    const inFlight = this.reading.get(planId);
    if (inFlight) return inFlight;
    const read = this.read(planId).finally(() => this.reading.delete(planId));
    this.reading.set(planId, read);
    return read;
  }

  private async read(planId: string): Promise<PlanRecord | undefined> {
    let record: PlanRecord | undefined;
    try {
      const state = await this.client.workflow.getHandle(planWorkflowId(planId)).query(planQuery);
      const s = state.stored;
      record = s
        ? {
            plan: s.plan as unknown as PlanFile,
            directory: decodeDirectory(s.directoryGz),
            version: s.version,
            importedAt: s.importedAt,
            ...(s.withdrawn ? { withdrawn: s.withdrawn } : {}),
          }
        : undefined;
    } catch (err) {
      // A plan workflow of a run before plans lived in Temporal answers no `plan` query: not imported here.
      if (!(err instanceof WorkflowNotFoundError) && !(err instanceof QueryNotRegisteredError)) throw err;
      record = undefined;
    }
    this.cache.set(planId, { at: this.now(), record });
    return record;
  }

  /** Every imported plan, through visibility (the plan workflows' memo), by id. */
  async list(): Promise<PlanListing[]> {
    if (this.listing && this.now() - this.listing.at < this.ttlMs) return this.listing.plans;
    const plans = new Map<string, PlanListing>();
    for await (const wf of this.client.workflow.list({ query: `WorkflowType = 'planWorkflow'` })) {
      const id = wf.workflowId.replace(/^dondoc-plan:/, '');
      if (plans.has(id) || wf.workflowId === id) continue;
      const memo = (wf.memo ?? {}) as { number?: unknown; title?: unknown; withdrawn?: unknown };
      if (memo.withdrawn) continue;
      if (typeof memo.title !== 'string') continue; // a plan workflow that holds no plan yet
      plans.set(id, { id, number: typeof memo.number === 'string' ? memo.number : '', title: memo.title });
    }
    const sorted = [...plans.values()].sort((a, b) => a.id.localeCompare(b.id));
    this.listing = { at: this.now(), plans: sorted };
    return sorted;
  }

  /** The directory entries of every listed plan (for names and addresses not tied to one plan). */
  private async directories(): Promise<DirectoryFile[]> {
    const out: DirectoryFile[] = [];
    for (const p of await this.list()) {
      const r = await this.get(p.id);
      if (r) out.push(r.directory);
    }
    return out;
  }

  /** An agency's or group's name in the directory of `planId`, else of any plan. */
  async agencyName(agencyId: string, planId?: string): Promise<string | undefined> {
    const dirs = planId ? [(await this.get(planId))?.directory].filter((d): d is DirectoryFile => !!d) : [];
    for (const d of [...dirs, ...(await this.directories())]) {
      const a = d.agencies.find((x) => x.id === agencyId) ?? (d.groups ?? []).find((x) => x.id === agencyId);
      if (a) return a.name;
    }
    return undefined;
  }

  /** An agency's contact for a role: in the directories of `planIds` first (the digest's plans), else any plan. */
  async resolve(
    agencyId: string,
    role: ContactRole,
    planIds: string[] = [],
  ): Promise<{ name: string; email?: string; agencyName: string } | undefined> {
    const own: DirectoryFile[] = [];
    for (const id of planIds) {
      const r = await this.get(id);
      if (r) own.push(r.directory);
    }
    for (const d of [...own, ...(planIds.length > 0 && own.length > 0 ? [] : await this.directories())]) {
      const a = d.agencies.find((x) => x.id === agencyId);
      if (!a) continue;
      const contact = a.contacts?.[role];
      if (!contact) return { name: a.name, agencyName: a.name };
      return { name: contact.name ?? a.name, email: contact.email, agencyName: a.name };
    }
    return undefined;
  }
}

/**
 * The plans and directories an embedded install kept in its data folder before plans lived in Temporal
 * (`plans/<id>.json`, `directories/<id>.json`): read for the migration on first start, then renamed `*.migrated`.
 */
export function readLegacyPlans(dataDir: string): { plan: PlanFile; directory: DirectoryFile; files: string[] }[] {
  const plansDir = path.join(dataDir, 'plans');
  if (!fs.existsSync(plansDir)) return [];
  const out: { plan: PlanFile; directory: DirectoryFile; files: string[] }[] = [];
  for (const name of fs
    .readdirSync(plansDir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const planFile = path.join(plansDir, name);
    const dirFile = path.join(dataDir, 'directories', name);
    if (!fs.existsSync(dirFile)) continue;
    out.push({
      plan: JSON.parse(fs.readFileSync(planFile, 'utf8')) as PlanFile,
      directory: JSON.parse(fs.readFileSync(dirFile, 'utf8')) as DirectoryFile,
      files: [planFile, dirFile],
    });
  }
  return out;
}
