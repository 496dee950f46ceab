import {
  badUserInput,
  forbidden,
  keyItems,
  notFound,
  type CatalogueEntry,
} from '../../../schema/index.ts';
import { givenUnmasked } from '../services/givenUnmasked.ts';
import type { AuditDecision, PlatformLink } from '../../../server/index.ts';
import { askOwnerPlatform, linkedPlatformFor, ownerRefusal } from './askOwnerPlatform.ts';
import { JoinHandles } from '../../kit/handles/index.ts';
import { datasetNames } from '../../kit/naming.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';
import { selectLinkedEntry } from './linkedEntryQueries.ts';

/** Most records one cross-level read returns (the owner's page size bounds it too). */
const MAX_RECORDS = 50;
const MAX_ITEMS = 50;
const ITEM_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
/** What a grant id looks like (as the gateway checks X-Grant-Id). */
const GRANT_ID = /^[A-Za-z0-9._:-]{1,40}$/;

export interface OtherLevelArgs {
  platform: string;
  dataset: string;
  items: string[];
  grant?: string | null;
}

export interface OtherLevelRecords {
  platform: string;
  dataset: string;
  correlationId: string;
  records: { values: { item: string; value: string | null }[] }[];
}

/**
 * Reads dataset `args.dataset` of linked platform `args.platform` about the
 * `type` entity behind `joinHandle`, for the caller.
 *
 * The join: both levels key an entity by the same national identifier (a
 * person by the resident ID number, an enterprise by the credit code). This
 * subgraph opens this platform's join handle (with this platform's join key,
 * which never leaves it) and sends the owner the identifier itself, as a
 * filter on the owner's item that refers to that entity, in an ordinary query
 * against the owner's own gateway. So the owner decides the read as it decides
 * any: the consumer's grants there, its masks, row filters and quotas, and
 * filtering on the identifier only if those grants show it unmasked — the
 * consumer learns nothing of the record it could not read there. No join key
 * and no handle crosses: handles are sealed per platform and per request.
 *
 * The request is signed with this platform's link key for the owner, bound to
 * its body, used once, and carries the correlation id both audit trails record
 * the access under (this platform's request id). This platform records its
 * part (who asked, which dataset of which platform, what came back) before the
 * answer leaves.
 */
export async function readOtherLevel(
  type: string,
  joinHandle: unknown,
  args: OtherLevelArgs,
  ctx: CrossLevelContext,
): Promise<OtherLevelRecords> {
  const { caller, own, link } = await linkedPlatformFor(ctx, args.platform);
  if (args.grant != null && !GRANT_ID.test(args.grant)) {
    throw badUserInput(
      'grant is not a grant id; grants you hold are listed by the owner platform.',
      'grant',
    );
  }
  const key = new JoinHandles(ctx.sealer, ctx.identity.requestId).open(type, joinHandle);
  if (typeof key !== 'string') {
    throw badUserInput(
      `${type} has a composite key; only single national identifiers cross levels.`,
    );
  }
  const linked = await selectLinkedEntry(ctx.db, link.code, args.dataset);
  if (!linked) {
    throw notFound(
      `${link.code} publishes no dataset ${args.dataset}; search the directory for its datasets.`,
    );
  }
  const entry = linked.entry;
  const joinItem = joinItemOf(entry, type);
  const items = checkedItems(entry, args.items);
  await requireKeyGiven(ctx, caller.department, type, entry, joinItem, items);
  const correlationId = ctx.identity.requestId;
  const started = Date.now();
  const answer = await askOwnerPlatform<
    Record<string, { nodes?: (Record<string, unknown> | null)[] } | null>
  >(
    ctx,
    { caller, own, link },
    { query: ownerQuery(entry, joinItem, items), variables: { key } },
    args.grant ?? ctx.identity.grantId,
  );
  const nodes = answer.data?.[datasetNames(entry).list]?.nodes ?? null;
  const refusal = answer.errors?.[0] ?? (nodes === null ? { message: 'no answer' } : null);
  await recordConsumerSide(ctx, link, entry, items, {
    decision: refusal ? 'DENIED' : 'ALLOWED',
    // The audit keeps a reason code; the owner's trail has the owner's whole reason.
    reason: refusal ? (refusal.extensions?.code ?? 'NO_ANSWER').slice(0, 32) : null,
    records: nodes?.length ?? 0,
    latencyMs: Date.now() - started,
    grantId: args.grant ?? ctx.identity.grantId,
  });
  if (refusal) throw ownerRefusal(link, { dataset: args.dataset }, refusal);
  return {
    platform: link.code,
    dataset: entry.code,
    correlationId,
    records: nodes!
      .filter((n): n is Record<string, unknown> => n !== null)
      .map((n) => ({ values: items.map((item) => ({ item, value: text(n[item]) })) })),
  };
}

