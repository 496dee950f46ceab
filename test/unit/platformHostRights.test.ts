/**
 * What a department host's platform database credential may hold: its grants,
 * as MySQL and MariaDB state them, are read against `HOST_RIGHTS`, and anything
 * that cannot be read as one of them counts as beyond.
 */
import { describe, expect, it } from 'vitest';
import {
  GATEWAY_RIGHTS,
  HOST_RIGHTS,
  PLATFORM_SUBGRAPH_RIGHTS,
  platformGatewayRole,
  platformHostUserName,
  rightsBeyond,
} from '../../server/index.ts';

const rightsBeyondHost = (grants: readonly string[], database: string) =>
  rightsBeyond(grants, database, HOST_RIGHTS);

const AS = ' TO `govdata-city_water`@`%`';

describe('rightsBeyond, held to HOST_RIGHTS', () => {
  it("accepts the host's own rights: the bare right to connect, and each table's, or fewer", () => {
    expect(
      rightsBeyondHost(
        [
          "GRANT USAGE ON *.* TO `govdata-city_water`@`%` IDENTIFIED BY PASSWORD '*ABC'",
          `GRANT SELECT ON \`govdata\`.\`grants\`${AS}`,
          `GRANT SELECT, INSERT ON \`govdata\`.\`audit_records\`${AS}`,
          `GRANT INSERT ON \`govdata\`.\`subgraph_versions\`${AS}`,
          `GRANT SELECT, INSERT, UPDATE (\`calls\`) ON \`govdata\`.\`grant_usage\`${AS}`,
          `GRANT UPDATE (\`manifest\`, \`charged\`) ON \`govdata\`.\`exports\`${AS}`,
          `GRANT UPDATE (last_seq) ON \`govdata\`.\`audit_chains\`${AS}`,
        ],
        'govdata',
      ),
    ).toEqual([]);
  });

  it('names every right beyond them, without the password', () => {
    const beyond = [
      // Writing grants, the catalogue or sharing decisions.
      `GRANT INSERT ON \`govdata\`.\`grants\`${AS}`,
      `GRANT SELECT, UPDATE ON \`govdata\`.\`catalogue_entries\`${AS}`,
      `GRANT UPDATE (\`status\`) ON \`govdata\`.\`grants\`${AS}`,
      // Rewriting what names a row: whose export, which grant's count, which chain's role.
      `GRANT SELECT, INSERT, UPDATE ON \`govdata\`.\`exports\`${AS}`,
      `GRANT UPDATE (\`provider_department\`) ON \`govdata\`.\`exports\`${AS}`,
      `GRANT UPDATE (\`calls\`, \`grant_id\`) ON \`govdata\`.\`grant_usage\`${AS}`,
      `GRANT UPDATE (\`role\`) ON \`govdata\`.\`audit_chains\`${AS}`,
      // Deleting or rewriting records and registry rows.
      `GRANT SELECT, INSERT, DELETE ON \`govdata\`.\`audit_records\`${AS}`,
      `GRANT UPDATE ON \`govdata\`.\`audit_records\`${AS}`,
      `GRANT UPDATE (\`signature\`) ON \`govdata\`.\`subgraph_versions\`${AS}`,
      // Tables a host never reads.
      `GRANT SELECT ON \`govdata\`.\`api_keys\`${AS}`,
      // The whole database, any database, another platform's tables.
      `GRANT ALL PRIVILEGES ON \`govdata\`.*${AS}`,
      `GRANT SELECT ON *.*${AS}`,
      `GRANT SELECT ON \`govdata_other\`.\`grants\`${AS}`,
      // Passing rights on, roles, proxies and routines: not read as a table's, so beyond.
      `GRANT SELECT ON \`govdata\`.\`grants\`${AS} WITH GRANT OPTION`,
      `GRANT \`platform_admin\`${AS}`,
      `GRANT PROXY ON ''@'%'${AS}`,
      `GRANT EXECUTE ON PROCEDURE \`govdata\`.\`purge\`${AS}`,
    ];
    const found = rightsBeyondHost(
      [
        "GRANT USAGE ON *.* TO `govdata-city_water`@`%` IDENTIFIED BY PASSWORD '*SECRET'",
        ...beyond,
      ],
      'govdata',
    );
    expect(found).toEqual(beyond);
    expect(found.join('\n')).not.toContain('SECRET');
  });

  it('reads quoted names exactly: a backtick in a name is not the end of it', () => {
    expect(
      rightsBeyondHost([`GRANT SELECT ON \`gov\`\`data\`.\`grants\`${AS}`], 'gov`data'),
    ).toEqual([]);
    expect(rightsBeyondHost([`GRANT SELECT ON \`govdata\`.\`grants\`${AS}`], 'gov`data')).toEqual([
      `GRANT SELECT ON \`govdata\`.\`grants\`${AS}`,
    ]);
  });
});

