import type { PlatformConfig } from '../../server/index.ts';
import { ok } from './responses.ts';
import type { GraphQLResponse, TestPlatform } from './testPlatform.ts';

const SAVE = `mutation($doc: String!) { saveCatalogueDraft(document: $doc, changeReason: "registered by a test", triggerDate: "2026-11-20") { code version } }`;
const SUBMIT = `mutation($code: String!) { submitCatalogueEntry(code: $code, version: 1) { status warnings } }`;
const PUBLISH = `mutation($code: String!) { publishCatalogueEntry(code: $code, version: 1) { status } }`;

/** Saves `document` as version 1 of its code through the gateway, as department IT would. */
export async function saveEntryDraft(
  platform: TestPlatform,
  deptIt: Record<string, string>,
  document: { code: string },
): Promise<void> {
  ok(await platform.query(SAVE, { doc: JSON.stringify(document) }, deptIt));
}

/** Submits version 1 of `code`; the raw response, to check a refusal. */
export function submitEntry(
  platform: TestPlatform,
  deptIt: Record<string, string>,
  code: string,
): Promise<GraphQLResponse<{ submitCatalogueEntry: { status: string; warnings: string[] } }>> {
  return platform.query(SUBMIT, { code }, deptIt);
}

/**
 * Saves, submits and publishes `document` (its table must exist in the
 * department's database); returns the warnings the reviewer saw.
 */
export async function registerEntry(
  platform: TestPlatform,
  deptIt: Record<string, string>,
  reviewer: Record<string, string>,
  document: { code: string },
): Promise<string[]> {
  await saveEntryDraft(platform, deptIt, document);
  const { warnings } = ok(await submitEntry(platform, deptIt, document.code)).submitCatalogueEntry;
  ok(await platform.query(PUBLISH, { code: document.code }, reviewer));
  return warnings;
}

/**
 * Publishing an entry checks and rebuilds the department's subgraph, which on
 * a loaded shared machine can take longer than the gateway's default 5 s for a
 * subgraph; tests that register entries test behaviour, not latency.
 */
export function patientWithRegistration(config: PlatformConfig): PlatformConfig {
  return {
    ...config,
    timeouts: { ...config.timeouts, subgraphFetchMs: 30_000, requestMs: 60_000 },
  };
}
