import { ConfigError, loadConfig } from '../../config';

describe('worker tuning settings', () => {
  test('workflow-task polling: a fixed maximum of 10 unless set', () => {
    expect(loadConfig({}).temporal.workflowTaskPollers).toBe(10);
    expect(loadConfig({ DONDOC_WORKFLOW_TASK_POLLERS: '24' }).temporal.workflowTaskPollers).toBe(24);
    expect(loadConfig({ DONDOC_WORKFLOW_TASK_POLLERS: 'autoscaling' }).temporal.workflowTaskPollers).toBe('autoscaling');
    expect(loadConfig({ DONDOC_MAX_CACHED_WORKFLOWS: '2000' }).temporal.maxCachedWorkflows).toBe(2000);
  });

  test('a bad value is named with what would be accepted', () => {
    let caught: unknown;
    try {
      loadConfig({ DONDOC_WORKFLOW_TASK_POLLERS: 'many', DONDOC_MAX_CACHED_WORKFLOWS: '3' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/DONDOC_WORKFLOW_TASK_POLLERS="many": "autoscaling" hoặc một số nguyên từ 2 đến 200/);
    expect(problems).toMatch(/DONDOC_MAX_CACHED_WORKFLOWS="3"/);
  });
});
