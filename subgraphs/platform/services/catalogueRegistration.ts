import {
  assembleCatalogue,
  badUserInput,
  CatalogueError,
  catalogueEntrySchema,
  conflict,
  forbidden,
  isCalendarDate,
  notFound,
  parseEntryText,
  type Catalogue,
} from '../../../schema/index.ts';
import { deleteDatasetPolicy, inTransaction, upsertDatasetPolicy } from '../../../server/index.ts';
import {
  actorFor,
  actorOf,
  callerOf,
  hasRole,
  sameActor,
  today,
  type PlatformContext,
} from '../api/PlatformContext.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import {
  insertEntryVersion,
  REGISTRATION_WORKING_DAYS,
  selectEntryVersion,
  selectEntryVersions,
  transitionEntry,
  type EntryVersion,
} from '../catalogue/index.ts';
import { departmentInputs, departmentTypeDefs } from '../../kit/index.ts';
import {
  checkAuthorityAcrossLevels,
  CROSS_LEVEL_SUBGRAPH,
  crossLevelEntityTypes,
  crossLevelTypeDefs,
} from '../links/index.ts';
import { checkBindingAgainstDatabase, listTables } from '../../kit/introspection/index.ts';
import { undeclaredCopiesIn, undeclaredCopiesOf, type UndeclaredCopy } from './undeclaredCopies.ts';
import {
  checkSubgraphs,
  selectCurrentSubgraphs,
  type SubgraphCandidate,
  type SubgraphVersion,
} from '../registry/index.ts';
import { requireReason } from './grantAdministration.ts';
import { actsFor } from './serviceUnits.ts';
import { sharingWidening } from './sharingWidening.ts';

/**
 * DEPT_IT saves a new or changed entry of its own department as a draft. The
 * document is a catalogue file's content (YAML or JSON) and is checked against
 * the file schema now, so a draft is always a well-formed entry; its fit with
 * the rest of the catalogue is checked on submission.
 */
