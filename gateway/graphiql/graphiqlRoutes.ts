import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ROLES, type AuthConfig, type Route } from '../../server/index.ts';
import { DEV_TOKEN_PATH, devTokenRoute } from './devTokenRoute.ts';
import { GRAPHIQL_VENDOR_DIR } from './vendoredGraphiql.ts';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The browser files GraphiQL needs: React from its installed packages,
 * GraphiQL's standalone build from the repository (./vendoredGraphiql.ts says
 * why), read at start-up. Government networks are often offline, so nothing
 * is loaded from a CDN. The stylesheet carries GraphiQL's fonts inline
 * (data: URLs), which the page's content security policy allows.
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
    file: join(GRAPHIQL_VENDOR_DIR, 'graphiql.min.js'),
    type: 'text/javascript',
  },
  '/graphiql/graphiql.css': {
    file: join(GRAPHIQL_VENDOR_DIR, 'graphiql.min.css'),
    type: 'text/css',
  },
  '/graphiql/setup.js': {
    file: join(import.meta.dirname, 'setupGraphiQL.js'),
    type: 'text/javascript',
  },
};

/**
 * The operation GraphiQL opens with on a development platform (`npm start`,
 * which seeds the demo data): demo person 0 across five departments, which
 * Civil Affairs's demo grants answer in full for social assistance.
 */
const DEMO_EXAMPLE = {
  query: `# One governed endpoint over every department's registered datasets.
# Each part is decided by its own dataset's grant; the Headers tab says who
# asks (a bearer token) and why (X-Purpose, one of the grant's purposes).
query PersonWithRecords($idNumber: String!) {
  person(idNumber: $idNumber) {
    idNumber
    name
    gender
    regionCode
    licenses { licenseNumber kind status }
    creditRecords { category authority decidedOn }
    landParcels { parcelCode landUse areaSqm }
    utilityAccounts { accountNumber address monthlyUsageM3 arrears }
  }
}
`,
  variables: JSON.stringify({ idNumber: '330106196310216243' }, null, 2),
  purpose: 'social-assistance',
  department: 'civil_affairs',
};

/**
 * The operation GraphiQL opens with elsewhere: the catalogue, which every
 * platform serves and anyone may read. The demo's person is no one there,
 * and a lookup of a key the caller cannot read that finds nothing spends the
 * department's probe budget for the day.
 */
const CATALOGUE_EXAMPLE = {
  query: `# One governed endpoint over every department's registered datasets.
# The catalogue says what each dataset shares and how; anyone may read it.
# To query a dataset, put your token in Headers, with "X-Purpose" one of your
# grant's purposes (see the line above).
query Catalogue {
  catalogueEntries(first: 20) {
    nodes { code name department sharingType sharingModes }
    pageInfo { hasNextPage endCursor }
  }
}
`,
  variables: '{}',
  purpose: null,
};

const HOW_TO_GET_A_TOKEN =
  'Without development keys, put a token from your identity provider in Headers as ' +
  '"Authorization": "Bearer …" (or an application\'s "X-Api-Key"), with "X-Purpose" one of your ' +
  "grant's purposes; on a development platform `npm run token -- --department civil_affairs` prints one.";

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL's editors set style attributes.
  "style-src 'self' 'unsafe-inline'",
  // GraphiQL's fonts are inline in its stylesheet.
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(config: unknown): string {
  // Inside <script type="application/json">, only "</" could end the block early.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Government data sharing platform · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/graphiql/graphiql.css">
<style>
  html, body, #root { height: 100%; margin: 0; }
  #root { display: flex; flex-direction: column; }
  #platform-bar { padding: 6px 12px; font: 13px system-ui, sans-serif; border-bottom: 1px solid #ddd; }
  #platform-bar .how-to { display: block; color: #555; margin-top: 2px; }
  #graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<div id="root">Loading GraphiQL…</div>
<script id="graphiql-config" type="application/json">${json}</script>
<script src="/graphiql/react.js"></script>
<script src="/graphiql/react-dom.js"></script>
<script src="/graphiql/graphiql.js"></script>
<script src="/graphiql/setup.js"></script>
</body>
</html>
`;
}

/**
 * Routes serving GraphiQL at `/` and `/graphiql`, its assets from local files,
 * and — when `auth` verifies tokens with the development secret — the
 * development token route its "Use a development token" button calls. The
 * page opens with an example operation: with development keys, one over the
 * demo's data, its variables and a purpose that the demo grants answer;
 * without, the catalogue, which anyone may read.
 */
export function graphiqlRoutes(graphqlPath: string, auth?: AuthConfig): Record<string, Route> {
  const devTokens = auth ? devTokenRoute(auth) : null;
  const example = devTokens ? DEMO_EXAMPLE : CATALOGUE_EXAMPLE;
  const html = page({
    graphqlPath,
    query: example.query,
    variables: example.variables,
    purpose: example.purpose,
    howToGetAToken: HOW_TO_GET_A_TOKEN,
    devTokens: devTokens
      ? { path: DEV_TOKEN_PATH, department: DEMO_EXAMPLE.department, roles: ROLES }
      : null,
  });
  const routes: Record<string, Route> = {};
  const servePage: Route = (_, res) => {
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CONTENT_SECURITY_POLICY,
    });
    res.end(html);
  };
  routes['/'] = servePage;
  routes['/graphiql'] = servePage;
  if (devTokens) routes[DEV_TOKEN_PATH] = devTokens;
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
