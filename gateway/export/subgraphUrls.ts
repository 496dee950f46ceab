import { Kind, parse, type ConstValueNode } from 'graphql';

/**
 * Each subgraph's URL by name, as the supergraph lists them
 * (`enum join__Graph { X @join__graph(name: "…", url: "…") }`).
 */
export function subgraphUrls(supergraphSdl: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph')
      continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((d) => d.name.value === 'join__graph');
      const arg = (name: string) => {
        const node: ConstValueNode | undefined = graph?.arguments?.find(
          (a) => a.name.value === name,
        )?.value;
        return node?.kind === Kind.STRING ? node.value : null;
      };
      const name = arg('name');
      const url = arg('url');
      if (name && url) urls.set(name, url);
    }
  }
  return urls;
}
