import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import { clientSafeError, isClientError, type HiddenErrorKind } from '../../schema/errors/index.ts';
import type { Logger } from './createLogger.ts';
import { withoutValues } from './withoutValues.ts';

/** Error codes of a peer that did not answer: refused, reset, unreachable, timed out. */
const UNREACHABLE =
  /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|UND_ERR_\w+)$/;

/**
 * Extensions never shown to a client: a subgraph's HTTP response (its URL and
 * body), a stack, the original exception.
 */
const HIDDEN_EXTENSIONS = new Set(['response', 'stacktrace', 'exception', 'http']);

/** graphql-js's messages that say what went wrong but not what to do, said again. */
const REWORDED = new Map([
  [
    'Too many validation errors, error limit reached. Validation aborted.',
    'The document has more problems than the 100 listed; validation stopped there. Fix those and send it again.',
  ],
  [
    // graphql-js's bound on checking a document's fields against each other (and on fragments).
    'Validation aborted.',
    'The document is too costly to check: it selects the same fields, or spreads the same fragments, too many times over. Select each field once per object and send it again.',
  ],
]);

/** Apollo Server's refusal of a request a browser could send from another site's page. */
const CSRF_REFUSAL = 'This operation has been blocked as a potential Cross-Site Request Forgery';
const CSRF_REWORDED =
  'A request a web page of another site could send is refused (cross-site request forgery): ' +
  'send a POST with content-type: application/json, or a GET with the header ' +
  'apollo-require-preflight: true.';

/** The message a client sees for `message` from a library, in the platform's words. */
function reworded(message: string): string {
  if (message.startsWith(CSRF_REFUSAL)) return CSRF_REWORDED;
  return REWORDED.get(message) ?? withoutValues(message);
}

export interface ErrorHiding<TContext extends BaseContext> {
  /** Apollo Server's `formatError`: every error a client sees passes here. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Tags each error with its request id, so the log and the client can quote it. */
  plugin: ApolloServerPlugin<TContext>;
}

/**
 * The one place a server decides what a client sees of an error. An error
 * written for the client (a code of our registry other than
 * INTERNAL_SERVER_ERROR, or the GraphQL server's own request errors) passes with
 * its code, message and the extensions meant for it, plus the request id.
 * Anything else — a driver's SQL text with bound values, a peer's host:port, a
 * stack — is logged whole under the request id and replaced by a code
 * (INTERNAL_SERVER_ERROR, or UNAVAILABLE when a peer did not answer), a message
 * that says what to do, and the request id.
 */
export function hideInternalErrors<TContext extends BaseContext>(
  logger: Logger,
  requestIdOf: (context: TContext) => string | null,
): ErrorHiding<TContext> {
  const requestIds = new WeakMap<object, string>();
  return {
    plugin: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ contextValue, errors }) {
            const requestId = requestIdOf(contextValue);
            if (requestId) for (const error of errors) requestIds.set(error, requestId);
          },
        };
      },
    },
    formatError(formatted, error) {
      const requestId = (isObject(error) && requestIds.get(error)) || null;
      const code = ownCode(formatted, error);
      const fromPeer = isObject(formatted.extensions?.response);
      if (isClientError(code) && !fromPeer) {
        const extensions: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(formatted.extensions ?? {})) {
          if (!HIDDEN_EXTENSIONS.has(name)) extensions[name] = value;
        }
        extensions.code = code;
        if (requestId) extensions.requestId = requestId;
        const message = reworded(formatted.message);
        return { ...formatted, message, extensions };
      }
      const kind = hiddenKind(formatted, error);
      logger.error(
        {
          requestId,
          code,
          path: formatted.path,
          serviceName: formatted.extensions?.serviceName,
          message: formatted.message,
          err: original(error),
        },
        `error hidden from the client as ${kind}`,
      );
      return clientSafeError(formatted, kind, requestId);
    },
  };
}

/**
 * The error's code, as the code that made it set it: a limit or denial raised
 * inside validation keeps its own code rather than the server's
 * GRAPHQL_VALIDATION_FAILED.
 */
function ownCode(formatted: GraphQLFormattedError, error: unknown): unknown {
  const code = formatted.extensions?.code;
  if (code !== 'GRAPHQL_VALIDATION_FAILED' || !isObject(error)) return code;
  const inner = (error as { originalError?: { extensions?: { code?: unknown } } }).originalError;
  const innerCode = inner?.extensions?.code;
  return typeof innerCode === 'string' && isClientError(innerCode) ? innerCode : code;
}

function hiddenKind(formatted: GraphQLFormattedError, error: unknown): HiddenErrorKind {
  const response = formatted.extensions?.response as { status?: unknown } | undefined;
  if (typeof response?.status === 'number' && response.status >= 500) return 'UNAVAILABLE';
  let cause: unknown = error;
  for (let depth = 0; depth < 6 && isObject(cause); depth++) {
    const { code, name } = cause as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && UNREACHABLE.test(code)) return 'UNAVAILABLE';
    if (name === 'AbortError' || name === 'TimeoutError') return 'UNAVAILABLE';
    const next = cause as { originalError?: unknown; cause?: unknown };
    cause = next.originalError ?? next.cause;
  }
  return 'INTERNAL';
}

/** The innermost error, whose stack says where it was thrown. */
function original(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 6; depth++) {
    const next = isObject(current) ? (current as { originalError?: unknown }).originalError : null;
    if (!next) break;
    current = next;
  }
  return current;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
