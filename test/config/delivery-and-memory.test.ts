import { ConfigError, loadConfig } from '../../config';
import { KB_PER_CACHED_WORKFLOW, WORKER_BASE_MB, workerCacheSize } from '../../workers/create-worker';

describe('announced delivery settings', () => {
  test('08:00 with an hour to prepare and an hour after midnight unless set', () => {
    expect(loadConfig({}).delivery).toEqual({ minuteOfDay: 480, prepareMinutes: 60, midnightSpreadMinutes: 60 });
    expect(loadConfig({ DONDOC_REMINDER_HOUR: '7' }).delivery.minuteOfDay).toBe(420);
  });

  test('a delivery time to the minute sets the reminder hour with it', () => {
    const c = loadConfig({
      DONDOC_DELIVERY_TIME: '07:45',
      DONDOC_PREPARE_WINDOW_MINUTES: '20',
      DONDOC_MIDNIGHT_SPREAD_MINUTES: '0',
    });
    expect(c.delivery).toEqual({ minuteOfDay: 7 * 60 + 45, prepareMinutes: 20, midnightSpreadMinutes: 0 });
    expect(c.reminderHour).toBe(7);
  });

  test('bad values are named, every one of them, with what would be accepted', () => {
    let caught: unknown;
    try {
      loadConfig({ DONDOC_DELIVERY_TIME: '7:5', DONDOC_PREPARE_WINDOW_MINUTES: '-1', DONDOC_WORKER_MEMORY_MB: '12' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/DONDOC_DELIVERY_TIME="7:5": phải có dạng HH:MM/);
    expect(problems).toMatch(/DONDOC_PREPARE_WINDOW_MINUTES="-1"/);
    expect(problems).toMatch(/DONDOC_WORKER_MEMORY_MB="12"/);
  });
});

describe('worker cache sized from its memory', () => {
  test('what fits in the memory given, after the base, with a fifth kept free', () => {
    const c = loadConfig({ DONDOC_WORKER_MEMORY_MB: '2048' });
    const size = workerCacheSize(c);
    expect(size).toBe(Math.floor(((2048 - WORKER_BASE_MB) * 1024 * 0.8) / KB_PER_CACHED_WORKFLOW));
    // The cache it gives stays inside the memory.
    expect(WORKER_BASE_MB + (size * KB_PER_CACHED_WORKFLOW) / 1024).toBeLessThan(2048);
  });

  test('an explicit cache size wins; with nothing said, a worker under 1 GB', () => {
    expect(workerCacheSize(loadConfig({ DONDOC_MAX_CACHED_WORKFLOWS: '700', DONDOC_WORKER_MEMORY_MB: '8192' }))).toBe(
      700,
    );
    const size = workerCacheSize(loadConfig({}), undefined);
    expect(WORKER_BASE_MB + (size * KB_PER_CACHED_WORKFLOW) / 1024).toBeLessThan(1024);
    expect(workerCacheSize(loadConfig({}), 4096)).toBeGreaterThan(size);
  });
});