export async function saveDraft(
  ctx: PlatformContext,
  text: string,
  changeReason: string,
  triggerDate: string,
): Promise<EntryVersion> {
  const caller = callerOf(ctx);
  if (text.length > 1_000_000) throw badUserInput('document is larger than 1 MB.', 'document');
  const { data, problems } = parseEntryText('document', text);
  const parsed = data === undefined ? undefined : catalogueEntrySchema.safeParse(data);
  if (!parsed?.success) {
    const issues =
      parsed?.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`) ?? [];
    throw badUserInput(
      `The document is not a valid catalogue entry:\n- ${[...problems.map((p) => p.message), ...issues].join('\n- ')}`,
      'document',
    );
  }
  const entry = parsed.data;
  // The department itself, or a technical service unit it authorizes to catalogue for it.
  if (!(await actsFor(ctx, entry.department, 'CATALOGUING'))) {
    throw forbidden(
      `You are DEPT_IT of ${caller.department}; ${entry.code} is registered by ${entry.department}. A department registers only its own datasets (or a unit it authorizes to catalogue for it).`,
      `DEPT_IT of ${entry.department}`,
    );
  }
  const published = ctx.catalogue.catalogue.entry(entry.code);
  if (published && published.department !== entry.department) {
    throw conflict(
      `Resource code ${entry.code} belongs to ${published.department}; choose another code.`,
    );
  }
  if (!isCalendarDate(triggerDate)) {
    throw badUserInput('triggerDate must be the day of the change, as YYYY-MM-DD.', 'triggerDate');
  }
  const reason = requireReason(changeReason, 'changeReason');
  // One number, one source across levels: refused now, not at submission.
  await checkAuthorityAcrossLevels(ctx.db, ctx.catalogue.catalogue, entry.code, data);
  const calendar = await loadWorkingCalendar(ctx.db);
  const versions = await selectEntryVersions(ctx.db, entry.code);
  const owner = versions.find((v) => v.department !== entry.department);
  if (owner) {
    throw conflict(
      `Resource code ${entry.code} belongs to ${owner.department}; choose another code.`,
    );
  }
  const draft = versions.find((v) => v.status === 'DRAFT');
  const now = ctx.now.toISOString();
  const version: EntryVersion = {
    code: entry.code,
    version: draft?.version ?? (versions.at(-1)?.version ?? 0) + 1,
    department: entry.department,
    status: 'DRAFT',
    document: data,
    warnings: [],
    changeReason: reason,
    triggerDate,
    deadline: calendar.addWorkingDays(triggerDate, REGISTRATION_WORKING_DAYS),
    createdBy: actorFor(ctx, entry.department),
    createdAt: now,
    submittedBy: null,
    submittedAt: null,
    reviewedBy: null,
    reviewedAt: null,
    reviewReason: null,
    updatedAt: now,
  };
  await inTransaction(ctx.db, async (trx) => {
    if (draft)
      await trx('catalogue_entries').where({ code: entry.code, version: draft.version }).delete();
    await insertEntryVersion(trx, version);
  });
  return version;
}

/**
 * DEPT_IT submits its draft; it must fit the published catalogue (same rules as
 * files, so no `TODO` placeholder may be left) and its binding the
 * department's own database.
 */
export async function submitEntry(
  ctx: PlatformContext,
  code: string,
  version: number,
): Promise<EntryVersion> {
  const entry = await ownVersion(ctx, code, version);
  if (entry.status !== 'DRAFT') throw wrongState(entry, 'submitted', ['DRAFT']);
  const { warnings, catalogue } = checkAgainstCatalogue(ctx, entry);
  warnings.push(
    ...(await checkAuthorityAcrossLevels(ctx.db, ctx.catalogue.catalogue, code, entry.document)),
  );
  await checkBinding(ctx, entry);
  await checkDeclaredCopies(ctx, catalogue, entry);
  warnings.push(...(await copiesOfThisKey(ctx, catalogue, entry)));
  const moved = await transitionEntry(ctx.db, code, version, ['DRAFT'], {
    to: 'SUBMITTED',
    at: ctx.now.toISOString(),
    by: actorFor(ctx, entry.department),
    warnings,
  });
  if (!moved) throw wrongState(entry, 'submitted', ['DRAFT']);
  return (await selectEntryVersion(ctx.db, code, version))!;
}

/**
 * A reviewer publishes a submitted version: it is checked again against the
 * catalogue and the department's database as they are now, replaces the previous published version, and its
 * sharing decision comes into force. Subgraphs pick it up within seconds.
 */
export async function publishEntry(
  ctx: PlatformContext,
  code: string,
  version: number,
): Promise<EntryVersion> {
  const entry = await anyVersion(ctx, code, version);
  if (entry.status !== 'SUBMITTED') throw wrongState(entry, 'published', ['SUBMITTED']);
  const by = actorOf(ctx);
  const maker = [entry.createdBy, entry.submittedBy].find((who) => sameActor(who, by));
  if (maker !== undefined) {
    throw forbidden(
      `${by} drafted or submitted ${code} v${version}, so cannot also publish it: another reviewer must.`,
      'a reviewer other than its author',
    );
  }
  const { catalogue } = checkAgainstCatalogue(ctx, entry);
  // A linked platform may have published a claim on the element since the submission.
  await checkAuthorityAcrossLevels(ctx.db, ctx.catalogue.catalogue, code, entry.document);
  await checkBinding(ctx, entry);
  await checkDeclaredCopies(ctx, catalogue, entry);
  await checkDepartmentSubgraph(ctx, catalogue, entry);
  const parsed = catalogueEntrySchema.parse(entry.document);
  const at = ctx.now.toISOString();
  await inTransaction(ctx.db, async (trx) => {
    await trx('catalogue_entries')
      .where({ code, status: 'PUBLISHED' })
      .update({ status: 'SUPERSEDED', updated_at: at });
    if (!(await transitionEntry(trx, code, version, ['SUBMITTED'], { to: 'PUBLISHED', at, by }))) {
      throw wrongState(entry, 'published', ['SUBMITTED']);
    }
    await upsertDatasetPolicy(
      trx,
      {
        code,
        department: parsed.department,
        sharingType: parsed.sharing.type,
        modes: parsed.sharing.modes,
      },
      by,
    );
  });
  await ctx.catalogue.reload();
  return (await selectEntryVersion(ctx.db, code, version))!;
}

/** A reviewer rejects a submitted version, and must say why. */
export async function rejectEntry(
  ctx: PlatformContext,
  code: string,
  version: number,
  reason: string,
): Promise<EntryVersion> {
  const why = requireReason(reason);
  const entry = await anyVersion(ctx, code, version);
  const moved = await transitionEntry(ctx.db, code, version, ['SUBMITTED'], {
    to: 'REJECTED',
    at: ctx.now.toISOString(),
    by: actorOf(ctx),
    reason: why,
  });
  if (!moved) throw wrongState(entry, 'rejected', ['SUBMITTED']);
  return (await selectEntryVersion(ctx.db, code, version))!;
}

/**
 * Retires a published entry: the dataset leaves the catalogue and its
 * subgraph. Refused while other published entries depend on it.
 */
export async function retireEntry(
  ctx: PlatformContext,
  code: string,
  reason: string,
): Promise<EntryVersion> {
  const why = requireReason(reason);
  const versions = await selectEntryVersions(ctx.db, code);
  const published = versions.find((v) => v.status === 'PUBLISHED');
  if (!published) throw notFound(`${code} has no published version to retire.`);
  const catalogue = ctx.catalogue.catalogue;
  try {
    assembleWithout(catalogue, code);
  } catch (error) {
    if (error instanceof CatalogueError) {
      throw conflict(
        `${code} cannot be retired while other entries depend on it:\n- ${error.problems.map((p) => `${p.file}: ${p.message}`).join('\n- ')}`,
      );
    }
    throw error;
  }
  await inTransaction(ctx.db, async (trx) => {
    if (
      !(await transitionEntry(trx, code, published.version, ['PUBLISHED'], {
        to: 'RETIRED',
        at: ctx.now.toISOString(),
        by: actorOf(ctx),
        reason: why,
      }))
    ) {
      throw wrongState(published, 'retired', ['PUBLISHED']);
    }
    await deleteDatasetPolicy(trx, code);
  });
  await ctx.catalogue.reload();
  return (await selectEntryVersion(ctx.db, code, published.version))!;
}

/**
 * A version of an entry, if it is published or the caller may manage its
 * department's entries (its DEPT_IT, reviewers, admins); null otherwise, as for
 * a version that does not exist: that a department is preparing a new version
 * is its own business until it is published (`catalogueEntryVersions` lists
 * such versions to the same callers only).
 */
export async function visibleVersion(
  ctx: PlatformContext,
  code: string,
  version: number,
): Promise<EntryVersion | null> {
  const entry = await selectEntryVersion(ctx.db, code, version);
  if (!entry) return null;
  return entry.status === 'PUBLISHED' || mayManage(ctx, entry.department) ? entry : null;
}

export function mayManage(ctx: PlatformContext, department: string): boolean {
  return (
    hasRole(ctx, 'REVIEWER', 'ADMIN') ||
    (hasRole(ctx, 'DEPT_IT') && ctx.identity.caller?.department === department)
  );
}

/** Whether a version's change is still unregistered after its deadline. */
export function isOverdue(ctx: PlatformContext, entry: EntryVersion): boolean {
  return (entry.status === 'DRAFT' || entry.status === 'REJECTED') && entry.deadline < today(ctx);
}

/**
 * The candidate, put in place of its code's published version, must leave a
 * valid catalogue. Returns warnings for the reviewer: items that collect again
 * a one-source data element another item provides, with the law stated for it.
 */
function checkAgainstCatalogue(
  ctx: PlatformContext,
  candidate: EntryVersion,
): { warnings: string[]; catalogue: Catalogue } {
  const catalogue = ctx.catalogue.catalogue;
  const source = `${candidate.code}@v${candidate.version}`;
  let candidateCatalogue: Catalogue;
  try {
    candidateCatalogue = assembleCatalogue(catalogue.departments, [
      ...catalogue.entries
        .filter((e) => e.code !== candidate.code)
        .map((e) => ({ source: `${e.code} (published)`, data: catalogue.source(e.code) })),
      { source, data: candidate.document },
    ]);
  } catch (error) {
    if (error instanceof CatalogueError) {
      // The published entries fitted before: a conflict of the candidate's with one of theirs is
      // reported from both sides, and the candidate's side is the one its department can act on.
      const own = error.problems.filter((p) => p.file === source);
      const problems = (own.length > 0 ? own : error.problems).map(
        (p) => `${p.file}: ${p.field}: ${p.message}`,
      );
      throw badUserInput(
        `${candidate.code} does not fit the catalogue:\n- ${problems.join('\n- ')}`,
        'document',
      );
    }
    throw error;
  }
  // The catalogue already refused an authoritative item of a one-source element
  // another item provides (decided on elements, not titles); what is left for
  // the reviewer is each item collected again under a stated law.
  const warnings = (candidateCatalogue.entry(candidate.code)?.items ?? [])
    .filter((item) => item.collectionBasis && item.source)
    .map((item) => {
      const [code = ''] = item.source!.split('.');
      const provider = candidateCatalogue.entry(code)?.department ?? code;
      return (
        `item ${item.name} collects ${item.element} again, which ${provider} provides in ${item.source}; ` +
        `the stated basis: ${item.collectionBasis}. The measures forbid collecting again what can be shared unless a law requires it: check the basis before publishing.`
      );
    });
  warnings.push(
    ...sharingWidening(catalogue.entry(candidate.code), candidateCatalogue.entry(candidate.code)!),
  );
  return { warnings, catalogue: candidateCatalogue };
}

/**
 * The entry's binding must name a plain table and columns of its department's
 * own database, with fitting types and a unique key, and no table of the
 * platform database (see `checkBindingAgainstDatabase`); otherwise the step is
 * refused with BAD_USER_INPUT naming each field. Run at submission and again at
 * publication, since the table may change in between.
 */
async function checkBinding(ctx: PlatformContext, entry: EntryVersion): Promise<void> {
  const parsed = catalogueEntrySchema.parse(entry.document);
  const db = ctx.departmentDatabases.get(parsed.department);
  if (!db) {
    throw conflict(
      `The platform has no connection to ${parsed.department}'s database, so the binding of ${entry.code} cannot be checked. Nothing was changed; ask the platform's operators to serve the department here.`,
    );
  }
  const problems = await checkBindingAgainstDatabase(db, parsed, await listTables(ctx.db));
  if (problems.length === 0) return;
  throw badUserInput(
    `The binding of ${entry.code} v${entry.version} does not fit ${parsed.department}'s database:\n- ${problems.map((p) => `${p.field}: ${p.message}`).join('\n- ')}\nFix the draft (or the table) and try again. Nothing was changed.`,
    'document',
  );
}

