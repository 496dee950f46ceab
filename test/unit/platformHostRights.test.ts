/**
 * What a department host's platform database credential may hold: its grants,
 * as MySQL and MariaDB state them, are read against `HOST_RIGHTS`, and anything
 * that cannot be read as one of them counts as beyond.
 */
import { describe, expect, it } from 'vitest';
import { platformHostUserName, rightsBeyondHost } from '../../server/index.ts';

const AS = ' TO `govdata-city_water`@`%`';

describe('rightsBeyondHost', () => {
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
