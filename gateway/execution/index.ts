export { installPlanExecutor, type ExecutorKind } from './planExecutor.ts';
