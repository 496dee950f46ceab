/**
 * The README, run as a newcomer would: its marked blocks are extracted and run
 * in the order written against a fresh platform (as `npm start` makes it), and
 * the answers it prints are checked. A Markdown check fails on fences that are
 * never closed or swallow text, and on headings that do not render.
 *
 * Markers are HTML comments just before a fence, invisible when rendered:
 *
 *   <!-- readme-test: shell -->       run the fence with bash (`npm run X -- …`
 *                                     runs the project's script X; the gateway's
 *                                     address is the test platform's); exit 0
 *   <!-- readme-test: graphql -->     send the operation through the gateway as the
 *                                     token its `# … npm run token -- …` comment names,
 *                                     with the `X-Purpose` it names; no errors
 *   <!-- readme-test: validate -->    an alternative to an operation already run:
 *                                     it must validate against the gateway's schema
 *   <!-- readme-test: variables -->   the JSON variables of the operation before it
 *   <!-- readme-test: answer -->      the answer of the block before it (the whole
 *                                     body, its data, or its one root field's value),
 *                                     compared exactly, request ids aside
 *   <!-- readme-test: file NAME -->   writes the fence to NAME in the shell's folder
 *
 * Options: `expect=CODE` (the operation is refused with that error code),
 * `capture=NAME:path.to.value` (remember a value of the answer), `use=VAR:NAME`
 * (set variable VAR to a remembered value, which the README shows as `…`),
 * `file=VAR:NAME` (set VAR to the text of a file written before), `retry=MS`
 * (send again while it errs, as a reader would), `settle` (first have the platform
 * reload grants and the registry, which it does within a second anyway), `id=NAME`
 * (a further check below, by name).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildClientSchema,
  getIntrospectionQuery,
  parse,
  validate,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../server/index.ts';
import { postGraphQL, startTestPlatform, type TestPlatform } from '../support/testPlatform.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The parts of a catalogue entry the walk-through compares. */
interface Entry {
  binding: unknown;
  items: { name: string; type: string; column: string }[];
}

interface Block {
  kind: string;
  /** `key=value` options of the marker; a bare word is a flag, and the first one is `arg` too. */
  options: Record<string, string>;
  /** The fence's info string (`graphql`, `sh`, …) and text. */
  info: string;
  text: string;
  /** 1-based line of the fence's opening in README.md. */
  line: number;
}

const markdown = new MarkdownIt({ html: true });
const tokens = markdown.parse(README, {});
const lines = README.split('\n');

/** The marked fences, in order; throws on a marker not followed by a fence. */
function markedBlocks(): Block[] {
  const blocks: Block[] = [];
  let pending: { kind: string; options: Record<string, string>; line: number } | null = null;
  for (const token of tokens) {
    const marker = /<!--\s*readme-test:\s*(\S+)(.*?)\s*-->/s.exec(token.content);
    if (token.type === 'html_block' && marker) {
      if (pending) throw new Error(`README line ${pending.line}: marker without a fence`);
      const options: Record<string, string> = {};
      for (const word of marker[2]!.trim().split(/\s+/).filter(Boolean)) {
        const eq = word.indexOf('=');
        if (eq < 0) {
          options.arg ??= word;
          options[word] = 'true';
        } else options[word.slice(0, eq)] = word.slice(eq + 1);
      }
      pending = { kind: marker[1]!, options, line: token.map![0] + 1 };
      continue;
    }
    if (token.type === 'fence' && pending) {
      blocks.push({
        kind: pending.kind,
        options: pending.options,
        info: token.info.trim(),
        text: token.content,
        line: token.map![0] + 1,
      });
      pending = null;
    } else if (pending && token.type !== 'html_block') {
      throw new Error(
        `README line ${pending.line}: a readme-test marker must come right before a fence`,
      );
    }
  }
  return blocks;
}

