import { catalogueEntrySchema } from '../../../schema/index.ts';
import type { Grant } from '../../../server/index.ts';
import { datasetNames } from '../../kit/naming.ts';
import type { EntryVersion } from '../catalogue/index.ts';
import type { ErrorReport, GrantChange, SharingApplication } from '../store/index.ts';
import { today, type PlatformContext } from './PlatformContext.ts';

/** A catalogue entry version as the API shows it. */
export function entryView(ctx: PlatformContext, version: EntryVersion) {
  const catalogue = ctx.catalogue.catalogue;
  const entry = catalogueEntrySchema.parse(version.document);
  const resolved = version.status === 'PUBLISHED' ? catalogue.entry(version.code) : undefined;
  const names = resolved ? datasetNames(resolved) : null;
  return {
    ...version,
    name: entry.name,
    summary: entry.summary,
    classification: entry.classification,
    theme: entry.theme,
    format: entry.format,
    updateCycle: entry.updateCycle,
    publishedOn: entry.publishedOn,
    related: entry.related,
    sharingType: entry.sharing.type,
    sharingConditions: entry.sharing.conditions,
    legalBasis: entry.sharing.legalBasis,
    sharingModes: entry.sharing.modes,
    openData: entry.sharing.openData,
    items: entry.items.map((item) => {
      const known = resolved?.items.find((i) => i.name === item.name);
      return {
        ...item,
        authoritative: known?.authoritative ?? (item.references ? false : item.authoritative),
        source: known?.source ?? item.source ?? null,
        references: item.references?.type ?? null,
        isKey: entry.binding.key.includes(item.name),
      };
    }),
    servedBy: names
      ? {
          subgraph: version.department,
          type: names.type,
          lookupField: names.lookup,
          listField: names.list,
        }
      : null,
    document: JSON.stringify(version.document),
    overdue:
      (version.status === 'DRAFT' || version.status === 'REJECTED') &&
      version.deadline < today(ctx),
  };
}

export function applicationView(ctx: PlatformContext, application: SharingApplication) {
  return {
    ...application,
    dataset: application.datasetCode,
    overdue: application.status === 'SUBMITTED' && application.deadline < today(ctx),
  };
}

export function grantView(grant: Grant) {
  return {
    ...grant,
    dataset: grant.datasetCode,
    masks: Object.entries(grant.masks).map(([item, mask]) => ({ item, ...mask })),
    rowFilter: Object.entries(grant.rowFilter ?? {}).map(([item, condition]) => ({
      item,
      eq: condition.eq === undefined ? null : String(condition.eq),
      startsWith: condition.startsWith ?? null,
    })),
  };
}

export function grantChangeView(change: GrantChange) {
  return {
    ...change,
    id: String(change.id),
    before: change.before ? JSON.stringify(change.before) : null,
    after: change.after ? JSON.stringify(change.after) : null,
  };
}

export function errorReportView(ctx: PlatformContext, report: ErrorReport) {
  return {
    ...report,
    dataset: report.datasetCode,
    overdue: report.status === 'OPEN' && report.deadline < today(ctx),
  };
}
