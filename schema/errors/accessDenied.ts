import { GraphQLError } from 'graphql';
import { DenialReason } from './DenialReason.ts';
import { ErrorCode } from './ErrorCode.ts';

export interface DenialDetails {
  reason: DenialReason;
  dataset: string;
  /** The item denied, or null when the whole dataset is. */
  item: string | null;
  message: string;
}

/**
 * The error a denied field answers with: `UNAUTHENTICATED` for anonymous callers,
 * `FORBIDDEN` otherwise, with the dataset, the item and the reason.
 */
export function accessDenied({ reason, dataset, item, message }: DenialDetails): GraphQLError {
  const code =
    reason === DenialReason.UNAUTHENTICATED ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN;
  return new GraphQLError(message, { extensions: { code, dataset, item, reason } });
}
