import { describe, expect, it } from 'vitest';
import { departmentFitsPlatform, regionProblem, withinRegion } from '../../server/links/regions.ts';

describe('regionProblem', () => {
  it('takes a province ending in 0000 and a city ending in 00', () => {
    expect(regionProblem('PROVINCIAL', '330000')).toBeNull();
    expect(regionProblem('MUNICIPAL', '330100')).toBeNull();
  });

  it('refuses a county as a platform, a city as a province, and anything not six digits', () => {
    expect(regionProblem('MUNICIPAL', '330106')).toMatch(/county is not a platform/);
    expect(regionProblem('MUNICIPAL', '330000')).toMatch(/not 0000/);
    expect(regionProblem('PROVINCIAL', '330100')).toMatch(/ends in 0000/);
    expect(regionProblem('PROVINCIAL', "33' OR")).toMatch(/six digits/);
    expect(regionProblem('MUNICIPAL', '3301000')).toMatch(/six digits/);
  });
});

describe('departmentFitsPlatform', () => {
  it("makes a county bureau a department of its city's platform", () => {
    expect(departmentFitsPlatform('330106', 'MUNICIPAL', '330100')).toBe(true);
    expect(departmentFitsPlatform('330100', 'MUNICIPAL', '330100')).toBe(true);
  });

  it('refuses a provincial department, or another city’s, on a municipal platform', () => {
    expect(departmentFitsPlatform('330000', 'MUNICIPAL', '330100')).toBe(false);
    expect(departmentFitsPlatform('330206', 'MUNICIPAL', '330100')).toBe(false);
    expect(departmentFitsPlatform('310100', 'MUNICIPAL', '330100')).toBe(false);
  });

  it("takes only the province's own departments on a provincial platform", () => {
    expect(departmentFitsPlatform('330000', 'PROVINCIAL', '330000')).toBe(true);
    expect(departmentFitsPlatform('330100', 'PROVINCIAL', '330000')).toBe(false);
  });
});

describe('withinRegion', () => {
  it('compares the digits of the level', () => {
    expect(withinRegion('330106', 'PROVINCIAL', '330000')).toBe(true);
    expect(withinRegion('320106', 'PROVINCIAL', '330000')).toBe(false);
    expect(withinRegion('', 'MUNICIPAL', '330100')).toBe(false);
  });
});
