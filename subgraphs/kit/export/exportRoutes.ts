import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knex } from 'knex';
import { conflict, forbidden, notFound, type Catalogue } from '../../../schema/index.ts';
import {
  describeTable,
  undescribedColumns,
  undescribedColumnsMessage,
} from '../introspection/index.ts';
import {
  authenticateGatewayGet,
  insertExport,
  selectExport,
  sendError,
  sendJson,
  updateExportManifest,
  type AuditSink,
  type ExportManifest,
  type ExportRecord,
  type Logger,
  type PlatformKey,
  type RequestIdentity,
  type Route,
} from '../../../server/index.ts';
import { RequestAccess, type AccessSettings, type PolicyStore } from '../access/index.ts';
import type { DepartmentSubgraph } from '../buildDepartmentSubgraph.ts';
import type { Sealer } from '../handles/index.ts';
import { Cursors } from '../resolvers/index.ts';
import type { DatasetTable, PageOrder } from '../sql/index.ts';
import { deliverExport, type ExportOutput, type HeldPart } from './deliverExport.ts';
import { ExportEncoder } from './ExportEncoder.ts';
import { exportAuditEntry, type Delivered } from './exportAuditEntry.ts';
import { parseExportRequest } from './ExportRequest.ts';
import { changedSinceOf, planExport, samePlan } from './planExport.ts';

export interface ExportRouteOptions {
  /** The subgraph served now (schemas are swapped without a restart). */
  subgraph: () => DepartmentSubgraph;
  /** The catalogue in force now: copied items are decided by their source as published now. */
  catalogue: () => Catalogue;
  /** The department's own database. */
  db: Knex;
  policies: PolicyStore;
  settings: Omit<AccessSettings, 'catalogue'>;
  gatewayKey: PlatformKey;
  sealer: Sealer;
  audit: AuditSink;
  logger?: Logger;
}

/** How long after its start an export may be resumed. */
export const RESUMABLE_MS = 24 * 3_600_000;

/** The consumer has gone: the connection closed before the export was sent. */
class ConnectionLost extends Error {}

/**
 * A department subgraph's bulk export routes, answered only to the gateway
 * (a context token signed for this subgraph and this very request line):
 *
 * - `GET /export?dataset=…[&items=a,b][&filter={…}][&format=ndjson|csv][&since=exp_…]`
 *   starts an export and streams it; the response's `X-Export-Id` names it.
 * - `GET /export?resume=exp_…&records=N&sha256=…` sends the rest after the N
 *   whole records the consumer holds (whose SHA-256 with the header it gives).
 * - `GET /export/manifest?id=exp_…` the manifest of the export's last delivery,
 *   to the consumer that made it and to the providing department.
 *
 * Everything is decided before the first byte is sent (see `planExport`): a
 * refusal is a JSON error with its code and the request id.
 */
export function exportRoutes(options: ExportRouteOptions): Record<string, Route> {
  return {
    '/export': (req, res) => serveExport(options, req, res),
    '/export/manifest': (req, res) => serveManifest(options, req, res),
  };
}

/**
 * An incremental export is refused while the dataset's table holds columns its
 * entry does not describe (see `undescribedColumns`): the binding check refused
 * them when the entry was published, but a table can gain columns since. The
 * consumer is told why, not which columns (their names are the provider's
 * business); the operator's log names them.
 */
async function refuseUndescribedColumns(
  options: ExportRouteOptions,
  table: DatasetTable,
): Promise<void> {
  const { entry } = table;
  const columns = undescribedColumns(await describeTable(options.db, entry.binding.table), entry);
  if (columns.length === 0) return;
  options.logger?.warn(
    { dataset: entry.code, columns },
    `incremental export of ${entry.code} refused: ${undescribedColumnsMessage(columns)}`,
  );
  throw forbidden(
    `${entry.code}'s table holds data its catalogue entry does not describe, and a record's change time moves when that data changes too, ` +
      `so an incremental export would tell you when it changed. Export it whole, without since; incremental exports open again once ${entry.department} describes that data or binds a table without it.`,
  );
}

