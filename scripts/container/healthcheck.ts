/**
 * The container's HEALTHCHECK: exit 0 when the server in this container
 * answers `/health` on 127.0.0.1 (the gateway on PORT, a subgraph on
 * SUBGRAPH_PORT_BASE: the image sets both to 4000), 1 otherwise, within 2 s.
 */
import { loadConfig } from '../../server/config/index.ts';

const config = loadConfig();
const port = process.argv[2] ?? String(config.gatewayPort);
try {
  const response = await fetch(`http://127.0.0.1:${port}/health`, {
    signal: AbortSignal.timeout(2000),
  });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
