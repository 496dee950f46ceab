import { badUserInput } from '../../../schema/index.ts';
import { askOwnerPlatform, linkedPlatformFor, ownerRefusal } from './askOwnerPlatform.ts';
import type { CrossLevelContext } from './CrossLevelContext.ts';
import { selectLinkedEntry } from './linkedEntryQueries.ts';

/** A sharing application as the owner platform holds it, seen from the consumer's platform. */
export interface OtherLevelApplication {
  platform: string;
  id: string;
  dataset: string;
  consumerDepartment: string;
  status: string;
  /** The id both platforms' audit trails record the request under. */
  correlationId: string;
}

export interface OtherLevelApplicationInput {
  dataset: string;
  items: string[];
  purpose: string;
  scenario: string;
  legalBasis: string;
  requestedFrom: string;
  requestedUntil: string;
  modes: string[];
}

const FIELDS = 'id dataset consumerDepartment status';
type OwnerApplication = Omit<OtherLevelApplication, 'platform' | 'correlationId'>;

/**
 * Applies, through this platform, for a dataset of a linked platform: the
 * application is made on the owner's platform, by the owner's own
 * `applyForAccess`, for `'<this platform>:<department>'`, and answered there
 * by the provider's department IT like any other; the grant it makes is the
 * owner's, and decides the reads.
 */
export async function applyToOtherLevel(
  ctx: CrossLevelContext,
  platform: string,
  input: OtherLevelApplicationInput,
): Promise<OtherLevelApplication> {
  const ask = await linkedPlatformFor(ctx, platform);
  if (!(await selectLinkedEntry(ctx.db, ask.link.code, input.dataset))) {
    throw badUserInput(
      `${platform} publishes no dataset ${input.dataset}; search the directory.`,
      'input',
    );
  }
  const answer = await askOwnerPlatform<{ applyForAccess: OwnerApplication | null }>(
    ctx,
    ask,
    {
      query: `mutation CrossLevelApplication($input: ApplicationInput!) { applyForAccess(input: $input) { ${FIELDS} } }`,
      variables: { input },
    },
    null,
  );
  const application = answer.data?.applyForAccess;
  if (!application) {
    throw ownerRefusal(ask.link, { dataset: input.dataset }, answer.errors?.[0] ?? {});
  }
  return { ...application, platform: ask.link.code, correlationId: ctx.identity.requestId };
}

/** The caller's application `id` on a linked platform, as the owner answers it; null when it has none. */
export async function otherLevelApplication(
  ctx: CrossLevelContext,
  platform: string,
  id: string,
): Promise<OtherLevelApplication | null> {
  const ask = await linkedPlatformFor(ctx, platform);
  const answer = await askOwnerPlatform<{ sharingApplication: OwnerApplication | null }>(
    ctx,
    ask,
    {
      query: `query CrossLevelApplicationStatus($id: ID!) { sharingApplication(id: $id) { ${FIELDS} } }`,
      variables: { id },
    },
    null,
  );
  if (answer.errors?.[0]) throw ownerRefusal(ask.link, { application: id }, answer.errors[0]);
  const application = answer.data?.sharingApplication;
  return application
    ? { ...application, platform: ask.link.code, correlationId: ctx.identity.requestId }
    : null;
}
