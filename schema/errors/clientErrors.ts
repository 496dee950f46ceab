import { GraphQLError } from 'graphql';
import { ErrorCode } from './ErrorCode.ts';

/** The caller's role or department may not do this; `required` says who may. */
export function forbidden(message: string, required?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.FORBIDDEN, ...(required ? { required } : {}) },
  });
}

/** The thing is not in a state that allows this; nothing was changed. */
export function conflict(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT, ...details } });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NOT_FOUND } });
}
