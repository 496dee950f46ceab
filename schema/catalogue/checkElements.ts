import { compileSafePattern, DATA_ELEMENTS, dataElement } from '../elements/index.ts';
import type { CatalogueEntry, CatalogueItem } from './Catalogue.ts';

type Report = (file: string, field: string, message: string) => void;

/** Whether `element` is an item's own element (`Type.item`), not one of the dictionary's. */
export function isOwnElement(element: string): boolean {
  return element.includes('.');
}

/**
 * Items map to the dictionary's data elements: a named element must exist and
 * fit the item's type, and a declared pattern must be one RE2 accepts.
 */
export function checkItemElements(entries: readonly CatalogueEntry[], report: Report): void {
  for (const entry of entries) {
    entry.items.forEach((item, index) => {
      const at = `items[${index}]`;
      if (!isOwnElement(item.element)) {
        const element = dataElement(item.element);
        if (!element) {
          report(
            entry.file,
            `${at}.element`,
            `${item.element} is not a data element of the dictionary; elements: ${DATA_ELEMENTS.map((e) => e.code).join(', ')}`,
          );
        } else if (element.type !== item.type) {
          report(
            entry.file,
            `${at}.type`,
            `must be ${element.type} like the data element ${element.code} it carries`,
          );
        }
      }
      const pattern = item.quality?.pattern;
      if (pattern !== undefined) {
        const compiled = compileSafePattern(pattern);
        if ('problem' in compiled) report(entry.file, `${at}.quality.pattern`, compiled.problem);
      }
    });
  }
}

/**
 * Whether `source` names another level's item (`platform:DATASET.item`): the
 * catalogue cannot check it, the platform checks it against its directory of
 * linked platforms, and nothing on this platform serves it (its own platform
 * decides every read of the source).
 */
export function isOtherLevelSource(source: string): boolean {
  return source.includes(':');
}

/** An item that claims an element, and where. */
export interface ElementClaim {
  entry: CatalogueEntry;
  item: CatalogueItem;
  index: number;
}

/**
 * Elements with one authoritative source: the dictionary's one-source elements
 * and every item's own element. Descriptive elements (a date of validity) are
 * held by many datasets for their own facts and are never claimed.
 */
export function isOneSourceElement(element: string): boolean {
  return isOwnElement(element) || (dataElement(element)?.oneSource ?? false);
}

/**
 * One number, one source, decided on elements: each one-source element has one
 * authoritative item. An item that collects such an element again must copy
 * the source, or state its `collectionBasis`; it is then served as a copy of
 * the source (never more openly). Returns the authoritative item of each
 * claimed element.
 */
export function checkOneSource(
  entries: readonly CatalogueEntry[],
  report: Report,
): Map<string, ElementClaim> {
  const claims = new Map<string, ElementClaim[]>();
  for (const entry of entries) {
    entry.items.forEach((item, index) => {
      if (!item.authoritative || item.collectionBasis || !isOneSourceElement(item.element)) return;
      claims.set(item.element, [...(claims.get(item.element) ?? []), { entry, item, index }]);
    });
  }
  const providers = new Map<string, ElementClaim>();
  for (const [element, claimants] of claims) {
    if (claimants.length === 1) {
      providers.set(element, claimants[0]!);
      continue;
    }
    for (const { entry, item, index } of claimants) {
      const others = claimants
        .filter((c) => c.item !== item)
        .map((c) => `${c.entry.code}.${c.item.name} (${c.entry.department}, ${c.entry.file})`);
      report(
        entry.file,
        `items[${index}]`,
        `item ${item.name} claims to be the authoritative source of ${element}, as does ${others.join(' and ')}; ` +
          'one number, one source: keep one, and make the others copies (authoritative: false, source: DATASET_CODE.itemName), ' +
          'or state collectionBasis: the law that requires collecting it again',
      );
    }
  }
  for (const entry of entries) {
    entry.items.forEach((item, index) => {
      if (!item.collectionBasis) return;
      const provider = providers.get(item.element);
      if (!provider || item.source || !item.authoritative) {
        report(
          entry.file,
          `items[${index}].collectionBasis`,
          `only an item that collects, itself, a one-source element another item provides states a collectionBasis; ${item.name} carries ${item.element}${provider ? ' and already copies it' : ', which no other item provides'}`,
        );
        return;
      }
      // Collected again under a stated law, still the same fact: served as a copy of the source.
      item.authoritative = false;
      item.source = `${provider.entry.code}.${provider.item.name}`;
    });
  }
  return providers;
}
