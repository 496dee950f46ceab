import { GraphQLError } from 'graphql';
import { ErrorCode } from './ErrorCode.ts';

/** A client error about the request's own arguments; `argument` names the offending one. */
export function badUserInput(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, ...(argument ? { argument } : {}) },
  });
}