describe('README.md as Markdown', () => {
  it('closes every code fence on a line of its own, and no fence swallows another', () => {
    const problems: string[] = [];
    for (const token of tokens.filter((t) => t.type === 'fence')) {
      const [start, end] = token.map!;
      const closing = lines[end - 1] ?? '';
      const fence = token.markup;
      const closes = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
      if (end - 1 === start || !closes.test(closing)) {
        problems.push(
          `line ${start + 1}: the ${fence} fence is not closed by a line of ${fence} alone`,
        );
      }
      token.content.split('\n').forEach((text, i) => {
        if (/^ {0,3}(`{3,}|~{3,})/.test(text))
          problems.push(
            `line ${start + 2 + i}: a fence line inside the fence opened at line ${start + 1}`,
          );
        if (/^#{2,6} \S/.test(text))
          problems.push(
            `line ${start + 2 + i}: a heading inside the fence opened at line ${start + 1}`,
          );
      });
    }
    expect(problems).toEqual([]);
  });

  it('renders every heading line as a heading', () => {
    const inBlocks = new Set<number>();
    for (const t of tokens) {
      if (['fence', 'code_block', 'html_block'].includes(t.type) && t.map) {
        for (let l = t.map[0]; l < t.map[1]; l++) inBlocks.add(l);
      }
    }
    const headings = new Set(tokens.filter((t) => t.type === 'heading_open').map((t) => t.map![0]));
    const unrendered = lines
      .map((text, i) => ({ text, i }))
      .filter(({ text, i }) => /^#{1,6}(\s|$)/.test(text) && !inBlocks.has(i) && !headings.has(i))
      .map(({ text, i }) => `line ${i + 1}: ${text}`);
    expect(unrendered).toEqual([]);
    // A heading written without the space (`##Title`) renders as text.
    expect(lines.filter((l) => /^#{1,6}[^#\s]/.test(l))).toEqual([]);
  });

  it('lists every variable server/config/loadConfig.ts reads in the configuration table', () => {
    const source = readFileSync(join(ROOT, 'server', 'config', 'loadConfig.ts'), 'utf8');
    const schema = source.slice(source.indexOf('const envSchema = z.object({'));
    const read = [
      ...schema.slice(0, schema.indexOf('\n});')).matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm),
    ].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(30);
    const section = README.slice(README.indexOf('## Configuration'));
    const table = section.slice(0, section.indexOf('\n## '));
    const listed = new Set(
      table
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .flatMap((l) => [...l.split('|')[1]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1]!)),
    );
    expect(read.filter((name) => !listed.has(name))).toEqual([]);
    expect([...listed].filter((name) => !read.includes(name))).toEqual([]);
  });

  it('puts each marker right before a fence, and runs at least the walk-throughs', () => {
    const blocks = markedBlocks();
    expect(blocks.filter((b) => b.kind === 'graphql').length).toBeGreaterThan(15);
    expect(blocks.filter((b) => b.kind === 'shell').length).toBeGreaterThan(3);
    for (const block of blocks) {
      expect(
        ['shell', 'graphql', 'validate', 'variables', 'answer', 'file'],
        `line ${block.line}`,
      ).toContain(block.kind);
    }
  });
});

/** The identity and purpose a GraphQL block's comment names (`npm run token -- …`, `X-Purpose: …`). */
function callerOf(block: Block): {
  token: { department: string; roles: Role[]; user?: string } | null;
  purpose: string | null;
} {
  const comment = block.text
    .split('\n')
    .filter((l) => l.trimStart().startsWith('#'))
    .join(' ');
  const purpose = /X-Purpose:\s*([\w-]+)/i.exec(comment)?.[1] ?? null;
  const command = /npm run (?:--silent )?token -- ((?:--[\w-]+ [\w-]+\s*)+)/.exec(comment);
  if (!command) return { token: null, purpose };
  const args = Object.fromEntries(
    [...command[1]!.matchAll(/--([\w-]+) ([\w-]+)/g)].map((m) => [m[1]!, m[2]!]),
  );
  const role = (args.role ?? 'APP_DEVELOPER') as Role;
  expect(ROLES, `line ${block.line}: role`).toContain(role);
  return {
    token: {
      department: args.department!,
      roles: [role],
      ...(args.user ? { user: args.user } : {}),
    },
    purpose,
  };
}

/** A response without its per-request ids, which the README cannot know. */
function withoutRequestIds(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v: unknown) =>
    key === 'requestId' ? undefined : v,
  );
}

/** The part of `body` an answer fence shows: the whole body, its data, or its one root field. */
function shownPart(body: Record<string, unknown>, answer: Record<string, unknown>): unknown {
  if ('data' in answer || 'errors' in answer) return body;
  const data = (body.data ?? {}) as Record<string, unknown>;
  const roots = Object.keys(data);
  if (roots.length === 1 && !(roots[0]! in answer)) return data[roots[0]!];
  return data;
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown>)?.[key], value);
}

/** Further checks of blocks, by the marker's `id`: what an answer fence cannot show. */
const CHECKS: Record<string, (output: string, state: Map<string, unknown>, dir: string) => void> = {
  apikey(output) {
    const issued = /API key ([0-9a-f]{16}) for civil_affairs\/relief-app/.exec(output);
    expect(issued, output).not.toBeNull();
    const secret = /gdk_[0-9a-f]{16}_\S+/.exec(output)![0];
    const listing = output.slice(output.indexOf('id\tdepartment'));
    expect(listing).toMatch(
      // created, expires (every key does), revoked
      new RegExp(`${issued![1]}\\tcivil_affairs\\trelief-app\\tAPP_DEVELOPER\\t\\S+\\t\\S+\\t-`),
    );
    expect(listing).not.toContain(secret.slice(22));
  },
  datasetInit(output, state, dir) {
    expect(output).toContain('wrote meters.yaml');
    state.set('skeleton', parseYaml(readFileSync(join(dir, 'meters.yaml'), 'utf8')));
  },
  /** The filled-in entry the README shows keeps what `dataset init` read from the table. */
  filledMeters(text, state) {
    const skeleton = state.get('skeleton') as Entry;
    const filled = parseYaml(text) as Entry;
    expect(filled.binding).toEqual(skeleton.binding);
    const columns = (entry: Entry) => entry.items.map((i) => `${i.name}:${i.type}:${i.column}`);
    expect(columns(filled)).toEqual(columns(skeleton));
    expect(text).not.toContain('TODO');
  },
  subgraphCheck(output) {
    expect(output).toContain('city_water: the check passes');
  },
};

describe('README.md, run in order against a fresh platform', () => {
  let platform: TestPlatform;
  let workDir: string;
  let schema: GraphQLSchema;
  const state = new Map<string, unknown>();
  /** The last run block's answer, for an `answer` fence after it. */
  let last: { line: number; body: Record<string, unknown> } | null = null;

  beforeAll(async () => {
    platform = await startTestPlatform('sqlite');
    workDir = mkdtempSync(join(tmpdir(), 'govdata-readme-'));
    const admin = await platform.token({ department: 'data_office', roles: ['ADMIN'] });
    const introspection = await postGraphQL<IntrospectionQuery>(
      platform.gateway.url,
      getIntrospectionQuery(),
      {},
      { authorization: `Bearer ${admin}` },
    );
    schema = buildClientSchema(introspection.data!);
  });
  afterAll(async () => {
    await platform?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Runs a shell block as the README's reader would, with `npm run X` running the project's script X. */
  async function shell(
    text: string,
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const scripts = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const cases = Object.entries(scripts)
      .map(
        ([name, command]) =>
          [name, /^(?:exec )?tsx (scripts\/\S+\.ts)$/.exec(command)?.[1]] as const,
      )
      .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
      .map(
        ([name, file]) => `    ${name}) "${ROOT}/node_modules/.bin/tsx" "${ROOT}/${file}" "$@" ;;`,
      )
      .join('\n');
    const prelude = `set -eo pipefail
npm() {
  [ "$1" = run ] || { echo "the README test runs only npm run" >&2; return 2; }
  shift; [ "$1" = --silent ] && shift
  local name=$1; shift; [ "$1" = -- ] && shift
  case $name in
${cases}
    *) echo "no npm script $name" >&2; return 2 ;;
  esac
}
npx() { [ "$1" = govdata ] && { shift; npm run govdata -- "$@"; } || command npx "$@"; }
`;
    const origin = platform.gateway.url.replace(/\/graphql$/, '');
    // Asynchronously: the platform answering the commands runs in this process.
    const child = spawn(
      'bash',
      ['-c', prelude + text.replaceAll('http://127.0.0.1:4000', origin)],
      {
        cwd: workDir,
        env: { ...process.env, DATA_DIR: platform.database.dir, LOG_LEVEL: 'silent' },
        timeout: 120_000,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { status, stdout, stderr };
  }

  const blocks = markedBlocks();
  for (const [index, block] of blocks.entries()) {
    const title = `line ${block.line}: ${block.kind} ${
      block.text
        .split('\n')
        .find((l) => l.trim() && !l.startsWith('#'))
        ?.trim()
        .slice(0, 60) ?? ''
    }`;
    it(title, { timeout: 180_000 }, async () => {
      const check = block.options.id ? CHECKS[block.options.id] : undefined;
      if (block.options.id) expect(check, `no check named ${block.options.id}`).toBeDefined();
      switch (block.kind) {
        case 'file':
          check?.(block.text, state, workDir);
          writeFileSync(join(workDir, block.options.arg!), block.text);
          return;
        case 'variables':
          expect(blocks[index - 1]?.kind, 'variables follow an operation').toMatch(
            /^(graphql|validate)$/,
          );
          return;
        case 'answer': {
          expect(last, 'an answer fence follows a block that ran').not.toBeNull();
          const answer = JSON.parse(block.text) as Record<string, unknown>;
          expect(
            withoutRequestIds(shownPart(last!.body, answer)),
            `the answer at line ${block.line}`,
          ).toEqual(withoutRequestIds(answer));
          return;
        }
        case 'shell': {
          const result = await shell(block.text);
          expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(
            Number(block.options.exit ?? 0),
          );
          check?.(result.stdout + result.stderr, state, workDir);
          const json = result.stdout.trim().startsWith('{') ? result.stdout : null;
          last = json
            ? { line: block.line, body: JSON.parse(json) as Record<string, unknown> }
            : null;
          return;
        }
        case 'validate': {
          expect(validate(schema, parse(block.text)).map((e) => e.message)).toEqual([]);
          return;
        }
        case 'graphql':
          break;
        default:
          throw new Error(`unknown readme-test kind ${block.kind}`);
      }
      const next = blocks[index + 1];
      const variables =
        next?.kind === 'variables' ? (JSON.parse(next.text) as Record<string, unknown>) : {};
      for (const use of (block.options.use ?? '').split(',').filter(Boolean)) {
        const [name, from] = use.split(':') as [string, string];
        expect(state.has(from), `line ${block.line}: ${from} was remembered before`).toBe(true);
        expect(variables[name], `line ${block.line}: the README shows ${name} as …`).toMatch(/…/);
        variables[name] = state.get(from);
      }
      for (const use of (block.options.file ?? '').split(',').filter(Boolean)) {
        const [name, file] = use.split(':') as [string, string];
        variables[name] = readFileSync(join(workDir, file), 'utf8');
      }
      const caller = callerOf(block);
      const headers: Record<string, string> = {};
      if (caller.token) headers.authorization = `Bearer ${await platform.token(caller.token)}`;
      if (caller.purpose) headers['x-purpose'] = caller.purpose;
      // `settle`: the README says a change is in force within a second; instead of waiting
      // (and sending again, which the audit would count), have the platform reload now.
      if (block.options.settle !== undefined) {
        await platform.policies.reload();
        await platform.registry.poll();
      }
      const send = () =>
        postGraphQL<Record<string, unknown>>(platform.gateway.url, block.text, variables, headers);
      let response = await send();
      // `retry=MS`: the README says the change reaches the gateway within a second; a reader retries.
      const until = Date.now() + Number(block.options.retry ?? 0);
      while (response.errors && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        response = await send();
      }
      const { status, ...body } = response;
      if (block.options.expect) {
        expect(
          response.errors?.map((e) => e.extensions?.code),
          JSON.stringify(body),
        ).toContain(block.options.expect);
      } else {
        expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
        expect(status).toBe(200);
      }
      for (const capture of (block.options.capture ?? '').split(',').filter(Boolean)) {
        const [name, path] = capture.split(':') as [string, string];
        const value = at(response.data, path);
        expect(value, `line ${block.line}: ${path}`).toBeDefined();
        state.set(name, value);
      }
      check?.(JSON.stringify(body), state, workDir);
      last = { line: block.line, body };
    });
  }
});
