export {
  decideApplication,
  insertApplication,
  selectApplication,
  selectApplications,
} from './applicationQueries.ts';
export type { ApplicationStatus, SharingApplication } from './applicationQueries.ts';
export { insertGrantChange, selectGrantChanges } from './grantChangeQueries.ts';
export type { GrantAction, GrantChange } from './grantChangeQueries.ts';
