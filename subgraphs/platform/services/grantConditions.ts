import {
  MASKABLE_ITEM_TYPES,
  badUserInput,
  DEFAULT_TIME_ZONE,
  isCalendarDate,
  startOfCivilDate,
  type CatalogueEntry,
  type SharingMode,
} from '../../../schema/index.ts';
import type { Grant, GrantMask, RowFilter } from '../../../server/index.ts';
import { isMaskRule } from '../../kit/access/index.ts';
import type { SharingApplication } from '../store/index.ts';

/** Conditions as the API takes them. */
export interface GrantConditionsInput {
  items: string[];
  masks?: { item: string; rule: string; first?: number | null; last?: number | null }[] | null;
  rowFilter?: { item: string; eq?: string | null; startsWith?: string | null }[] | null;
  purposes: string[];
  modes: SharingMode[];
  validFrom: string;
  validUntil: string;
  dailyQuota?: number | null;
  verifyLimitPerRecord?: number | null;
}

export type GrantConditions = Pick<
  Grant,
  | 'items'
  | 'masks'
  | 'rowFilter'
  | 'purposes'
  | 'modes'
  | 'validFrom'
  | 'validUntil'
  | 'dailyQuota'
  | 'verifyLimitPerRecord'
>;

/** Purposes are short words, as declared in X-Purpose. */
export const PURPOSE_PATTERN = /^[\p{L}\p{N} ._:/-]{1,100}$/u;

/**
 * Checks conditions against the dataset they are for and normalises them:
 * items must exist (key items too are read only when listed), masks must be
 * known rules on granted text or date items, row filters name items with one
 * condition each, modes must be modes the dataset is shared in, the validity
 * window must be real and forward (a date is the start of that civil day in
 * the platform's `timeZone`), the quota and verification limit positive. Every
 * problem found is reported at once.
 */
export function checkGrantConditions(
  entry: CatalogueEntry,
  input: GrantConditionsInput,
  timeZone: string = DEFAULT_TIME_ZONE,
): GrantConditions {
  const problems: string[] = [];
  const names = new Set(entry.items.map((i) => i.name));
  const types = new Map(entry.items.map((i) => [i.name, i.type]));
  const items = [...new Set(input.items)];
  if (items.length === 0) problems.push('items: grant at least one item');
  const notShared = new Set(
    entry.items
      .filter((i) => (i.sharingType ?? entry.sharing.type) === 'NOT_SHARED')
      .map((i) => i.name),
  );
  for (const item of items) {
    if (!names.has(item))
      problems.push(`items: ${entry.code} has no item ${item} (items: ${[...names].join(', ')})`);
    // Listed now, it would be given the day its provider shared it, without anyone deciding so.
    else if (notShared.has(item))
      problems.push(`items: ${item} of ${entry.code} is NOT_SHARED; no grant can give it`);
  }
  const masks: Record<string, GrantMask> = {};
  for (const mask of input.masks ?? []) {
    const rule = { rule: mask.rule, first: mask.first ?? undefined, last: mask.last ?? undefined };
    const candidate = mask.rule === 'KEEP_ENDS' ? rule : { rule: mask.rule };
    if (!items.includes(mask.item)) {
      problems.push(`masks: ${mask.item} is not a granted item`);
    } else if (!MASKABLE_ITEM_TYPES.has(types.get(mask.item)!)) {
      problems.push(
        `masks: ${mask.item} is ${types.get(mask.item)}; only text and date items can be masked (leave it out of items instead)`,
      );
    } else if (!isMaskRule(candidate)) {
      problems.push(`masks: ${mask.item}: ${mask.rule} needs whole numbers first and last ≥ 0`);
    } else masks[mask.item] = candidate;
  }
  let rowFilter: RowFilter | null = null;
  for (const condition of input.rowFilter ?? []) {
    const given = [condition.eq, condition.startsWith].filter((v) => v !== null && v !== undefined);
    if (!names.has(condition.item))
      problems.push(`rowFilter: ${entry.code} has no item ${condition.item}`);
    else if (given.length !== 1)
      problems.push(`rowFilter: ${condition.item}: give exactly one of eq and startsWith`);
    else {
      rowFilter ??= {};
      rowFilter[condition.item] =
        condition.eq !== null && condition.eq !== undefined
          ? { eq: condition.eq }
          : { startsWith: condition.startsWith! };
    }
  }
  const purposes = [...new Set(input.purposes.map((p) => p.trim()))];
  if (purposes.length === 0) problems.push('purposes: allow at least one purpose');
  for (const purpose of purposes) {
    if (!PURPOSE_PATTERN.test(purpose))
      problems.push(`purposes: "${purpose}" is not a short purpose word`);
  }
  const modes = [...new Set(input.modes)];
  if (modes.length === 0) problems.push('modes: allow at least one mode');
  for (const mode of modes) {
    if (!entry.sharing.modes.includes(mode)) {
      problems.push(
        `modes: ${entry.code} is shared in ${entry.sharing.modes.join(', ')}, not ${mode}`,
      );
    }
  }
  const validFrom = instant(input.validFrom, 'validFrom', problems, timeZone);
  const validUntil = instant(input.validUntil, 'validUntil', problems, timeZone);
  if (validFrom && validUntil && validFrom >= validUntil)
    problems.push('validUntil must be after validFrom');
  const quota = input.dailyQuota ?? null;
  if (quota !== null && (!Number.isInteger(quota) || quota < 1 || quota > 1_000_000_000)) {
    problems.push('dailyQuota must be a whole number from 1 to 1000000000, or null for none');
  }
  const verifyLimit = input.verifyLimitPerRecord ?? null;
  if (
    verifyLimit !== null &&
    (!Number.isInteger(verifyLimit) || verifyLimit < 1 || verifyLimit > 1000)
  ) {
    problems.push(
      'verifyLimitPerRecord must be a whole number from 1 to 1000, or null for the platform default',
    );
  }
  if (problems.length > 0) {
    throw badUserInput(
      `The grant conditions are not valid:\n- ${problems.join('\n- ')}`,
      'conditions',
    );
  }
  return {
    items,
    masks,
    rowFilter,
    purposes,
    modes,
    validFrom: validFrom!,
    validUntil: validUntil!,
    dailyQuota: quota,
    verifyLimitPerRecord: verifyLimit,
  };
}

