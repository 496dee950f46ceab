import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadConfig,
  loadOrCreateDepartmentKey,
  loadOrCreateJoinKey,
  loadOrCreateSigningKeys,
} from '../../server/index.ts';
import { PLATFORM_SIGNER } from '../../subgraphs/platform/registry/index.ts';
import { departmentCatalogue } from './departmentCatalogue.ts';

export interface KeysInitOptions {
  department?: string[];
}

/**
 * `govdata keys init`: makes the platform's keys where the configuration puts
 * them (DATA_DIR/keys, or each file's own variable) without starting anything,
 * for an operator to hand out before the first deployment: the gateway's
 * Ed25519 pair, the subgraphs' join key and each department's audit signing
 * pair (every department of the catalogue, or those named), and the platform's
 * registry signing pair, which its own subgraphs are published with. A key already
 * there is kept, never replaced: replacing one would cut off whoever holds it.
 * Prints each file, whether it was made or kept, and which role needs it.
 */
export async function keysInit(options: KeysInitOptions): Promise<void> {
  const config = loadConfig();
  const catalogue = departmentCatalogue(...(options.department ?? []));
  const chosen = options.department ?? catalogue.departments.map((d) => d.code);
  const { auth } = config;
  const lines: string[] = [];
  /** Runs `make` and says whether `file` was there before it. */
  const keep = async (file: string, role: string, make: () => unknown) => {
    const there = existsSync(file);
    await make();
    lines.push(`${there ? 'kept' : 'made'}  ${file}  (${role})`);
  };
  await keep(auth.gatewayPrivateKeyFile, 'gateway signing key: gateway processes only', () =>
    loadOrCreateSigningKeys(auth.gatewayPrivateKeyFile, auth.gatewayPublicKeyFile),
  );
  lines.push(
    `      ${auth.gatewayPublicKeyFile}  (its public half: every subgraph host, and audit:verify)`,
  );
  await keep(auth.joinKeyFile, 'join key: subgraph hosts only, never the gateway', () =>
    loadOrCreateJoinKey(auth.joinKeyFile),
  );
  for (const department of chosen) {
    const file = `${department}.jwk.json`;
    await keep(
      join(auth.departmentKeys.signingDir, file),
      `${department}'s audit and registry signing key: its own subgraph host only`,
      () => loadOrCreateDepartmentKey(auth.departmentKeys, department),
    );
    lines.push(
      `      ${join(auth.departmentKeys.verifyDir, file)}  (its public half: gateways, the platform subgraph, audit:verify)`,
    );
  }
  // The platform's own subgraphs (platform, crosslevel) are published with a key of their own.
  const platformFile = `${PLATFORM_SIGNER}.jwk.json`;
  await keep(
    join(auth.departmentKeys.signingDir, platformFile),
    "the platform's registry signing key: the platform subgraph's host only",
    () => loadOrCreateDepartmentKey(auth.departmentKeys, PLATFORM_SIGNER),
  );
  lines.push(
    `      ${join(auth.departmentKeys.verifyDir, platformFile)}  (its public half: gateways, the platform subgraph)`,
  );
  console.log(lines.join('\n'));
}
