import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';

const { parse, Kind } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/**
 * The catalogue rule for a hand-written subgraph: every field it exposes must
 * be one the department's published entries define (an item, a reference or a
 * reverse field, a lookup or list, or the shared paging and filter types), so
 * nothing leaves a department without a sharing decision. `generated` is the
 * SDL the kit makes from those entries.
 */
export function catalogueFieldProblems(candidate: string, generated: string): string[] {
  const allowed = fieldsOf(generated);
  const problems: string[] = [];
  let fields: Map<string, Set<string>>;
  try {
    fields = fieldsOf(candidate);
  } catch (error) {
    return [`the SDL does not parse: ${error instanceof Error ? error.message : String(error)}`];
  }
  for (const [type, names] of fields) {
    for (const name of names) {
      if (!allowed.get(type)?.has(name)) {
        problems.push(
          `${type}.${name} is not an item of a published catalogue entry of this department`,
        );
      }
    }
  }
  return problems;
}

function fieldsOf(sdl: string): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  for (const definition of parse(sdl).definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
      definition.kind === Kind.OBJECT_TYPE_EXTENSION ||
      definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION
    ) {
      const set = fields.get(definition.name.value) ?? new Set<string>();
      for (const field of definition.fields ?? []) set.add(field.name.value);
      fields.set(definition.name.value, set);
    }
  }
  return fields;
}
