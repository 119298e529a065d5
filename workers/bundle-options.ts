import path from 'node:path';

/**
 * The pure modules the workflows import (the domain, and the message and action definitions), loaded once into the worker's reusable V8 context and shared by
 * every workflow it runs (the SDK's `preloadModules`; their own imports are shared with them). Without this, each
 * cached workflow gets its own copy of every module of the bundle: the label and action tables, the holiday and
 * lunar code, and one `Intl.DateTimeFormat` per time zone (ICU memory outside the V8 heap).
 *
 * Safe because these modules are pure: nothing of `@temporalio/workflow` but `define*` (which returns plain
 * objects; no proxy of activities, no handler, nothing that needs a running workflow), nothing read from the clock
 * or random source at module scope, and the only module state is caches of pure functions (time-zone formatters,
 * calendars by their data), which give every workflow the same answers whatever ran before. The SDK deep-freezes
 * their exports: a module that mutated an exported object would fail at once in the tests. Through
 * workflows/definitions the SDK's public module (`@temporalio/workflow`) is shared too; it holds no workflow's
 * state (its functions find the running workflow through the SDK's global at each call), and most of it is
 * already shared by the SDK itself (loaded with the bundle, before any workflow).
 */
const PRELOADED = [
  'domain/calendar',
  'domain/alarms',
  'domain/reporting-dates',
  'domain/lifecycle/actions',
  'domain/lifecycle/core',
  'domain/lifecycle/delivery',
  'domain/lifecycle/inputs',
  'domain/lifecycle/machine',
  'domain/lifecycle/next-alarm',
  'workflows/definitions',
  'workflows/actions',
];

/** Bundler options for every workflow bundle (worker, tests, benchmark): see PRELOADED. */
export function workflowBundlerOptions(): { preloadModules: string[] } {
  return { preloadModules: PRELOADED.map((m) => path.resolve(__dirname, '..', m)) };
}