/**
 * An ISO 8601 instant, or a date taken as the start of that civil day in the
 * platform's time zone; impossible dates are refused, not rolled over.
 */
function instant(value: string, name: string, problems: string[], timeZone: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (isCalendarDate(value)) return startOfCivilDate(value, timeZone);
    problems.push(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time, not "${value}"`);
    return null;
  }
  const text = value;
  const time = Date.parse(text);
  if (
    !/^\d{4}-\d{2}-\d{2}T/.test(text) ||
    !isCalendarDate(text.slice(0, 10)) ||
    Number.isNaN(time)
  ) {
    problems.push(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time, not "${value}"`);
    return null;
  }
  return new Date(time).toISOString();
}

/**
 * An approval, and any later change of the grant it made, may narrow an
 * application (fewer items, masks, a row filter, a quota, a shorter period)
 * but never widen it: every granted item, mode and
 * purpose must have been applied for, and the validity window must lie within
 * the requested one. Otherwise the approval is refused with BAD_USER_INPUT
 * naming each field that goes beyond and what was applied for. Both windows are
 * normalised by the grant rules, so dates and date-times compare alike.
 */
export function checkWithinApplication(
  entry: CatalogueEntry,
  application: SharingApplication,
  conditions: GrantConditionsInput,
  timeZone: string,
  /** What is being checked: the approval itself, or a later change of its grant. */
  action: 'approval' | 'change',
): void {
  const granted = checkGrantConditions(entry, conditions, timeZone);
  const applied = checkGrantConditions(
    entry,
    {
      ...conditions,
      validFrom: application.requestedFrom,
      validUntil: application.requestedUntil,
    },
    timeZone,
  );
  const beyond: { field: string; problem: string }[] = [];
  const wider = (field: string, asked: readonly string[], given: readonly string[]) => {
    const extra = given.filter((value) => !asked.includes(value));
    if (extra.length > 0) {
      beyond.push({
        field,
        problem: `${field}: ${extra.join(', ')} not applied for (applied for: ${asked.join(', ')})`,
      });
    }
  };
  wider('items', application.items, granted.items);
  wider('modes', application.modes, granted.modes);
  wider('purposes', [application.purpose], granted.purposes);
  if (granted.validFrom < applied.validFrom) {
    beyond.push({
      field: 'validFrom',
      problem: `validFrom: ${conditions.validFrom} is before the requested start ${application.requestedFrom}`,
    });
  }
  if (granted.validUntil > applied.validUntil) {
    beyond.push({
      field: 'validUntil',
      problem: `validUntil: ${conditions.validUntil} is after the requested end ${application.requestedUntil}`,
    });
  }
  if (beyond.length === 0) return;
  throw badUserInput(
    `${action === 'approval' ? 'An approval grants' : `A grant approved on ${application.id} keeps`} at most what was applied for; ${application.id} did not ask for:\n- ${beyond.map((b) => b.problem).join('\n- ')}\nNarrow the conditions (fewer items, modes or purposes, a shorter period) or ask the applicant to apply again. Nothing was ${action === 'approval' ? 'created' : 'changed'}.`,
    `conditions.${beyond[0]!.field}`,
  );
}
