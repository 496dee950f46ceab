import { Kind, parse, type ConstValueNode } from 'graphql';

/**
 * Each subgraph's URL by name, as the supergraph lists them
 * (`enum join__Graph { X @join__graph(name: "…", url: "…") }`). Only that
 * enum is parsed: a province's supergraph is tens of megabytes, parsed whole
 * by Apollo Gateway already, and this runs on the gateway's thread each time
 * the supergraph changes. A supergraph printed otherwise is parsed whole.
 */
export function subgraphUrls(supergraphSdl: string): Map<string, string> {
  const start = supergraphSdl.search(/^enum join__Graph\b/m);
  const end = start === -1 ? -1 : supergraphSdl.indexOf('\n}', start);
  if (end !== -1) {
    try {
      return urlsIn(supergraphSdl.slice(start, end + 2));
    } catch {
      // Not the enum alone after all: read the whole document below.
    }
  }
  return urlsIn(supergraphSdl);
}

function urlsIn(sdl: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const definition of parse(sdl).definitions) {
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
