export { ErrorCode } from './ErrorCode.ts';
export { badUserInput } from './badUserInput.ts';
