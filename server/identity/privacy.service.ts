import { PRIVACY_VERSION, type PrivacyStatus } from '../../src/contracts/privacy'
import { requireCaller, type Ctx } from '../context'
import { AppError } from '../errors'

/** Whether the caller accepted the current version of the privacy policy, and when. */
export async function privacyStatus(ctx: Ctx): Promise<PrivacyStatus> {
  const row = await ctx.db
    .selectFrom('privacy_consents')
    .select('accepted_at')
    .where('user_id', '=', requireCaller(ctx).userId)
    .where('version', '=', PRIVACY_VERSION)
    .executeTakeFirst()
  return { version: PRIVACY_VERSION, acceptedAt: row?.accepted_at ?? null }
}

/**
 * Records the caller's acceptance of the policy version they read. Only the current version can
 * be accepted (a page left open over an update must be read again); accepting twice keeps the first time.
 */
export async function acceptPrivacy(ctx: Ctx, input: { version: string }): Promise<PrivacyStatus> {
  if (input.version !== PRIVACY_VERSION) throw new AppError('Conflict', '隐私保护指引已经更新，请阅读最新版本后再同意')
  await ctx.db
    .insertInto('privacy_consents')
    .values({ user_id: requireCaller(ctx).userId, version: PRIVACY_VERSION, accepted_at: ctx.now().toISOString() })
    .onConflict((oc) => oc.columns(['user_id', 'version']).doNothing())
    .execute()
  return privacyStatus(ctx)
}
