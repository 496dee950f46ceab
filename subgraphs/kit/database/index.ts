export { migrateDepartment, needsSeed, seedDepartment } from './departmentData.ts';
