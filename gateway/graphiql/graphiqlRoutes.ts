import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Route } from '../../server/index.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The browser files GraphiQL needs, read from installed packages at start-up:
 * government networks are often offline, so nothing is loaded from a CDN.
 */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/graphiql/react.js': {
    file: join(packageDir('react'), 'umd/react.production.min.js'),
    type: 'text/javascript',
  },
  '/graphiql/react-dom.js': {
    file: join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
  '/graphiql/graphiql.js': {
    file: join(packageDir('graphiql'), 'graphiql.min.js'),
    type: 'text/javascript',
  },
  '/graphiql/graphiql.css': {
    file: join(packageDir('graphiql'), 'graphiql.min.css'),
    type: 'text/css',
  },
};

const EXAMPLE_QUERY = `# One governed endpoint over every department's registered datasets.
# Send a bearer token in the Headers tab and declare your purpose, e.g.
# { "Authorization": "Bearer <token>", "X-Purpose": "social-assistance-review" }
query PersonWithRecords($idNumber: String!) {
  person(idNumber: $idNumber) {
    name
    regionCode
    licenses { licenseNumber kind status }
    creditRecords { category authority decidedOn }
    landParcels { parcelCode landUse areaSqm }
    utilityAccounts { accountNumber status }
  }
}
`;

function page(graphqlPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Government data sharing platform · GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(graphqlPath)} });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: ${JSON.stringify(EXAMPLE_QUERY)},
      defaultHeaders: '{ "X-Purpose": "demo" }',
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
    }),
  );
</script>
</body>
</html>
`;
}

/** Routes serving GraphiQL at `/` and `/graphiql`, and its assets, from local files. */
export function graphiqlRoutes(graphqlPath: string): Record<string, Route> {
  const html = page(graphqlPath);
  const routes: Record<string, Route> = {};
  const servePage: Route = (_, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy':
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
    });
    res.end(html);
  };
  routes['/'] = servePage;
  routes['/graphiql'] = servePage;
  for (const [path, asset] of Object.entries(ASSETS)) {
    const body = readFileSync(asset.file);
    routes[path] = (_, res) => {
      res.writeHead(200, {
        'content-type': `${asset.type}; charset=utf-8`,
        'cache-control': 'public, max-age=86400',
      });
      res.end(body);
    };
  }
  return routes;
}
