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

/** The one spec a department's subgraph links: federation 2's, whatever its minor version. */
const FEDERATION_SPEC = /^https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+$/;

/**
 * Why a department's subgraph SDL reaches beyond its own fields, or null.
 * What a name means is decided by `@link`, so the links are held too: one
 * link, to federation, importing `@key` and `@shareable` by their own names,
 * with no `as` (which would rename the link directive itself, and make an
 * allowed name mean `@link`), and no directive defined in the SDL (a
 * definition of a link directive under an allowed name did exactly that).
 */
export function departmentReachProblem(sdl: string): string | null {
  let document;
  try {
    document = parse(sdl);
  } catch (error) {
    return `its SDL does not parse: ${error instanceof Error ? error.message : String(error)}`;
  }
  const used = new Set<string>();
  const refused: string[] = [];
  let links = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
      refused.push(`a definition of @${definition.name.value}`);
    }
  }
  visit(document, {
    Directive(node: DirectiveNode) {
      used.add(node.name.value);
      if (node.name.value !== 'link') return;
      links += 1;
      for (const argument of node.arguments ?? []) {
        const { value } = argument;
        if (argument.name.value === 'url') {
          if (value.kind !== Kind.STRING || !FEDERATION_SPEC.test(value.value)) {
            refused.push('a @link to another spec than federation 2');
          }
        } else if (argument.name.value === 'import') {
          const values = value.kind === Kind.LIST ? value.values : [value];
          for (const v of values) {
            if (v.kind !== Kind.STRING) refused.push('an import renamed with as');
            else if (!ALLOWED_IMPORTS.has(v.value)) refused.push(v.value);
          }
        } else {
          refused.push(`@link's ${argument.name.value}`);
        }
      }
    },
  });
  if (links > 1) refused.push('more than one @link');
  refused.push(...[...used].filter((d) => !ALLOWED_DIRECTIVES.has(d)).map((d) => `@${d}`));
  if (refused.length === 0) return null;
  return (
    `it uses ${[...new Set(refused)].join(', ')}, which a department's subgraph may not: only ` +
    '@key and @shareable, imported from one @link to federation, so that it resolves its own ' +
    'datasets and no other department’s fields'
  );
}
