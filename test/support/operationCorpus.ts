import {
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/** One generated operation: a document and its variables. */
export interface CorpusOperation {
  query: string;
  variables: Record<string, unknown>;
}

/** A root field the corpus may start from, and what to pass it. */
export interface CorpusRoot {
  field: string;
  /** A lookup's key argument and the keys it may be given (one that matches nothing is added). */
  key?: { argument: string; values: readonly string[] };
}

/**
 * Generates operations over a supergraph's API schema, deterministically from
 * `seed`: lookups by key (as a variable or a literal, sometimes a key that
 * matches nothing) and list pages, with random selections of fields that cross
 * into other subgraphs' entities up to three levels deep, aliases (`__proto__` among them, the same
 * field twice under two names too), inline fragments, named fragments,
 * `__typename` and `@skip`/`@include` on variables. Fields with required
 * arguments below the root, and verification fields, are left out.
 */
export function generateOperations(
  schema: GraphQLSchema,
  roots: readonly CorpusRoot[],
  count: number,
  seed: number,
): CorpusOperation[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const queryType = schema.getQueryType()!;
  const operations: CorpusOperation[] = [];
  for (let n = 0; n < count; n++) {
    const variables: Record<string, unknown> = {};
    const declarations: string[] = [];
    const fragments: string[] = [];
    let aliases = 0;

    const condition = (): string => {
      if (!chance(0.12)) return '';
      const name = `flag${declarations.length}`;
      declarations.push(`$${name}: Boolean!`);
      variables[name] = chance(0.5);
      return chance(0.5) ? ` @include(if: $${name})` : ` @skip(if: $${name})`;
    };

    const selection = (type: GraphQLObjectType, depth: number): string => {
      const fields = Object.values(type.getFields()).filter(usable);
      const leaves = fields.filter((f) => isLeafType(getNamedType(f.type)));
      const chosen = new Set<GraphQLField<unknown, unknown>>();
      if (leaves.length > 0) chosen.add(pick(leaves));
      const wanted = 1 + Math.floor(random() * 4);
      for (let i = 0; i < wanted; i++) {
        const field = pick(fields);
        if (depth >= 3 && !isLeafType(getNamedType(field.type))) continue;
        chosen.add(field);
      }
      const parts: string[] = [];
      // `__proto__` is a name GraphQL allows and JavaScript objects treat apart: at most once a selection.
      let proto = false;
      const aliasOf = (): string => {
        if (!proto && chance(0.2)) {
          proto = true;
          return '__proto__: ';
        }
        return `a${aliases++}: `;
      };
      for (const field of chosen) {
        const named = getNamedType(field.type);
        const alias = chance(0.15) ? aliasOf() : '';
        const sub = isObjectType(named) ? ` { ${selection(named, depth + 1)} }` : '';
        parts.push(`${alias}${field.name}${condition()}${sub}`);
        if (!sub && chance(0.05)) parts.push(`a${aliases++}: ${field.name}`);
      }
      if (chance(0.1)) parts.push(chance(0.5) ? '__typename' : `t${aliases++}: __typename`);
      if (parts.length > 1 && chance(0.2)) {
        const moved = parts.splice(Math.floor(random() * parts.length), 1);
        parts.push(`... on ${type.name}${condition()} { ${moved.join(' ')} }`);
      }
      if (parts.length > 1 && chance(0.15)) {
        const name = `F${fragments.length}`;
        const moved = parts.splice(0, 1);
        fragments.push(`fragment ${name} on ${type.name} { ${moved.join(' ')} }`);
        parts.push(`...${name}`);
      }
      return parts.join(' ');
    };

    const root = pick(roots);
    const field = queryType.getFields()[root.field]!;
    const returned = getNamedType(field.type) as GraphQLObjectType;
    let argumentsText = '';
    if (root.key) {
      const value = chance(0.1) ? 'NO-SUCH-KEY-0000' : pick(root.key.values);
      if (chance(0.5)) {
        declarations.push('$key: String!');
        variables.key = value;
        argumentsText = `(${root.key.argument}: $key)`;
      } else {
        argumentsText = `(${root.key.argument}: ${JSON.stringify(value)})`;
      }
    } else if (field.args.some((a) => a.name === 'first')) {
      argumentsText = `(first: ${1 + Math.floor(random() * 4)})`;
    }
    const body = `${chance(0.2) ? 'r: ' : ''}${root.field}${argumentsText} { ${selection(returned, 1)} }`;
    const head =
      declarations.length > 0 ? `query Corpus${n}(${declarations.join(', ')})` : `query Corpus${n}`;
    operations.push({ query: [`${head} { ${body} }`, ...fragments].join('\n'), variables });
  }
  return operations;
}

/** A field the generator may select: no required arguments, not a verification. */
function usable(field: GraphQLField<unknown, unknown>): boolean {
  if (field.name.startsWith('verify')) return false;
  return field.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined);
}

/** A small seeded generator, so that a failing corpus can be generated again. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
