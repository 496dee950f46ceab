import { describe, expect, it } from 'vitest';
import {
  compileSafePattern,
  MAX_PATTERN_STEPS,
  patternSteps,
} from '../../schema/elements/safePattern.ts';

describe('catalogue patterns', () => {
  it('are measured by what their repetitions expand to, before anything is compiled', () => {
    expect(patternSteps('^[0-9]{17}[0-9X]$')).toBe(18);
    expect(patternSteps('^\\d{4}-\\d{2}-\\d{2}$')).toBe(10);
    expect(patternSteps('\\p{Han}{2,50}')).toBe(50);
    expect(patternSteps('(?:ab|cde)+')).toBe(6);
    expect(patternSteps('[\\]a(]{3}')).toBe(3);
    expect(patternSteps('(?i)abc')).toBe(3);
    expect(patternSteps('a{2,}')).toBe(3);
    expect(patternSteps('((a{10}){10}){10}')).toBe(1000);
    expect(patternSteps('.{1,1000}'.repeat(26))).toBe(26_000);
  });

  it('refuse one that expands past the bound, as a problem the catalogue check reports; accept the usual ones', () => {
    // The red-team pattern: 238 characters, valid RE2, a second to compile in re2js.
    const attack = `(x1|${'.{1,1000}'.repeat(26)})`;
    expect(attack.length).toBeLessThanOrEqual(256);
    const refused = compileSafePattern(attack);
    expect(refused).toEqual({ problem: expect.stringMatching(/expand to at most 256 steps/) });
    expect(compileSafePattern('((a{10}){10}){10}')).toHaveProperty('problem');
    for (const usual of [
      '^[0-9]{17}[0-9X]$',
      '^\\d{6}$',
      '\\p{Han}{2,50}',
      `.{1,${MAX_PATTERN_STEPS}}`,
    ]) {
      expect(compileSafePattern(usual), usual).toHaveProperty('test');
    }
    const id = compileSafePattern('^[0-9]{17}[0-9X]$');
    if (!('test' in id)) throw new Error('refused');
    expect(id.test('33010619631021624X')).toBe(true);
    expect(id.test('33010619631021624x')).toBe(false);
    // Compiled once per source: a catalogue assembled again reuses it.
    expect(compileSafePattern('^[0-9]{17}[0-9X]$')).toBe(id);
  });
});
