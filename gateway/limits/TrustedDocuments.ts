import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PersistedQueryOptions } from '@apollo/server';
import type { Caller } from '../../server/index.ts';

/** Who a safelist is for: every caller, a department, or one of its applications. */
const EVERYONE = '*';

/**
 * Trusted-documents mode: each application answers only the operations on its
 * safelist. The file maps a consumer — `*` (every caller, anonymous ones
 * included), a department (`civil_affairs`, any of its applications) or an
 * application (`civil_affairs/relief-app`) — to its operations, each keyed by
 * the SHA-256 of its text (the hash APQ clients send):
 *
 * ```json
 * { "civil_affairs/relief-app": { "<sha256 hex>": "query Person($id: String!) { … }" } }
 * ```
 *
 * Every hash is checked against its document when the file is read.
 */
export class TrustedDocuments {
  private constructor(
    private readonly documents: ReadonlyMap<string, string>,
    private readonly safelists: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  /** Reads and checks a safelist file; throws naming the first problem. */
  static load(file: string): TrustedDocuments {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`trusted documents file ${file}: ${(error as Error).message}`);
    }
    return TrustedDocuments.from(parsed, file);
  }

  static from(parsed: unknown, file = 'trusted documents'): TrustedDocuments {
    if (!isRecord(parsed)) throw new Error(`${file}: expected an object of consumers`);
    const documents = new Map<string, string>();
    const safelists = new Map<string, Set<string>>();
    for (const [consumer, operations] of Object.entries(parsed)) {
      if (!isRecord(operations)) {
        throw new Error(`${file}: ${consumer}: expected an object of hash → document`);
      }
      const hashes = new Set<string>();
      for (const [hash, document] of Object.entries(operations)) {
        if (typeof document !== 'string' || sha256(document) !== hash.toLowerCase()) {
          throw new Error(`${file}: ${consumer}: ${hash} is not the SHA-256 of its document`);
        }
        documents.set(hash.toLowerCase(), document);
        hashes.add(hash.toLowerCase());
      }
      safelists.set(consumer, hashes);
    }
    return new TrustedDocuments(documents, safelists);
  }

  /** Whether `caller` may run the document whose SHA-256 is `hash`. */
  allows(caller: Caller | null, hash: string): boolean {
    const keys = [EVERYONE];
    if (caller) {
      keys.push(caller.department);
      if (caller.application) keys.push(`${caller.department}/${caller.application}`);
    }
    return keys.some((key) => this.safelists.get(key)?.has(hash) ?? false);
  }

  /**
   * The persisted-query store of trusted-documents mode: a hash finds its
   * document if any safelist has it (whose safelist is checked after), and
   * nothing can be registered.
   */
  asPersistedQueryCache(): NonNullable<PersistedQueryOptions['cache']> {
    return {
      get: async (key) => this.documents.get(key.replace(/^apq:/, '')),
      set: async () => {},
      delete: async () => {},
    };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