/**
 * The entry's data must bear out its declarations: an item whose values are
 * another of the department's datasets' identifiers, or carry them, without
 * declaring that `source`, is refused (see `undeclaredCopiesIn`), since it
 * would publish that identifier under this entry's sharing instead of the
 * source's. Run after `checkBinding`, which makes sure the tables and columns
 * are there; at submission and again at publication, as the data may change.
 */
async function checkDeclaredCopies(
  ctx: PlatformContext,
  catalogue: Catalogue,
  entry: EntryVersion,
): Promise<void> {
  const candidate = catalogue.entry(entry.code)!;
  const db = ctx.departmentDatabases.get(candidate.department)!;
  const own = await undeclaredCopiesIn(db, catalogue, candidate);
  if (own.length > 0) {
    throw badUserInput(
      `${entry.code} v${entry.version} holds another dataset's identifiers without saying so:\n- ${own.map(describeOwnCopy).join('\n- ')}\nNothing was changed.`,
      'document',
    );
  }
}

/**
 * Warnings for the reviewer, at submission: other published entries found
 * holding this entry's identifiers undeclared (see `undeclaredCopiesOf`). Those
 * entries must change, not this one.
 */
async function copiesOfThisKey(
  ctx: PlatformContext,
  catalogue: Catalogue,
  entry: EntryVersion,
): Promise<string[]> {
  const candidate = catalogue.entry(entry.code)!;
  const db = ctx.departmentDatabases.get(candidate.department)!;
  const previous = ctx.catalogue.catalogue.entry(entry.code);
  return (await undeclaredCopiesOf(db, catalogue, candidate, previous)).map(
    (c) =>
      `${c.entry.code}.${c.item.name} (published) ${c.kind === 'copy' ? 'holds' : 'contains'} values of this entry's key ${c.sourceItem.name} (${c.matched} of ${c.sampled} sampled) without declaring it: ` +
      `it serves them under ${c.entry.code}'s sharing, not this entry's. Ask ${c.entry.department} to declare source: ${c.source.code}.${c.sourceItem.name} in ${c.entry.code}, or to stop serving them.`,
  );
}

