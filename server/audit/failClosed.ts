import type { GraphQLResponse } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/errors/index.ts';

/**
 * Replaces a response whose audit records could not be written with 503 and an
 * UNAVAILABLE error, dropping its data: nothing is answered unrecorded.
 */
export function failClosed(response: GraphQLResponse, what: 'request' | 'access'): void {
  response.http.status = 503;
  response.body = {
    kind: 'single',
    singleResult: {
      errors: [
        new GraphQLError(
          `The audit trail could not record this ${what}, so no data is returned. Try again shortly.`,
          { extensions: { code: ErrorCode.UNAVAILABLE } },
        ).toJSON(),
      ],
    },
  };
}
