import { config } from './config.ts';

/** One problem the API reported, in its own words, with what identifies it. */
export interface Problem {
  message: string;
  code: string | null;
  requestId: string | null;
  /** Why a dataset or item was denied (a DenialReason), when the API said. */
  reason?: string | null;
}

/** The API refused or failed: every problem it gave, for the page to show. */
export class ApiError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => p.message).join('\n'));
  }
}

let bearer: string | null = null;

/** The token later requests carry (from the session route; null when signed out). */
export function useBearer(token: string | null): void {
  bearer = token;
}

interface GraphQLBody<T> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; requestId?: string; reason?: string };
  }[];
}

/**
 * Sends one operation to the public GraphQL API as the signed-in caller (or
 * anonymously). Any error in the answer is thrown as an `ApiError` carrying
 * every message, code and request id, so the page can show them in words.
 */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  purpose?: string,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (purpose) headers['x-purpose'] = purpose;
  let response: Response;
  try {
    response = await fetch(config.graphqlPath, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
      credentials: 'omit',
    });
  } catch (error) {
    throw new ApiError([{ message: String(error), code: 'NETWORK', requestId: null }]);
  }
  const requestId = response.headers.get('x-request-id');
  let body: GraphQLBody<T>;
  try {
    body = (await response.json()) as GraphQLBody<T>;
  } catch {
    throw new ApiError([{ message: `HTTP ${response.status}`, code: null, requestId }]);
  }
  if (body.errors?.length) {
    throw new ApiError(
      body.errors.map((e) => ({
        message: e.message,
        code: e.extensions?.code ?? null,
        requestId: e.extensions?.requestId ?? requestId,
        reason: typeof e.extensions?.reason === 'string' ? e.extensions.reason : null,
      })),
    );
  }
  if (!body.data) throw new ApiError([{ message: 'no data', code: null, requestId }]);
  return body.data;
}
