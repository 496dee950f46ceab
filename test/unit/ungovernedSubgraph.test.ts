import { describe, expect, it } from 'vitest';
import { loadPlatformCatalogue } from '../../scripts/platform/index.ts';
import { buildDepartmentSubgraph, startSubgraphServer } from '../../subgraphs/kit/index.ts';

describe('a subgraph without identity (benchmark only)', () => {
  it('cannot be started on a subgraph that enforces sharing rules', async () => {
    const catalogue = loadPlatformCatalogue();
    const governed = buildDepartmentSubgraph(catalogue, 'public_security', { maxPageSize: 100 });
    const options = {
      unsafeWithoutIdentity: true,
      host: '127.0.0.1',
      port: 0,
    } as unknown as Parameters<typeof startSubgraphServer>[1];
    await expect(startSubgraphServer(governed, options)).rejects.toThrow(
      "A subgraph that enforces sharing rules needs the caller's identity.",
    );
  });
});
