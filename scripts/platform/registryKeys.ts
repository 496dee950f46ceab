import { createPublicKey, KeyObject } from 'node:crypto';
import {
  DepartmentVerifyKeys,
  loadDepartmentSigningKey,
  type PlatformConfig,
  type PlatformKey,
} from '../../server/index.ts';
import type { CatalogueDepartment } from '../../schema/index.ts';
import {
  PLATFORM_SIGNER,
  publishedCatalogueSdl,
  RegistrySigner,
  type CompositionKeys,
  type RegistryTrust,
} from '../../subgraphs/platform/registry/index.ts';

/**
 * The keys each role holds for the subgraph registry (`registrySignatures`):
 * the signing key of the subgraphs it publishes, and which stored compositions
 * it trusts — those signed by a gateway or by the platform's key, whose public
 * halves it finds in its own key files, never in the database.
 */

/** The public keys a stored composition may be signed with: the gateway's, and the platform's where provisioned. */
function compositionVerifiers(
  keys: DepartmentVerifyKeys,
  gatewayPublicKey: PlatformKey,
): KeyObject[] {
  const gateway = keyObject(gatewayPublicKey);
  try {
    return [gateway, keys.departmentKey(PLATFORM_SIGNER)];
  } catch {
    return [gateway];
  }
}

const keyObject = (key: PlatformKey): KeyObject =>
  key instanceof KeyObject ? key : KeyObject.from(key);

/**
 * A gateway's: it composes registry entries signed with their subgraph's key
 * that declare no more than the catalogue published for `departments` (from
 * their folders) generates, and reuses and stores compositions signed with its
 * own key (every gateway replica holds the same).
 */
export function gatewayRegistryTrust(
  config: PlatformConfig,
  gatewaySigningKey: PlatformKey,
  departments: readonly Omit<CatalogueDepartment, 'entries'>[],
): RegistryTrust {
  const signing = keyObject(gatewaySigningKey);
  const entries = new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir);
  return {
    entries,
    catalogueSdl: publishedCatalogueSdl(departments, config.maxPageSize),
    compositions: {
      trusted: compositionVerifiers(entries, createPublicKey(signing)),
      signing,
    },
  };
}

/**
 * A host serving one department's subgraph, or the platform's own (`signer`
 * `PLATFORM_SIGNER`): it publishes with that key only, which it never makes,
 * and reads trusted compositions but stores none, since a department host
 * cannot vouch for one.
 */
export function hostRegistryKeys(
  config: PlatformConfig,
  signer: string,
  gatewayPublicKey: PlatformKey,
): { signer: RegistrySigner; compositions: CompositionKeys } {
  let key: KeyObject;
  try {
    key = loadDepartmentSigningKey(config.auth.departmentKeys.signingDir, signer);
  } catch (error) {
    if (signer !== PLATFORM_SIGNER) throw error;
    throw new Error(
      `No registry signing key of the platform at ${config.auth.departmentKeys.signingDir}: the ` +
        `platform's own subgraphs are published with ${PLATFORM_SIGNER}.jwk.json there ` +
        '(DEPARTMENT_SIGNING_KEYS_DIR), and gateways check them with its public half in their ' +
        'DEPARTMENT_VERIFY_KEYS_DIR. `npx govdata keys init` makes both once.',
      { cause: error },
    );
  }
  return {
    signer: new RegistrySigner({ [signer]: key }),
    compositions: {
      trusted: compositionVerifiers(
        new DepartmentVerifyKeys(config.auth.departmentKeys.verifyDir),
        gatewayPublicKey,
      ),
      ...(signer === PLATFORM_SIGNER ? { signing: key } : {}),
    },
  };
}
