import type { DigestActivities, EnqueueActivities, ReportActivities } from './types';

/** Every activity the worker registers. Workflows import only the types. */
export type Activities = EnqueueActivities & DigestActivities & ReportActivities;
export type { EnqueueActivities, DigestActivities, ReportActivities } from './types';
