import { RE2JS } from 're2js';

/** Longest pattern a catalogue may declare, in characters. */
export const MAX_PATTERN_LENGTH = 256;

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
  try {
    const compiled = RE2JS.compile(source);
    return { source, test: (value) => compiled.matches(value) };
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : 'invalid';
    return {
      problem: `not a valid RE2 pattern (RE2 has no back-references or look-around): ${detail}`,
    };
  }
}
