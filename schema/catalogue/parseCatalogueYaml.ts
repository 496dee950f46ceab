import { CORE_SCHEMA, load as loadYamlQuickly } from 'js-yaml';
import { parse as parseYaml, YAMLParseError } from 'yaml';

/**
 * Bounds on a catalogue document (a `department.yaml`, a catalogue entry file,
 * or a draft sent to `saveCatalogueDraft`). The largest demo entry is under
 * 3 KB and nests 4 levels; the bounds leave room for entries a hundred times
 * larger while refusing, in milliseconds, documents made to stall the parser
 * (deep nesting costs the YAML parser time that grows faster than the
 * document) or to expand (aliases of aliases).
 */
export const CATALOGUE_YAML_LIMITS = {
  /** Largest document, in bytes of UTF-8. */
  maxBytes: 256 * 1024,
  /** Deepest nesting of mappings and sequences, block or flow style. */
  maxDepth: 24,
  /** Most alias nodes (`*name`) resolved, counting repeats inside repeats. */
  maxAliases: 50,
  /**
   * Most lines and commas together: an upper bound on the nodes the parser
   * builds, whose time grows with them (16,000 flow-list entries, 32 KB, took
   * a quarter of a second on the process that serves every department; a
   * 250 KB list, most of a second). The largest demo entry has about 100.
   */
  maxNodes: 5000,
} as const;

/** A document refused before or while parsing; the message names the limit and what to do. */
export class CatalogueYamlError extends Error {
  override name = 'CatalogueYamlError';
}

/**
 * Parses a catalogue document given as YAML (or JSON, which is YAML). The size
 * and nesting are checked first, in one linear pass over the text, so a
 * document over a limit never reaches the parser; aliases are bounded while
 * parsing. Throws `CatalogueYamlError` with a message fit for the author.
 *
 * Two parsers, one meaning. `yaml` is the reference: it bounds aliases and its
 * errors say where and what. `js-yaml` with the same YAML 1.2 core schema
 * parses a plain document six times faster (a province's 10,000 entries:
 * 0.6 s against 3.8 s, with identical values), so it goes first on documents
 * it reads the same way: those with no alias (`*`, so nothing to bound) and no
 * directive (`%YAML 1.1` changes the reference's schema). Whatever it refuses
 * or finds empty goes to the reference, whose value or error is the answer.
 */
export function parseCatalogueYaml(text: string): unknown {
  const { maxBytes, maxDepth, maxAliases } = CATALOGUE_YAML_LIMITS;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) {
    throw new CatalogueYamlError(
      `is ${bytes} bytes; a catalogue document may be at most ${maxBytes} bytes: split it into one entry per document`,
    );
  }
  const nodes = separators(text, CATALOGUE_YAML_LIMITS.maxNodes);
  if (nodes > CATALOGUE_YAML_LIMITS.maxNodes) {
    throw new CatalogueYamlError(
      `has more than ${CATALOGUE_YAML_LIMITS.maxNodes} lines and list entries; a catalogue entry needs a few hundred: split it into one entry per document, or shorten its lists`,
    );
  }
  const depth = nestingDepth(text, maxDepth);
  if (depth > maxDepth) {
    throw new CatalogueYamlError(
      `nests more than ${maxDepth} levels deep; a catalogue entry needs about 5: flatten the document`,
    );
  }
  const quick = readsAlike(text) ? parsedQuickly(text) : undefined;
  if (quick !== undefined) return quick;
  try {
    return parseYaml(text, { maxAliasCount: maxAliases }) as unknown;
  } catch (error) {
    if (error instanceof YAMLParseError) throw new CatalogueYamlError(error.message);
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      throw new CatalogueYamlError(
        `resolves more than ${maxAliases} aliases; write the repeated parts out instead of aliasing them`,
      );
    }
    throw error;
  }
}

/**
 * Whether `js-yaml` reads `text` as `yaml` does, as far as the text shows: no
 * alias, no directive, no tag (`!!float 1` is a number to one, a string to the
 * other).
 */
