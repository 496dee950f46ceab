import { sign, verify } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DepartmentVerifyKeys,
  loadDepartmentSigningKey,
  loadOrCreateDepartmentKey,
} from '../../server/identity/departmentAuditKeys.ts';

/** Department audit keys as files: made once in development, never made where they must be provisioned. */
function folders() {
  const dir = mkdtempSync(join(tmpdir(), 'department-keys-'));
  return { signingDir: join(dir, 'signing'), verifyDir: join(dir, 'verify') };
}

describe('department audit keys', () => {
  it('are made on first use, private half private, and read back the same after', () => {
    const keys = folders();
    const made = loadOrCreateDepartmentKey(keys, 'public_security');
    expect(statSync(join(keys.signingDir, 'public_security.jwk.json')).mode & 0o777).toBe(0o600);
    const again = loadOrCreateDepartmentKey(keys, 'public_security');
    const signature = sign(null, Buffer.from('record'), again);
    expect(made.equals(again)).toBe(true);
    const verifyKey = new DepartmentVerifyKeys(keys.verifyDir).departmentKey('public_security');
    expect(verify(null, Buffer.from('record'), verifyKey, signature)).toBe(true);
    expect(loadDepartmentSigningKey(keys.signingDir, 'public_security').equals(made)).toBe(true);
  });

  it('are never made by a department host served alone, which says what to provision', () => {
    const keys = folders();
    expect(() => loadDepartmentSigningKey(keys.signingDir, 'city_water')).toThrow(
      /No audit signing key for department city_water at .*city_water\.jwk\.json: provision .*DEPARTMENT_SIGNING_KEYS_DIR/,
    );
  });

  it('missing at the gateway or the verifier say what to provision, and are found once provisioned', () => {
    const keys = folders();
    const ring = new DepartmentVerifyKeys(keys.verifyDir);
    expect(() => ring.departmentKey('city_water')).toThrow(
      /No audit verify key for department city_water at .*: provision .*DEPARTMENT_VERIFY_KEYS_DIR/,
    );
    loadOrCreateDepartmentKey(keys, 'city_water');
    expect(ring.departmentKey('city_water').asymmetricKeyType).toBe('ed25519');
  });

  it('refuse a name that is not a department code, and a file that holds the wrong half', () => {
    const keys = folders();
    expect(() => loadOrCreateDepartmentKey(keys, '../gateway-signing')).toThrow(
      /is not a department code/,
    );
    expect(() => new DepartmentVerifyKeys(keys.verifyDir).departmentKey('Public')).toThrow(
      /is not a department code/,
    );
    loadOrCreateDepartmentKey(keys, 'public_security');
    // The private key copied where the public one belongs.
    writeFileSync(
      join(keys.verifyDir, 'market_supervision.jwk.json'),
      JSON.stringify(
        loadDepartmentSigningKey(keys.signingDir, 'public_security').export({ format: 'jwk' }),
      ),
    );
    expect(() =>
      new DepartmentVerifyKeys(keys.verifyDir).departmentKey('market_supervision'),
    ).toThrow(/does not hold an Ed25519 public key/);
  });
});
