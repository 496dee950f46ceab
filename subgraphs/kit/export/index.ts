export { deliverExport, PAGE_SIZE } from './deliverExport.ts';
export type { Delivery, ExportOutput, HeldPart } from './deliverExport.ts';
export { ExportEncoder } from './ExportEncoder.ts';
export { exportRoutes } from './exportRoutes.ts';
export type { ExportRouteOptions } from './exportRoutes.ts';
export { parseExportRequest } from './ExportRequest.ts';
export type { ExportRequest, ResumeRequest, StartRequest } from './ExportRequest.ts';
export { changedSinceOf, planExport, samePlan } from './planExport.ts';
export type { ExportWish } from './planExport.ts';