/**
 * A cross-level read matches the other level's records to this entity's key,
 * as a join does here, and like a join it needs no more than the entity: what
 * the other level holds about it may come back. But not the key itself, nor
 * an item that copies or carries it, unless the caller is given the key (with
 * every fact it carries) unmasked here — else a department whose grant
 * conceals an ID number learns it whole from any level that shows its copy.
 */
async function requireKeyGiven(
  ctx: CrossLevelContext,
  department: string,
  type: string,
  owner: CatalogueEntry,
  joinItem: string,
  items: readonly string[],
): Promise<void> {
  const matched = owner.items.find((i) => i.name === joinItem);
  const revealing = items.filter((name) => {
    const item = owner.items.find((i) => i.name === name);
    return (
      name === joinItem ||
      (item?.embeds?.items.includes(joinItem) ?? false) ||
      (item?.source !== undefined && item.source === matched?.source)
    );
  });
  if (revealing.length === 0) return;
  const home = ctx.catalogue().entries.find((e) => e.binding.type === type);
  const key = home ? keyItems(home)[0] : undefined;
  const given =
    home && key
      ? await givenUnmasked(
          ctx.db,
          department,
          home,
          [key.name, ...(key.embeds?.items ?? [])],
          new Date(),
        )
      : [];
  if (given === 'FREELY' || given.length > 0) return;
  throw forbidden(
    `${revealing.join(', ')} of ${owner.code} would show ${type}'s ${key?.name ?? 'key'}, which ${department} is not given unmasked${home ? ` in ${home.code}` : ''} here; ask for the other items, or apply for it unmasked here first.`,
    `${key?.name ?? 'the key'} unmasked`,
  );
}

/** The owner's item the entity's identifier is matched on: its key, or the item that refers to it. */
function joinItemOf(entry: CatalogueEntry, type: string): string {
  if (entry.binding.type === type) {
    const keys = keyItems(entry);
    if (keys.length === 1) return keys[0]!.name;
  }
  const referring = entry.items.find((i) => i.references?.type === type);
  if (!referring) {
    throw badUserInput(
      `${entry.code} has no item that refers to a ${type}; choose a dataset about ${type}.`,
      'dataset',
    );
  }
  return referring.name;
}

function checkedItems(entry: CatalogueEntry, items: readonly string[]): string[] {
  if (items.length === 0 || items.length > MAX_ITEMS) {
    throw badUserInput(`Ask for 1 to ${MAX_ITEMS} items.`, 'items');
  }
  for (const item of items) {
    if (!ITEM_NAME.test(item) || !entry.items.some((i) => i.name === item)) {
      throw badUserInput(
        `${entry.code} has no item of that name; its items are in the directory.`,
        'items',
      );
    }
  }
  return [...new Set(items)];
}

/** The query the owner's gateway runs: its own list field, filtered on the identifier. Names are checked items. */
function ownerQuery(entry: CatalogueEntry, joinItem: string, items: readonly string[]): string {
  const names = datasetNames(entry);
  return `query CrossLevelRead($key: String!) { ${names.list}(filter: { ${joinItem}: { eq: $key } }, first: ${MAX_RECORDS}) { nodes { ${items.join(' ')} } } }`;
}

async function recordConsumerSide(
  ctx: CrossLevelContext,
  link: PlatformLink,
  entry: CatalogueEntry,
  items: readonly string[],
  outcome: {
    decision: AuditDecision;
    reason: string | null;
    records: number;
    latencyMs: number;
    grantId: string | null;
  },
): Promise<void> {
  const { identity } = ctx;
  await ctx.audit.record([
    {
      at: new Date().toISOString(),
      kind: 'ACCESS',
      requestId: identity.requestId,
      correlationId: identity.requestId,
      subgraph: 'crosslevel',
      consumerDepartment: identity.caller?.department ?? null,
      consumerApplication: identity.caller?.application ?? null,
      userId: identity.caller?.user ?? null,
      purpose: identity.purpose,
      grantId: outcome.grantId,
      datasetCode: `${link.code}:${entry.code}`,
      providerDepartment: `${link.code}:${entry.department}`,
      itemsReturned: outcome.decision === 'DENIED' ? [] : [...items],
      itemsMasked: [],
      itemsDenied: outcome.decision === 'DENIED' ? [...items] : [],
      recordCount: outcome.records,
      verifications: 0,
      verifiedItems: [],
      verificationsMatched: 0,
      decision: outcome.decision,
      reason: outcome.reason,
      operationName: identity.operationName,
      operationHash: null,
      latencyMs: outcome.latencyMs,
    },
  ]);
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
