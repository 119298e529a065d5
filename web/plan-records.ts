/**
 * Every imported plan with its directory, for the pages that look across plans (sign-in by email, "my tasks",
 * leadership). Plans are read in parallel, each with a time limit: a plan whose workflow does not answer (no worker
 * on its task queue, e.g. a closed one) is left out rather than holding the page.
 */
import type { PlanReader, PlanRecord } from '../services/plan-store';

export async function readPlanRecords(plans: PlanReader, timeoutMs = 5000): Promise<PlanRecord[]> {
  const listings = await plans.list();
  const records = await Promise.all(
    listings.map(async (l) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), timeoutMs);
      });
      try {
        return await Promise.race([plans.get(l.id).catch(() => undefined), late]);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return records.filter((r): r is PlanRecord => r !== undefined && !r.withdrawn);
}

/** An agency's name from the directories of the imported plans (undefined when none names it). */
export async function agencyNameIn(plans: PlanReader, agencyId: string): Promise<string | undefined> {
  for (const r of await readPlanRecords(plans)) {
    const a = r.directory.agencies.find((x) => x.id === agencyId);
    if (a) return a.name;
  }
  return undefined;
}
