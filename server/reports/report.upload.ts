import { REPORT_PHOTO_MAX_BYTES, type ReportPhoto } from '../../src/contracts/reports'
import { hasAnyRole, REPORT_HANDLER_ROLES, OFFICER_ROLES } from '../../src/contracts/roles'
import { beijingDate } from '../../src/contracts/time'
import { requireActor, type Ctx } from '../context'
import { AppError } from '../errors'
import { readUploadedFile, type UploadedFileSource } from '../uploads/uploaded-file'
import { storeReportPhoto } from './report.photos'
import { reportsToday } from './report.queries'
import { loadSettings } from './report.settings'

/**
 * One photo for a report or a step. The bytes are read first (a cloud upload is deleted as it is
 * read), then checked; a resident who has used up today's reports may not upload photos for
 * another, so the refused report leaves no photo behind.
 */
export async function uploadReportPhoto(ctx: Ctx, input: { communityId: string } & UploadedFileSource): Promise<ReportPhoto> {
  const actor = requireActor(ctx)
  const data = await readUploadedFile(ctx, input)
  if (data.length > REPORT_PHOTO_MAX_BYTES) throw new AppError('PayloadTooLarge', '照片不能超过 5 MB')
  if (!hasAnyRole(actor.roles, [...REPORT_HANDLER_ROLES, ...OFFICER_ROLES])) {
    const settings = await loadSettings(ctx.db, input.communityId, ctx.now())
    if ((await reportsToday(ctx, input.communityId, beijingDate(ctx.now()))) >= settings.daily_limit) {
      throw new AppError('RateLimited', `您今天已提交 ${settings.daily_limit} 条报事，达到每日上限，请明天再提交`)
    }
  }
  return storeReportPhoto(ctx, { communityId: input.communityId, data })
}
