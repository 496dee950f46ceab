import { RE2JS } from 're2js';

/** Longest pattern a catalogue may declare, in characters. */
export const MAX_PATTERN_LENGTH = 256;

/**
 * Most steps a pattern may expand to, counting each repetition `{m,n}` as
 * that many copies of what it repeats (nested ones multiplied). RE2's time is
 * linear in the input, but its program grows with the expansion, and re2js
 * takes time in proportion to both: one 238-character pattern of 26
 * `.{1,1000}` took a second to compile and another to match a long value, on
 * the process that serves every department. 256 steps compile in milliseconds.
 */
export const MAX_PATTERN_STEPS = 256;

/** Compiled patterns by source: a catalogue is assembled again on every publication and reload. */
const compiledPatterns = new Map<string, SafePattern>();
const PATTERNS_KEPT = 10_000;

/**
 * The steps `source` expands to: each atom (a character, an escape, a class,
 * `.`) 1, a group the sum of its parts (the largest branch where there is
 * `|`), a repetition `{m,n}` its part times n (m for `{m}` and `{m,}`, plus
 * one), `*` `+` `?` their part once more. An estimate of RE2's program size,
 * from the text alone, made before anything is compiled.
 */
export function patternSteps(source: string): number {
  // Per open group: the finished branches' largest, the branch so far, and its last part.
  const stack: { best: number; branch: number; last: number }[] = [{ best: 0, branch: 0, last: 0 }];
  const top = () => stack[stack.length - 1]!;
  const atom = (size: number) => {
    const group = top();
    group.branch += size;
    group.last = size;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      // An escape is one atom; \p{…} / \P{…} with its braces.
      i +=
        /[pP]/.test(source[i + 1] ?? '') && source[i + 2] === '{'
          ? source.indexOf('}', i) + 1 || source.length
          : 2;
      atom(1);
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      i = j + 1;
      atom(1);
    } else if (c === '(') {
      stack.push({ best: 0, branch: 0, last: 0 });
      i++;
      // A group's flags or name ((?:, (?i), (?P<name>) are no steps.
      if (source[i] === '?') {
        const end = source.slice(i).search(/[:)>]/);
        i += end < 0 ? source.length : end + 1;
        if (source[i - 1] === ')') {
          stack.pop();
          continue;
        }
      }
    } else if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : top();
      atom(Math.max(group.best, group.branch));
      i++;
    } else if (c === '|') {
      const group = top();
      group.best = Math.max(group.best, group.branch);
      group.branch = 0;
      group.last = 0;
      i++;
    } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i))) {
      const [whole, low, high] = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i))!;
      const times = high === undefined ? Number(low) : high === '' ? Number(low) + 1 : Number(high);
      const group = top();
      group.branch += group.last * (Math.max(times, 1) - 1);
      group.last *= Math.max(times, 1);
      i += whole.length;
    } else if (c === '*' || c === '+' || c === '?') {
      const group = top();
      group.branch += group.last;
      group.last *= 2;
      i++;
    } else {
      atom(c === '^' || c === '$' ? 0 : 1);
      i++;
    }
    if (!Number.isFinite(top().branch)) return Infinity;
  }
  while (stack.length > 1) {
    const group = stack.pop()!;
    atom(Math.max(group.best, group.branch));
  }
  return Math.max(top().best, top().branch);
}

/** A compiled whole-value pattern. */
export interface SafePattern {
  source: string;
  /** Whether the whole of `value` matches. */
  test(value: string): boolean;
}

/**
 * Compiles a pattern from a catalogue with RE2 (re2js), whose matching time is
 * linear in the input whatever the pattern: a catalogue entry cannot stall an
 * inspection with catastrophic backtracking (`(a+)+$`), and RE2 refuses the
 * constructs that need it (back-references, look-around). The pattern must
 * match the whole value. Returns the problem instead when the pattern is too
 * long or not valid RE2.
 */
export function compileSafePattern(source: string): SafePattern | { problem: string } {
  if (source.length > MAX_PATTERN_LENGTH) {
    return { problem: `a pattern has at most ${MAX_PATTERN_LENGTH} characters` };
  }
  const steps = patternSteps(source);
  if (steps > MAX_PATTERN_STEPS) {
    return {
      problem: `a pattern's repetitions expand to at most ${MAX_PATTERN_STEPS} steps, and this one to ${steps === Infinity ? 'more' : steps}: use smaller counts in {m,n}`,
    };
  }
  const known = compiledPatterns.get(source);
  if (known) return known;
  try {
    const compiled = RE2JS.compile(source);
    const pattern: SafePattern = { source, test: (value) => compiled.matches(value) };
    if (compiledPatterns.size >= PATTERNS_KEPT) compiledPatterns.clear();
    compiledPatterns.set(source, pattern);
    return pattern;
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : 'invalid';
    return {
      problem: `not a valid RE2 pattern (RE2 has no back-references or look-around): ${detail}`,
    };
  }
}
