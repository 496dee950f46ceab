import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { request } from 'undici';
import { badUserInput, ErrorCode, notFound } from '../../schema/index.ts';
import {
  getRequestBody,
  INTERNAL_TOKEN_HEADER,
  newRequestId,
  selectDatasetDepartment,
  selectExport,
  EXPORT_OPERATION_NAME,
  sendError,
  signInternalToken,
  type AuditDecision,
  type AuditSink,
  type LimitsConfig,
  type Logger,
  type PlatformKey,
  type RequestIdentity,
  type Route,
} from '../../server/index.ts';
import {
  errorCode,
  failedDecision,
  refusedEntry,
  requestEntry,
  type Authenticator,
} from '../auth/index.ts';
import {
  consumerKey,
  limitsFor,
  takeShare,
  type AnonymousShares,
  type ConsumerRateLimiter,
} from '../limits/index.ts';
import type { ExportSlots } from './ExportSlots.ts';

export interface ExportProxyOptions {
  authenticator: Authenticator;
  signingKey: PlatformKey;
  platformDb: Knex;
  audit: AuditSink;
  logger: Logger;
  /** The subgraphs' URLs by name, from the supergraph served now. */
  subgraphUrl: (name: string) => string | undefined;
  /** The limits of callers, for their requests-per-second share. */
  limits: LimitsConfig;
  /** The per-second shares, the same count GraphQL requests take from. */
  rates: ConsumerRateLimiter;
  /** Exports streaming from this process, per consumer and in all. */
  slots: ExportSlots;
  /** What a caller without an identity takes from its address's share (and past it, a count). */
  anonymous: AnonymousShares;
}

/** Response headers of an export that travel from the subgraph to the consumer. */
const PASSED_HEADERS = [
  'content-type',
  'cache-control',
  'x-export-id',
  'x-export-resumed-after',
  'x-export-total',
] as const;

/**
 * Bulk exports through the gateway: `GET /export` (start or resume) and
 * `GET /export/manifest`. The caller is authenticated as for GraphQL (bearer
 * token or API key, `X-Purpose`, `X-Grant-Id`); the request goes to the
 * subgraph of the dataset's department with the caller's identity in a
 * context token bound to that very request line, and the subgraph's answer —
 * the records as they are read, or a JSON refusal — streams back unchanged.
 *
 * Streamed through the gateway rather than handed out as a signed download
 * URL: a URL would be a bearer credential for data that leaks into logs,
 * proxies and browser history, and would bypass the one place that
 * authenticates callers. Here every byte goes to a caller who just presented
 * its own credential, and a resumption is a new request, decided again.
 *
 * Each request takes one of its consumer's requests per second, as a GraphQL
 * request does, and an export (not a manifest) a slot of this process's
 * exports in flight (`ExportSlots`) for as long as it streams.
 */
export function exportProxyRoutes(options: ExportProxyOptions): Record<string, Route> {
  const forward: Route = (req, res) => proxyExport(options, req, res);
  return { '/export': forward, '/export/manifest': forward };
}

async function proxyExport(
  options: ExportProxyOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const startedAt = Date.now();
  const requestId = newRequestId();
  res.setHeader('x-request-id', requestId);
  let release: (() => void) | undefined;
  // What the caller got, for the REQUEST record once its credential has passed.
  let identity: RequestIdentity | undefined;
  let outcome: { decision: AuditDecision; reason: string | null } = {
    decision: 'ERROR',
    reason: null,
  };
  try {
    // A HEAD would run the export (and count it) for a response without a body.
    if (req.method !== 'GET') throw badUserInput('Exports are read with GET.');
    const clientAddress = req.socket.remoteAddress ?? null;
    identity = await options.authenticator.identify(req, requestId).catch(async (error) => {
      // As at /graphql: a refused credential takes from its address's anonymous share first.
      await options.anonymous.take(clientAddress, requestId);
      await options.audit
        .record([refusedEntry(requestId, error, Date.now() - startedAt)])
        .catch(() => undefined);
      throw error;
    });
    const consumer = consumerKey(identity.caller, clientAddress);
    const limits = limitsFor(options.limits, identity.caller);
    if (identity.caller) {
      await takeShare(options.rates, 'requestsPerSecond', consumer, 1, limits, requestId);
    } else {
      await options.anonymous.take(clientAddress, requestId);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/export') release = options.slots.take(consumer, requestId);
    const department = await owningDepartment(options.platformDb, url.searchParams);
    const base = department ? options.subgraphUrl(department) : undefined;
    if (!department || !base) {
      throw notFound(
        'No such dataset or export: name a dataset code from the catalogue (dataset=…), or an export id of yours (resume=… or id=…).',
      );
    }
    const pathAndQuery = `${url.pathname}${url.search}`;
    const token = await signInternalToken(
      { ...identity, operationName: EXPORT_OPERATION_NAME },
      department,
      options.signingKey,
      getRequestBody(pathAndQuery),
    );
    const upstream = await request(new URL(pathAndQuery, base), {
      method: 'GET',
      headers: { [INTERNAL_TOKEN_HEADER]: token, 'x-request-id': requestId },
    });
    const headers: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = upstream.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    res.writeHead(upstream.statusCode, headers);
    // A consumer that goes away ends the subgraph's stream too (and with it the reading).
    await pipeline(upstream.body, res);
    outcome = exportOutcome(upstream.statusCode);
  } catch (error) {
    const code = errorCode(error);
    outcome = { decision: failedDecision(code), reason: code };
    if (!res.headersSent) sendError(res, error, requestId, options.logger);
    else res.destroy();
  } finally {
    release?.();
    // The subgraph recorded the ACCESS (before its first record left); this is the gateway's
    // own REQUEST record of it, as every GraphQL request has, written once the answer ended.
    if (identity) {
      await options.audit
        .record([
          requestEntry(
            { ...identity, operationName: EXPORT_OPERATION_NAME },
            { ...outcome, operationHash: null, latencyMs: Date.now() - startedAt },
          ),
        ])
        .catch((error: unknown) =>
          options.logger.error(
            { err: error, requestId },
            "an export's REQUEST record was not written",
          ),
        );
    }
  }
}

/** What an export's caller got, by the subgraph's status: its refusals are the rules'. */
function exportOutcome(status: number): { decision: AuditDecision; reason: string | null } {
  if (status === 200) return { decision: 'ALLOWED', reason: null };
  const code =
    status === 401 ? ErrorCode.UNAUTHENTICATED : status === 403 ? ErrorCode.FORBIDDEN : null;
  return code
    ? { decision: failedDecision(code), reason: code }
    : { decision: 'ERROR', reason: `HTTP ${status}` };
}

/**
 * The department whose subgraph serves the request: the provider of the
 * dataset named (its sharing decision), or of the export resumed or
 * whose manifest is asked for. The subgraph decides whether the caller may
 * have it; an unknown name here is simply not found.
 */
async function owningDepartment(db: Knex, query: URLSearchParams): Promise<string | null> {
  const exportId = query.get('resume') ?? query.get('id');
  if (exportId !== null) {
    if (!/^exp_[0-9a-f-]{36}$/.test(exportId)) return null;
    return (await selectExport(db, exportId))?.providerDepartment ?? null;
  }
  const dataset = query.get('dataset');
  return dataset ? ((await selectDatasetDepartment(db, dataset)) ?? null) : null;
}
