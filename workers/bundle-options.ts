import path from 'node:path';

/**
 * The pure domain modules the workflows import, loaded once into the worker's reusable V8 context and shared by
 * every workflow it runs (the SDK's `preloadModules`; their own imports are shared with them). Without this, each
 * cached workflow gets its own copy of every module of the bundle: the label and action tables, the holiday and
 * lunar code, and one `Intl.DateTimeFormat` per time zone (ICU memory outside the V8 heap).
 *
 * Safe because these modules are pure: no `@temporalio/workflow` import, nothing read from the workflow's clock
 * or random source at module scope, and the only module state is caches of pure functions (time-zone formatters,
 * calendars by their data), which give every workflow the same answers whatever ran before. The SDK deep-freezes
 * their exports: a module that mutated an exported object would fail at once in the tests.
 */
const PRELOADED_DOMAIN = [
  'calendar',
  'alarms',
  'reporting-dates',
  'lifecycle/actions',
  'lifecycle/core',
  'lifecycle/delivery',
  'lifecycle/inputs',
  'lifecycle/machine',
  'lifecycle/next-alarm',
];

/** Bundler options for every workflow bundle (worker, tests, benchmark): see PRELOADED_DOMAIN. */
export function workflowBundlerOptions(): { preloadModules: string[] } {
  return { preloadModules: PRELOADED_DOMAIN.map((m) => path.resolve(__dirname, '..', 'domain', m)) };
}