function describeOwnCopy(c: UndeclaredCopy): string {
  const whose = `${c.source.code}.${c.sourceItem.name}, the key of another of ${c.source.department}'s datasets`;
  return c.kind === 'copy'
    ? `items[${c.index}].source: ${c.matched} of ${c.sampled} sampled values of ${c.item.name} are values of ${whose}, and the item declares no source. ` +
        `One number, one source: declare it a copy (authoritative: false, source: ${c.source.code}.${c.sourceItem.name}) so that it is served no more openly than there, or leave the item out.`
    : `items[${c.index}].column: ${c.matched} of ${c.sampled} sampled values of ${c.item.name} contain a value of ${whose}. ` +
        `Whoever reads ${c.item.name} would read that number under ${c.entry.code}'s sharing, not ${c.source.code}'s: serve values that do not contain it, or leave the item out.`;
}

/**
 * Publishing an entry changes its department's subgraph — and, through a key
 * others refer to or a new entity type, other departments' and the cross-level
 * one — which the platform then publishes to the registry as one step (see
 * `publishSubgraphs`). The same set is checked first, so a catalogue change
 * that does not compose, or that breaks what a consumer uses (a granted or
 * recently read field), is refused here, before any subgraph serves it; and
 * the supergraph composed here is the one the publication then finds stored.
 */
