import { Kind, parse, visit, type DirectiveNode } from 'graphql';

/**
 * The federation directives a department's subgraph may use: what the
 * platform generates for it (`@key` on its entities, `@shareable` on the
 * value types every subgraph shares) and the schema's own (`@link`,
 * `@deprecated`, `@specifiedBy`).
 *
 * A signature says which department published a subgraph, not what the
 * subgraph may claim. With `@override` a department's signed subgraph took
 * over another department's fields (the gateway sent it the lookups, and
 * served its answers as the other's); `@provides` would do it on the paths
 * through its own fields; `@requires` would have the gateway fetch another
 * department's fields and hand them to it; `@interfaceObject`, `@fromContext`
 * and `@composeDirective` reach across subgraphs likewise. None of them is
 * needed for a department's own datasets, so none is served, under any name:
 * the `federation__` form, or an import renamed with `as`.
 */
const ALLOWED_DIRECTIVES: ReadonlySet<string> = new Set([
  'key',
  'shareable',
  'link',
  'deprecated',
  'specifiedBy',
]);
const ALLOWED_IMPORTS: ReadonlySet<string> = new Set(['@key', '@shareable']);

/** Why a department's subgraph SDL reaches beyond its own fields, or null. */
export function departmentReachProblem(sdl: string): string | null {
  let document;
  try {
    document = parse(sdl);
  } catch (error) {
    return `its SDL does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  const used = new Set<string>();
  const imports: string[] = [];
  visit(document, {
    Directive(node: DirectiveNode) {
      used.add(node.name.value);
      if (node.name.value !== 'link') return;
      const list = node.arguments?.find((a) => a.name.value === 'import')?.value;
      if (list?.kind !== Kind.LIST) return;
      for (const value of list.values) {
        imports.push(value.kind === Kind.STRING ? value.value : '(an import renamed with as)');
      }
    },
  });
  const refused = [
    ...[...used].filter((d) => !ALLOWED_DIRECTIVES.has(d)).map((d) => `@${d}`),
    ...imports.filter((i) => !ALLOWED_IMPORTS.has(i)),
  ];
  if (refused.length === 0) return null;
  return (
    `it uses ${[...new Set(refused)].join(', ')}, which a department's subgraph may not: only ` +
    '@key and @shareable, so that it resolves its own datasets and no other department’s fields'
  );
}
