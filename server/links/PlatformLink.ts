/** The two levels that run platforms: counties and townships run none (their departments are the city's). */
export const PLATFORM_LEVELS = ['PROVINCIAL', 'MUNICIPAL'] as const;
export type PlatformLevel = (typeof PLATFORM_LEVELS)[number];

export type LinkStatus = 'ACTIVE' | 'SUSPENDED';

/** What a platform is: its administrator describes it once, linked platforms register it so. */
export interface PlatformIdentity {
  code: string;
  name: string;
  level: PlatformLevel;
  /** Six digits (GB/T 2260): `330000` a province, `330100` a city. */
  regionCode: string;
}

/** Another platform as this platform's administrator registered it. */
export interface PlatformLink extends PlatformIdentity {
  /** Its gateway's GraphQL URL: cross-level reads go there, its catalogue is beside it. */
  gatewayUrl: string;
  /** Ed25519 public keys (JWK `x`, base64url) its link tokens may be signed with; several while it rotates. */
  publicKeys: string[];
  status: LinkStatus;
  registeredBy: string;
  registeredAt: string;
  changedBy: string;
  changedAt: string;
  changeReason: string | null;
}
