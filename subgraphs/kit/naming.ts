import type { CatalogueEntry } from '../../schema/index.ts';

/**
 * The GraphQL names the kit derives from a dataset. One place, so the SDL, the
 * resolvers and the rules agree on them.
 */
export interface DatasetNames {
  type: string;
  lookup: string;
  list: string;
  verify: string;
  filter: string;
  connection: string;
  verifyInput: string;
}

export function datasetNames(entry: CatalogueEntry): DatasetNames {
  const type = entry.binding.type;
  const lower = type.charAt(0).toLowerCase() + type.slice(1);
  return {
    type,
    lookup: entry.binding.lookupField ?? lower,
    list: entry.binding.listField ?? plural(lower),
    verify: `verify${type}`,
    filter: `${type}Filter`,
    connection: `${type}Connection`,
    verifyInput: `${type}VerifyInput`,
  };
}

function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}