async function serveExport(
  options: ExportRouteOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const startedAt = Date.now();
  const subgraph = options.subgraph();
  const platformDb = options.policies.db;
  let identity: RequestIdentity | null = null;
  let table: DatasetTable | null = null;
  let record: ExportRecord | null = null;
  let sent = 0;
  const audit = (outcome: Delivered | { refused: unknown }) =>
    options.audit.record([
      exportAuditEntry(identity!, subgraph.name, table!, Date.now() - startedAt, outcome),
    ]);
  try {
    ({ identity } = await authenticateGatewayGet(req, subgraph.name, options.gatewayKey));
    const request = parseExportRequest(new URL(req.url ?? '/', 'http://localhost').searchParams);
    const department = identity.caller?.department ?? '';
    const access = new RequestAccess(identity, options.policies.snapshot, platformDb, {
      ...options.settings,
      catalogue: options.catalogue(),
    });
    let held: HeldPart | null = null;
    if (request.kind === 'start') {
      table = datasetTable(subgraph, request.dataset);
      const since = request.since
        ? changedSinceOf(table, await selectExport(platformDb, request.since), department)
        : null;
      if (since !== null) await refuseUndescribedColumns(options, table);
      const plan = planExport(access, table, request, since);
      record = {
        id: `exp_${randomUUID()}`,
        consumerDepartment: department,
        consumerApplication: identity.caller?.application ?? null,
        datasetCode: table.entry.code,
        providerDepartment: table.entry.department,
        plan,
        startedAt: new Date().toISOString(),
        completedAt: null,
        charged: 0,
        manifest: null,
      };
      await insertExport(platformDb, record);
    } else {
      const found = await selectExport(platformDb, request.exportId);
      // Another department's export id is not found: that it exists tells nothing.
      if (!found || found.consumerDepartment !== department || !ownDataset(subgraph, found)) {
        throw notFound(
          `No export ${request.exportId} of your department is here; start one with dataset=….`,
        );
      }
      table = datasetTable(subgraph, found.datasetCode);
      // The subgraph cannot know what reached the consumer, so even a completed export
      // resumes — for a while: after that its id opens nothing, and a new export is decided anew.
      if (Date.parse(found.startedAt) + RESUMABLE_MS < Date.now()) {
        throw conflict(
          `Export ${found.id} started more than ${RESUMABLE_MS / 3_600_000} hours ago and can no longer be resumed; start a new export, or an incremental one with since=${found.id}.`,
          { exportId: found.id },
        );
      }
      if (found.plan.changedSince !== null) await refuseUndescribedColumns(options, table);
      // Decided again now: a grant revoked, expired or narrowed since stops the rest.
      const plan = planExport(access, table, found.plan, found.plan.changedSince);
      if (!samePlan(plan, found.plan)) {
        throw conflict(
          `The grants export ${found.id} ran under have changed since it started (items, masks, row filters or grants); start a new export.`,
          { exportId: found.id },
        );
      }
      record = found;
      held = { records: request.records, sha256: request.sha256 };
    }
    const exporting = table;
    const order: PageOrder = access.probing(exporting, 'EXPORT')
      ? { by: 'keyed hash', salt: new Cursors(options.sealer, department).orderSalt(exporting) }
      : { by: 'key' };
    const output = responseOutput(
      res,
      new ExportEncoder(record.plan.format, record.plan.items).contentType,
      record.id,
      held?.records ?? 0,
    );
    const delivery = await deliverExport({
      db: options.db,
      platformDb,
      access,
      table: exporting,
      plan: record.plan,
      record,
      order,
      held,
      output: {
        total: (records) => output.total(records),
        async write(text, records) {
          // Write-ahead: a page's records are in the audit trail before they leave, so records
          // a consumer received are never without one, even if this process dies mid-export.
          if (records > 0) {
            await audit({
              exportId: record!.id,
              plan: record!.plan,
              sent: records,
              stoppedBecause: null,
              manifest: null,
            });
          }
          await output.write(text, records);
          sent += records;
        },
      },
    });
    const complete = delivery.stoppedBecause === null;
    const manifest: ExportManifest = {
      exportId: record.id,
      ...record.plan,
      records: delivery.records,
      bytes: delivery.bytes,
      sha256: delivery.sha256,
      complete,
      stoppedBecause: delivery.stoppedBecause,
      startedAt: record.startedAt,
      completedAt: complete ? new Date().toISOString() : null,
    };
    await updateExportManifest(platformDb, record.id, manifest);
    // Its end, with the manifest, durable before the last byte leaves (its records are counted
    // in the pages' own records).
    await audit({
      exportId: record.id,
      plan: record.plan,
      sent: 0,
      stoppedBecause: null,
      manifest,
    });
    res.end();
  } catch (error) {
    if (identity && table) {
      const outcome =
        record && (sent > 0 || error instanceof ConnectionLost)
          ? {
              exportId: record.id,
              plan: record.plan,
              // Every page sent has its record already; this one says where it stopped.
              sent: 0,
              stoppedBecause: 'CONNECTION_LOST',
              manifest: null,
            }
          : { refused: error };
      await audit(outcome).catch((failure: unknown) =>
        options.logger?.error({ err: failure }, 'export audit record not written'),
      );
    }
    if (!res.headersSent) {
      sendError(res, error, identity?.requestId ?? null, options.logger);
      return;
    }
    res.destroy();
    if (!(error instanceof ConnectionLost)) {
      options.logger?.error(
        { err: error, requestId: identity?.requestId },
        'export failed mid-way',
      );
    }
  }
}

