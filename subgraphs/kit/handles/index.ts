export { JoinHandles } from './JoinHandles.ts';
export { Sealer } from './Sealer.ts';
