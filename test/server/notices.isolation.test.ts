import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeNoticeWorld, noticeTablesSnapshot } from '../helpers/notices-world'
import { tinyPng } from '../helpers/images'

const PNG = tinyPng().toString('base64')
const PDF = Buffer.from('%PDF-1.7\n      ').toString('base64')

/**
 * Cross-小区 id confusion: a caller with the right role in 小区 A who names A as the 小区 and an id
 * that belongs to 小区 B gets NotFound, and nothing changes anywhere. The community officer holds
 * the same role in both (one office oversees A and B), so the registry lets every call through to
 * the handler: only the handler's own filtering by community_id stands in the way.
 */
describe.each(DIALECTS)('notices: ids of another 小区 on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeNoticeWorld>>
  /** B's things: a notice of each kind the actions treat differently, and files uploaded in B. */
  const b = { general: '', disclosure: '', image: '', pdf: '' }
  /** A notice of A that each caller's body may edit, by caller. */
  const aNotice: Record<string, string> = {}

  beforeAll(async () => {
    w = await makeNoticeWorld(env.db)
    b.general = (await ok(deps, 'publishNotice', { communityId: w.b, kind: '公告', title: '文清苑停水', body: '周三停水。' }, w.officer)).id
    b.disclosure = (await ok(deps, 'publishNotice', { communityId: w.b, kind: '公示', title: '文清苑改造方案', body: '见附件。' }, w.officer)).id
    b.image = (await ok(deps, 'uploadNoticeFile', { communityId: w.b, purpose: 'image', fileName: 'b.png', dataBase64: PNG }, w.officer)).id
    b.pdf = (await ok(deps, 'uploadNoticeFile', { communityId: w.b, purpose: 'attachment', fileName: 'b.pdf', dataBase64: PDF }, w.officer)).id
    for (const who of [w.officer, w.chair]) {
      aNotice[who] = (await ok(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '滨江花园通知', body: '内容。' }, who)).id
    }
  })

  const snapshot = () => noticeTablesSnapshot(env.db)

  type Case = [string, string, (caller: string) => Record<string, unknown>]
  const cases: Case[] = [
    ['getNotice', 'noticeId', () => ({ noticeId: b.general })],
    ['getNotice', 'noticeId (公示)', () => ({ noticeId: b.disclosure })],
    ['noticeReadStats', 'noticeId', () => ({ noticeId: b.disclosure })],
    ['editNotice', 'noticeId', () => ({ noticeId: b.general, expectedVersion: 1, title: '改了别的小区的公告' })],
    ['pinNotice', 'noticeId', () => ({ noticeId: b.general, pinned: true })],
    ['withdrawNotice', 'noticeId', () => ({ noticeId: b.general })],
    ['publishNotice', 'correctsNoticeId', () => ({ kind: '公示', title: '更正', body: '更正内容。', correctsNoticeId: b.disclosure })],
    ['publishNotice', 'imageIds', () => ({ kind: '公告', title: '借图', body: '内容。', imageIds: [b.image] })],
    ['publishNotice', 'attachmentIds', () => ({ kind: '公告', title: '借附件', body: '内容。', attachmentIds: [b.pdf] })],
    ['editNotice', 'imageIds', (caller) => ({ noticeId: aNotice[caller], expectedVersion: 1, imageIds: [b.image] })],
    ['editNotice', 'attachmentIds', (caller) => ({ noticeId: aNotice[caller], expectedVersion: 1, attachmentIds: [b.pdf] })],
  ]

  describe.each([
    ['the community officer over both', () => w.officer],
    ["A's committee chair", () => w.chair],
  ])('as %s', (_who, caller) => {
    test.each(cases)("%s with B's %s in A answers NotFound and changes nothing", async (actionName, _field, input) => {
      const before = await snapshot()
      const res = await call(deps, actionName, { communityId: w.a, ...input(caller()) }, caller())
      expect(res).toMatchObject({ ok: false, error: { code: 'NotFound' } })
      expect(await snapshot()).toEqual(before)
    })
  })

  // Declared last so it runs after the cases above (it attaches B's files).
  describe('control', () => {
    test('the same ids work in their own 小区 (the cases above fail for the 小区, not for the input)', async () => {
      expect((await ok(deps, 'getNotice', { communityId: w.b, noticeId: b.general }, w.officer)).title).toBe('文清苑停水')
      expect((await ok(deps, 'noticeReadStats', { communityId: w.b, noticeId: b.disclosure }, w.officer)).noticeId).toBe(b.disclosure)
      const { id } = await ok(deps, 'publishNotice', { communityId: w.b, kind: '公告', title: '用自己的图', body: '内容。', imageIds: [b.image], attachmentIds: [b.pdf] }, w.officer)
      expect((await ok(deps, 'getNotice', { communityId: w.b, noticeId: id }, w.ownerB)).images.map((f: any) => f.id)).toEqual([b.image])
      for (const who of [w.officer, w.chair]) {
        expect(await ok(deps, 'editNotice', { communityId: w.a, noticeId: aNotice[who], expectedVersion: 1, body: '改过的内容。' }, who)).toEqual({ version: 2 })
      }
    })
  })
})
