import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../schema/index.ts';
import { EXPORT_OPERATION_NAME } from '../../server/index.ts';
import { GRANT_ID_PATTERN, PURPOSE_PATTERN } from './Authenticator.ts';
import type { GatewayContext } from './GatewayContext.ts';

/**
 * Completes the identity once the operation is known: its name, and the purpose
 * and grant from the operation's `extensions` when no header gave them.
 */
export const identityPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, request, operationName }) {
        const identity = contextValue.identity;
        if (operationName === EXPORT_OPERATION_NAME) {
          // The audit trail's name for bulk exports: taken by a query, its reads would count as exports.
          throw new GraphQLError(
            `${EXPORT_OPERATION_NAME} is the name the audit trail gives bulk exports; give the operation another name.`,
            { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } },
          );
        }
        identity.operationName = operationName ?? null;
        const extensions = request.extensions ?? {};
        if (identity.purpose === null && extensions.purpose !== undefined) {
          identity.purpose = checkedExtension(extensions.purpose, PURPOSE_PATTERN, 'purpose');
        }
        if (identity.grantId === null && extensions.grant !== undefined) {
          identity.grantId = checkedExtension(extensions.grant, GRANT_ID_PATTERN, 'grant');
        }
      },
    };
  },
};

function checkedExtension(value: unknown, pattern: RegExp, name: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new GraphQLError(
      `extensions.${name} must be a short text of letters, digits and . _ : / -`,
      {
        extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } },
      },
    );
  }
  return value;
}
