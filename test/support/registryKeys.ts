import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DepartmentVerifyKeys } from '../../server/index.ts';
import { RegistrySigner, type CompositionKeys } from '../../subgraphs/platform/registry/index.ts';

/**
 * Registry keys for `signers` (subgraph or department names), made afresh:
 * a signer holding every private key, the public halves in a folder of their
 * own as gateways read them, and a composition key pair.
 */
export function testRegistryKeys(signers: readonly string[]): {
  signer: RegistrySigner;
  verify: DepartmentVerifyKeys;
  compositions: CompositionKeys;
} {
  const dir = mkdtempSync(join(tmpdir(), 'govdata-registry-keys-'));
  const privateKeys: Record<string, ReturnType<typeof generateKeyPairSync>['privateKey']> = {};
  for (const name of signers) {
    const pair = generateKeyPairSync('ed25519');
    privateKeys[name] = pair.privateKey;
    writeFileSync(
      join(dir, `${name}.jwk.json`),
      JSON.stringify(pair.publicKey.export({ format: 'jwk' })),
    );
  }
  const composition = generateKeyPairSync('ed25519');
  return {
    signer: new RegistrySigner(privateKeys),
    verify: new DepartmentVerifyKeys(dir),
    compositions: { trusted: [composition.publicKey], signing: composition.privateKey },
  };
}
