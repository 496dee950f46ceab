import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createFileOnce } from './createFileOnce.ts';
import { DEPARTMENT_CODE } from './RequestIdentity.ts';

/**
 * Department audit keys: each department subgraph host signs the ACCESS
 * records it produces with its department's Ed25519 private key, and the
 * gateway and the audit verifier check them with the public half. Both halves
 * are JWK files named `<department>.jwk.json`, one folder for the private keys
 * (a department host needs only its own) and one for the public keys (the
 * gateway and auditors need every department's). The gateway never holds a
 * department's private key: that is what keeps it from writing a department's
 * records.
 */
export interface DepartmentKeyFolders {
  /** `<department>.jwk.json` private keys (DEPARTMENT_SIGNING_KEYS_DIR). */
  signingDir: string;
  /** `<department>.jwk.json` public keys (DEPARTMENT_VERIFY_KEYS_DIR). */
  verifyDir: string;
}

/** Department codes as the catalogue allows them: also safe as file names. */

function keyFile(dir: string, department: string): string {
  if (!DEPARTMENT_CODE.test(department)) {
    throw new Error(`${JSON.stringify(department)} is not a department code`);
  }
  return resolve(dir, `${department}.jwk.json`);
}

/**
 * The department's private key, making the pair on first use (development:
 * `npm start` needs no setup) and keeping the public half where the gateway
 * and the verifier read it.
 */
export function loadOrCreateDepartmentKey(
  folders: DepartmentKeyFolders,
  department: string,
): KeyObject {
  const privateFile = keyFile(folders.signingDir, department);
  const publicFile = keyFile(folders.verifyDir, department);
  if (!existsSync(privateFile)) {
    const pair = generateKeyPairSync('ed25519');
    createFileOnce(privateFile, JSON.stringify(pair.privateKey.export({ format: 'jwk' })), 0o600);
  }
  // The public half is made from the private key that won, whoever made it.
  const privateKey = readKey(privateFile, 'private');
  createFileOnce(
    publicFile,
    JSON.stringify(createPublicKey(privateKey).export({ format: 'jwk' })),
    0o644,
  );
  return privateKey;
}

/**
 * The department's private key, never making one: a department host served on
 * its own (`govdata serve`) with a key of its own making would sign records
 * that no gateway or auditor can check.
 */
export function loadDepartmentSigningKey(signingDir: string, department: string): KeyObject {
  const file = keyFile(signingDir, department);
  if (!existsSync(file)) {
    throw new Error(
      `No audit signing key for department ${department} at ${file}: provision the department's ` +
        `Ed25519 private key there as ${department}.jwk.json (DEPARTMENT_SIGNING_KEYS_DIR), and its ` +
        "public half in the gateway's and auditors' DEPARTMENT_VERIFY_KEYS_DIR. `npm start` makes both once.",
    );
  }
  return readKey(file, 'private');
}

/**
 * The departments' public keys, read from their folder when first asked for
 * and kept; a department whose file is missing is looked for again at the next
 * ask (it may be provisioned while the gateway runs).
 */
export class DepartmentVerifyKeys {
  private readonly keys = new Map<string, KeyObject>();

  constructor(readonly dir: string) {}

  /** The department's public key; throws, saying what to provision, when there is none. */
  departmentKey(department: string): KeyObject {
    const known = this.keys.get(department);
    if (known) return known;
    const file = keyFile(this.dir, department);
    if (!existsSync(file)) {
      throw new Error(
        `No audit verify key for department ${department} at ${file}: provision the public half ` +
          `of the department's signing key there as ${department}.jwk.json (DEPARTMENT_VERIFY_KEYS_DIR).`,
      );
    }
    const key = readKey(file, 'public');
    this.keys.set(department, key);
    return key;
  }
}

function readKey(file: string, half: 'private' | 'public'): KeyObject {
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JsonWebKey;
  if (
    jwk.kty !== 'OKP' ||
    jwk.crv !== 'Ed25519' ||
    (half === 'private') !== (jwk.d !== undefined)
  ) {
    throw new Error(
      `${file} does not hold an Ed25519 ${half} key (a JWK with kty OKP, crv Ed25519)`,
    );
  }
  return half === 'private'
    ? createPrivateKey({ key: jwk, format: 'jwk' })
    : createPublicKey({ key: jwk, format: 'jwk' });
}
