// The only workflowsPath of the worker: every workflow type dondoc runs.
export { taskWorkflow } from './task-workflow';
export { digestWorkflow } from './digest-workflow';
export { planWorkflow } from './plan-workflow';
