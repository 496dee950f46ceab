import { describe, expect, it } from 'vitest';
import { RESERVED_DEPARTMENT_CODES } from '../../../../schema/index.ts';
import { platformGatewayRole, platformHostUserName } from '../../../../server/index.ts';
import { PLATFORM_SUBGRAPH } from '../../buildPlatformSubgraph.ts';
import { CROSS_LEVEL_SUBGRAPH } from '../../links/index.ts';
import { PLATFORM_SIGNER, signerOf } from '../registrySignatures.ts';

/**
 * A department's subgraph is named after its code and signed with the key of
 * that name: the names of the platform's own subgraphs and of their key are
 * kept from department codes, and those subgraphs are signed with the platform's key.
 */
describe("the platform's own names", () => {
  it('are kept from department codes', () => {
    for (const name of [PLATFORM_SUBGRAPH, CROSS_LEVEL_SUBGRAPH, PLATFORM_SIGNER]) {
      expect(RESERVED_DEPARTMENT_CODES.has(name), name).toBe(true);
    }
  });

  it("keep from department codes the one whose host's database user would be the gateways'", () => {
    const gateway = platformGatewayRole('govdata').user;
    expect(platformHostUserName('govdata', 'gateway')).toBe(gateway);
    expect(RESERVED_DEPARTMENT_CODES.has('gateway')).toBe(true);
  });

  it("sign the platform's subgraphs with the platform's key, and a department's with its own", () => {
    expect(signerOf(PLATFORM_SUBGRAPH)).toBe(PLATFORM_SIGNER);
    expect(signerOf(CROSS_LEVEL_SUBGRAPH)).toBe(PLATFORM_SIGNER);
    expect(signerOf('city_water')).toBe('city_water');
  });
});
