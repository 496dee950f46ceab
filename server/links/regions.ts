import type { PlatformLevel } from './PlatformLink.ts';

/** A six-digit administrative division code (GB/T 2260). */
export const REGION_CODE = /^\d{6}$/;

/**
 * The region code a platform of `level` must have: a province's ends in four
 * zeros, a city's in two (and not four). Null when it fits, else why not.
 */
export function regionProblem(level: PlatformLevel, regionCode: string): string | null {
  if (!REGION_CODE.test(regionCode)) return 'a region code has six digits';
  const province = regionCode.endsWith('0000');
  if (level === 'PROVINCIAL' && !province) return 'a provincial region code ends in 0000';
  if (level === 'MUNICIPAL' && (province || !regionCode.endsWith('00'))) {
    return 'a municipal region code ends in 00 but not 0000 (a county is not a platform)';
  }
  return null;
}

/**
 * Whether `regionCode` lies within the region of a platform of `level` with
 * `platformRegion`: a province's departments share its first two digits, a
 * city's (and so its counties') its first four.
 */
export function withinRegion(
  regionCode: string,
  level: PlatformLevel,
  platformRegion: string,
): boolean {
  if (!REGION_CODE.test(regionCode)) return false;
  const digits = level === 'PROVINCIAL' ? 2 : 4;
  return regionCode.slice(0, digits) === platformRegion.slice(0, digits);
}

/**
 * Whether a department of region `regionCode` may be served by a platform of
 * `level`: a provincial platform serves provincial departments; a municipal
 * platform its city's and counties' departments, never a provincial one.
 */
export function departmentFitsPlatform(
  regionCode: string,
  level: PlatformLevel,
  platformRegion: string,
): boolean {
  if (!withinRegion(regionCode, level, platformRegion)) return false;
  return level === 'PROVINCIAL' ? regionCode === platformRegion : !regionCode.endsWith('0000');
}