async function checkDepartmentSubgraph(
  ctx: PlatformContext,
  candidate: Catalogue,
  entry: EntryVersion,
): Promise<void> {
  const candidates = changedSubgraphs(
    await selectCurrentSubgraphs(ctx.db),
    ctx.catalogue.catalogue,
    candidate,
    ctx.settings.maxPageSize,
  );
  if (candidates.length === 0) return;
  const check = await checkSubgraphs(
    ctx.db,
    ctx.catalogue.catalogue,
    candidates,
    ctx.registryCompositions,
  );
  if (check.ok) return;
  const problems = [
    ...check.compositionErrors,
    ...check.breakingChanges
      .filter((c) => c.affected.length > 0)
      .map(
        (c) =>
          `${c.subgraph}: ${c.description} It would hit ${c.affected.map((a) => `${a.department} (${a.because})`).join(', ')}.`,
      ),
  ];
  throw conflict(
    `Publishing ${entry.code} v${entry.version} would change ${candidates.map((c) => c.name).join(', ')} in a way consumers depend on:\n- ${problems.join('\n- ')}\nChange the grants (or the entry) first. Nothing was published.`,
  );
}

/**
 * The registered subgraphs `next` changes from `now`'s, as the platform will
 * publish them: the departments whose subgraph is built from other inputs
 * (`rebuildDepartmentSubgraph`'s test) with their new SDL, and the cross-level
 * subgraph when the entity types change, each at its registered URL.
 */
function changedSubgraphs(
  registered: readonly SubgraphVersion[],
  now: Catalogue,
  next: Catalogue,
  maxPageSize: number,
): SubgraphCandidate[] {
  const candidates: SubgraphCandidate[] = [];
  for (const { name, url, sdl: inForce } of registered) {
    if (name === CROSS_LEVEL_SUBGRAPH) {
      const types = crossLevelEntityTypes(next);
      if (types.join(',') !== crossLevelEntityTypes(now).join(','))
        candidates.push({ name, url, sdl: crossLevelTypeDefs(types) });
      continue;
    }
    if (!next.department(name)) continue;
    // The same inputs give the same subgraph: only changed departments' SDL is generated.
    if (now.department(name) && departmentInputs(now, name) === departmentInputs(next, name))
      continue;
    const sdl = departmentTypeDefs(next, name, { maxPageSize });
    if (sdl !== inForce) candidates.push({ name, url, sdl });
  }
  return candidates;
}

function assembleWithout(catalogue: Catalogue, code: string): void {
  assembleCatalogue(
    catalogue.departments,
    catalogue.entries
      .filter((e) => e.code !== code)
      .map((e) => ({ source: e.code, data: catalogue.source(e.code) })),
  );
}

async function ownVersion(
  ctx: PlatformContext,
  code: string,
  version: number,
): Promise<EntryVersion> {
  const entry = await anyVersion(ctx, code, version);
  if (!(await actsFor(ctx, entry.department, 'CATALOGUING'))) {
    throw forbidden(
      `${code} is registered by ${entry.department}; only its DEPT_IT may submit it.`,
      `DEPT_IT of ${entry.department}`,
    );
  }
  return entry;
}

async function anyVersion(
  ctx: PlatformContext,
  code: string,
  version: number,
): Promise<EntryVersion> {
  const entry = await selectEntryVersion(ctx.db, code, version);
  if (!entry) throw notFound(`No version ${version} of catalogue entry ${code}.`);
  return entry;
}

function wrongState(entry: EntryVersion, verb: string, from: string[]) {
  return conflict(
    `Version ${entry.version} of ${entry.code} is ${entry.status}; only a ${from.join(' or ')} version can be ${verb}. Nothing was changed.`,
  );
}