describe('rightsBeyond, held to GATEWAY_RIGHTS', () => {
  const AS_GATEWAY = ' TO `govdata-gateway`@`%`';
  it("accepts a gateway's own rights and names what a gateway may not do", () => {
    expect(
      rightsBeyond(
        [
          `GRANT SELECT ON \`govdata\`.\`api_keys\`${AS_GATEWAY}`,
          `GRANT SELECT, INSERT ON \`govdata\`.\`audit_records\`${AS_GATEWAY}`,
          `GRANT SELECT, INSERT, UPDATE, DELETE ON \`govdata\`.\`supergraph_compositions\`${AS_GATEWAY}`,
          `GRANT SELECT, INSERT, UPDATE (\`used\`), DELETE ON \`govdata\`.\`rate_counters\`${AS_GATEWAY}`,
        ],
        'govdata',
        GATEWAY_RIGHTS,
      ),
    ).toEqual([]);
    const beyond = [
      // Minting API keys, widening grants, editing links, rewriting the audit trail or the registry.
      `GRANT INSERT ON \`govdata\`.\`api_keys\`${AS_GATEWAY}`,
      `GRANT SELECT, UPDATE ON \`govdata\`.\`grants\`${AS_GATEWAY}`,
      `GRANT UPDATE ON \`govdata\`.\`platform_links\`${AS_GATEWAY}`,
      `GRANT DELETE ON \`govdata\`.\`audit_records\`${AS_GATEWAY}`,
      `GRANT INSERT ON \`govdata\`.\`subgraph_versions\`${AS_GATEWAY}`,
      `GRANT UPDATE (\`window_start\`) ON \`govdata\`.\`rate_counters\`${AS_GATEWAY}`,
    ];
    expect(rightsBeyond(beyond, 'govdata', GATEWAY_RIGHTS)).toEqual(beyond);
    expect(platformGatewayRole('govdata').user).toBe('govdata-gateway');
  });
});

describe('rightsBeyond, held to PLATFORM_SUBGRAPH_RIGHTS', () => {
  const AS_PLATFORM = ' TO `govdata-platform`@`%`';
  it('accepts any right on a table it does not name, and nothing on the whole database', () => {
    expect(
      rightsBeyond(
        [
          `GRANT SELECT, INSERT, UPDATE, DELETE ON \`govdata\`.\`grants\`${AS_PLATFORM}`,
          `GRANT SELECT, INSERT ON \`govdata\`.\`audit_records\`${AS_PLATFORM}`,
        ],
        'govdata',
        PLATFORM_SUBGRAPH_RIGHTS,
      ),
    ).toEqual([]);
    const beyond = [
      `GRANT ALL PRIVILEGES ON \`govdata\`.*${AS_PLATFORM}`,
      `GRANT SELECT, INSERT, DELETE ON \`govdata\`.\`audit_records\`${AS_PLATFORM}`,
      `GRANT DELETE ON \`govdata\`.\`audit_attestation_start\`${AS_PLATFORM}`,
      `GRANT DELETE ON \`govdata\`.\`subgraph_versions\`${AS_PLATFORM}`,
      `GRANT CREATE ON \`govdata\`.\`grants\`${AS_PLATFORM}`,
    ];
    expect(rightsBeyond(beyond, 'govdata', PLATFORM_SUBGRAPH_RIGHTS)).toEqual(beyond);
  });
});

describe('platformHostUserName', () => {
  it("never names a department database's user, and fits MySQL's 32 characters", () => {
    // city_water's own database is govdata_city_water, and its user is named so.
    expect(platformHostUserName('govdata', 'city_water')).toBe('govdata-city_water');
    expect(platformHostUserName('govdata', 'business_environment')).toBe(
      'govdata-business_environment',
    );
    const long = platformHostUserName('govdata_province_platform', 'development_reform');
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).not.toBe(platformHostUserName('govdata_province_platform', 'development_reforms'));
  });
});
