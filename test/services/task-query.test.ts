import { buildTaskQuery } from '../../services/tasks';

describe('buildTaskQuery', () => {
  test('due-date bounds are whole local days in the given zone', () => {
    expect(buildTaskQuery({ planId: 'kh-1', dueFrom: '2026-12-01', dueTo: '2026-12-31' }, 'Asia/Ho_Chi_Minh')).toBe(
      "WorkflowType = 'taskWorkflow' AND DondocPlan = 'kh-1' AND DondocDue >= '2026-11-30T17:00:00.000Z' AND DondocDue < '2026-12-31T17:00:00.000Z'",
    );
    // Another zone moves the same days: a plan followed from Kathmandu (+5:45).
    expect(buildTaskQuery({ dueFrom: '2026-12-01' }, 'Asia/Kathmandu')).toBe(
      "WorkflowType = 'taskWorkflow' AND DondocDue >= '2026-11-30T18:15:00.000Z'",
    );
  });

  test('quotes cannot break out of a value', () => {
    expect(buildTaskQuery({ agencyId: "x' OR 'a'='a" })).toBe("WorkflowType = 'taskWorkflow' AND DondocAgencies = 'x OR a=a'");
  });
});