function readsAlike(text: string): boolean {
  return !text.includes('*') && !/^%/m.test(text) && !/(?:^|[\s[\]{},:])!/m.test(text);
}

/**
 * `text` parsed by `js-yaml`, or undefined where it finds nothing, refuses it,
 * or made a key of something other than a string (`null:` is the key "null"
 * to one and "" to the other; see `keyFromNonString`).
 */
function parsedQuickly(text: string): unknown {
  let value: unknown;
  try {
    value = loadYamlQuickly(text, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  return value === null || hasKeyFromNonString(value) ? undefined : value;
}

/**
 * Whether a mapping in `value` has a key that may have been written as a
 * null, boolean, number or collection: the parsers turn those into different
 * strings. Catalogue documents' keys are field names, never these.
 */
function hasKeyFromNonString(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasKeyFromNonString);
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (keyFromNonString(key) || hasKeyFromNonString(inner)) return true;
  }
  return false;
}

/** A key `js-yaml` may have made from a null, boolean, number or collection. */
function keyFromNonString(key: string): boolean {
  return (
    key === '' ||
    /^(?:null|true|false|NaN|-?Infinity)$/.test(key) ||
    /^[-+.\d]/.test(key) ||
    key.includes(',') ||
    key.startsWith('[object')
  );
}

/** Newlines and commas in `text`, counted up to one past `limit`. */
function separators(text: string, limit: number): number {
  let count = 0;
  for (let i = 0; i < text.length && count <= limit; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || code === 0x2c) count++;
  }
  return count;
}

/** Characters after which a flow collection or a quoted scalar may begin. */
const VALUE_START = new Set([':', '-', '?', ',', '[', '{']);

/**
 * An upper estimate of how deeply `text` nests mappings and sequences, from
 * indentation (block style, counting compact `- - x` items) and brackets
 * outside quotes and comments (flow style, JSON). Stops counting once past
 * `limit`. Linear in the text; it never builds anything.
 */
export function nestingDepth(text: string, limit: number): number {
  const indents: number[] = [];
  let flow = 0;
  let deepest = 0;
  let quote: '"' | "'" | null = null;
  /** Indentation of the line that opened a block scalar (`|`, `>`), while inside one. */
  let blockScalarOf: number | null = null;
  let lineStart = 0;
  while (lineStart <= text.length && deepest <= limit) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && text[i] === ' ') i++;
    const indent = i - lineStart;
    const blank = i >= lineEnd || text[i] === '#' || text[i] === '\r';
    if (blockScalarOf !== null && (blank || indent > blockScalarOf)) {
      lineStart = lineEnd + 1;
      continue;
    }
    blockScalarOf = null;
    if (quote === null && flow === 0 && !blank) {
      while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
      // A line that opens a flow collection nests by its brackets, counted below.
      const opensFlow = text[i] === '[' || text[i] === '{';
      if (!opensFlow && (indents.length === 0 || indents[indents.length - 1]! < indent)) {
        indents.push(indent);
      }
      // Compact nested items: each `- ` (or `? `) on the line opens one more level.
      while ((text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || i + 1 === lineEnd)) {
        i += 2;
        while (i < lineEnd && text[i] === ' ') i++;
        indents.push(i - lineStart);
      }
    }
    let previous = quote === null ? ':' : '';
    for (; i < lineEnd; i++) {
      const c = text[i]!;
      if (quote !== null) {
        if (c === '\\' && quote === '"') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = null;
        }
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r') continue;
      if (c === '#' && (i === lineStart || text[i - 1] === ' ' || text[i - 1] === '\t')) break;
      if ((c === '"' || c === "'") && VALUE_START.has(previous)) quote = c;
      else if ((c === '[' || c === '{') && (flow > 0 || VALUE_START.has(previous))) {
        deepest = Math.max(deepest, indents.length + ++flow);
        if (deepest > limit) return deepest;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
      else if ((c === '|' || c === '>') && flow === 0 && VALUE_START.has(previous)) {
        blockScalarOf = indent;
      }
      previous = c;
    }
    deepest = Math.max(deepest, indents.length + flow);
    lineStart = lineEnd + 1;
  }
  return deepest;
}