async function serveManifest(
  options: ExportRouteOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let requestId: string | null = null;
  try {
    const subgraph = options.subgraph();
    const { identity } = await authenticateGatewayGet(req, subgraph.name, options.gatewayKey);
    requestId = identity.requestId;
    const id = new URL(req.url ?? '/', 'http://localhost').searchParams.get('id') ?? '';
    const department = identity.caller?.department ?? '';
    const found = /^exp_[0-9a-f-]{36}$/.test(id)
      ? await selectExport(options.policies.db, id)
      : undefined;
    const mayRead =
      found &&
      ownDataset(subgraph, found) &&
      (found.consumerDepartment === department || found.providerDepartment === department);
    if (!mayRead) throw notFound(`No export ${id} of your department is here.`);
    if (!found.manifest) {
      throw conflict(
        `Export ${id} has not finished a delivery yet; resume it, then read its manifest.`,
        {
          exportId: id,
        },
      );
    }
    sendJson(res, 200, found.manifest);
  } catch (error) {
    sendError(res, error, requestId, options.logger);
  }
}

function datasetTable(subgraph: DepartmentSubgraph, code: string): DatasetTable {
  const dataset = subgraph.model.datasets.find((d) => d.table.entry.code === code);
  if (!dataset)
    throw notFound(
      `${code} is not a dataset of ${subgraph.name}; see the catalogue for dataset codes.`,
    );
  return dataset.table;
}

function ownDataset(subgraph: DepartmentSubgraph, record: ExportRecord): boolean {
  return subgraph.model.datasets.some((d) => d.table.entry.code === record.datasetCode);
}

/**
 * Writes to the HTTP response with backpressure: the headers (status 200,
 * the export's id, where the records start) with the first write, then each
 * chunk, waiting for the socket to drain; rejects with ConnectionLost once the
 * consumer has gone.
 */
function responseOutput(
  res: ServerResponse,
  contentType: string,
  exportId: string,
  resumedAfter: number,
): ExportOutput {
  // The count goes out with the first records, never before: an export refused before any
  // record (a quota already spent) must not answer how many records a filter matches.
  let total: number | null = null;
  return {
    total(records) {
      total = records;
    },
    async write(text) {
      if (res.destroyed || res.writableEnded) throw new ConnectionLost();
      if (!res.headersSent) {
        res.writeHead(200, {
          'content-type': contentType,
          'cache-control': 'no-store',
          'x-export-id': exportId,
          'x-export-resumed-after': String(resumedAfter),
          ...(total === null ? {} : { 'x-export-total': String(total) }),
        });
      }
      if (text === '' || res.write(text)) return;
      await new Promise<void>((resolve, reject) => {
        const drained = () => {
          res.off('close', closed);
          resolve();
        };
        const closed = () => {
          res.off('drain', drained);
          reject(new ConnectionLost());
        };
        res.once('drain', drained);
        res.once('close', closed);
      });
    },
  };
}
