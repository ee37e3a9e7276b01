import type { Kysely } from 'kysely'
import type { AppDeps } from '../../server/context'
import type { Database } from '../../server/db/database'
import { makeFeeWorld } from './fees-world'
import { tinyPng } from './images'
import { makeUser, ok } from './world'

/**
 * The reports world: the fee world's two 小区 built through roster import and binding (A, 滨江花园,
 * with a company and its staff; B, 文清苑, a 物管会 without one), plus a street officer above the
 * office and a committee member of B's. Photos are tiny files with real magic bytes.
 */
export async function makeReportWorld(db: Kysely<Database>, deps: AppDeps) {
  const w = await makeFeeWorld(db, deps)
  const streetOfficer = await makeUser(db, '街道干部', 'street_officer', { streetId: w.street })
  return { ...w, streetOfficer }
}
export type ReportWorld = Awaited<ReturnType<typeof makeReportWorld>>

/** A PNG with a real header (a stored photo's size must be readable: cleanImage). */
export const PNG = tinyPng(72)
export const NOT_AN_IMAGE = Buffer.from('<html>not a photo</html>')

export async function uploadPhoto(deps: AppDeps, communityId: string, userId: string, bytes: Buffer = PNG): Promise<string> {
  const photo = await ok(deps, 'uploadReportPhoto', { communityId, fileName: 'p.png', dataBase64: bytes.toString('base64') }, userId)
  return photo.id as string
}

/** A repair report in A by the owner 王伟, at his unit. */
export async function fileRepair(deps: AppDeps, w: ReportWorld, over: Record<string, unknown> = {}, userId = w.owners.wang) {
  return ok(deps, 'createReport', {
    communityId: w.a, category: 'repair', description: '厨房水管漏水，地面积水', place: { kind: 'unit', unitId: w.u.a101 }, ...over,
  }, userId)
}
