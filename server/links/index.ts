export { LinkKeyRing } from './LinkKeyRing.ts';
export {
  savePlatformIdentity,
  selectLink,
  selectLinks,
  selectPlatformIdentity,
  updateLink,
  upsertLink,
} from './linkQueries.ts';
export {
  isPublicKey,
  LINK_TOKEN_HEADER,
  LinkRefusal,
  publicKeyOf,
  signLinkToken,
  verifyLinkToken,
} from './linkToken.ts';
export type { LinkConsumer, VerifiedLinkRequest } from './linkToken.ts';
export { PLATFORM_LEVELS } from './PlatformLink.ts';
export type { LinkStatus, PlatformIdentity, PlatformLevel, PlatformLink } from './PlatformLink.ts';
export { departmentFitsPlatform, regionProblem, REGION_CODE, withinRegion } from './regions.ts';
