import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { makeNoticeWorld, noticeTablesSnapshot } from '../helpers/notices-world'

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]).toString('base64')

/**
 * Malformed input to every notice action: wrong types, over-long strings, negative or fractional
 * numbers, unknown kinds. Each answers BadInput with a Chinese message (never valibot's English
 * default) and writes nothing.
 */
describe.each(DIALECTS)('notices: malformed input on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeNoticeWorld>>
  let noticeId = ''

  beforeAll(async () => {
    w = await makeNoticeWorld(env.db)
    noticeId = (await ok(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '电梯年检', body: '周五年检。' }, w.chair)).id
  })

  const snapshot = () => noticeTablesSnapshot(env.db)

  const long = (n: number) => '字'.repeat(n)
  const publish = (over: Record<string, unknown>) => ({ kind: '公告', title: '标题', body: '正文。', ...over })
  const edit = (over: Record<string, unknown>) => ({ noticeId, expectedVersion: 1, ...over })

  type Case = [string, string, () => Record<string, unknown>]
  const cases: Case[] = [
    ['listNotices', 'an unknown kind', () => ({ kind: '通知' })],
    ['listNotices', 'a number as the search words', () => ({ q: 5 })],
    ['listNotices', 'search words over 30 characters', () => ({ q: long(31) })],
    ['listNotices', 'an unknown view', () => ({ view: 'all' })],
    ['listNotices', 'a number as the cursor', () => ({ cursor: 5 })],
    ['listNotices', 'a cursor over 200 characters', () => ({ cursor: 'x'.repeat(201) })],
    ['listNotices', 'a negative page size', () => ({ limit: -1 })],
    ['listNotices', 'a page size of 0', () => ({ limit: 0 })],
    ['listNotices', 'a fractional page size', () => ({ limit: 1.5 })],
    ['listNotices', 'a page size as text', () => ({ limit: '20' })],
    ['listNotices', 'a page size over 50', () => ({ limit: 51 })],
    ['getNotice', 'a number as the notice id', () => ({ noticeId: 5 })],
    ['getNotice', 'an empty notice id', () => ({ noticeId: '' })],
    ['getNotice', 'a notice id over 64 characters', () => ({ noticeId: 'x'.repeat(65) })],
    ['getNotice', 'no notice id', () => ({})],
    ['publishNotice', 'an unknown kind', () => publish({ kind: '通知' })],
    ['publishNotice', 'an empty title', () => publish({ title: '  ' })],
    ['publishNotice', 'a title over 60 characters', () => publish({ title: long(61) })],
    ['publishNotice', 'a number as the title', () => publish({ title: 5 })],
    ['publishNotice', 'an empty body', () => publish({ body: '' })],
    ['publishNotice', 'a body over 5000 characters', () => publish({ body: long(5001) })],
    ['publishNotice', 'image ids as text', () => publish({ imageIds: 'abc' })],
    ['publishNotice', 'a number among the image ids', () => publish({ imageIds: [5] })],
    ['publishNotice', 'ten images', () => publish({ imageIds: Array.from({ length: 10 }, (_, i) => `img-${i}`) })],
    ['publishNotice', 'six attachments', () => publish({ attachmentIds: Array.from({ length: 6 }, (_, i) => `pdf-${i}`) })],
    ['publishNotice', 'a publish time that is not a time', () => publish({ publishAt: 'tomorrow' })],
    ['publishNotice', 'a publish time on a day that does not exist', () => publish({ publishAt: '2027-02-30T08:00:00.000Z' })],
    ['publishNotice', 'a publish time with an offset JavaScript cannot read', () => publish({ publishAt: '2026-12-01T08:00+0800' })],
    ['publishNotice', 'a number as the posting end', () => publish({ kind: '公示', postingEndsAt: 5 })],
    ['publishNotice', 'an expiry that is not a time', () => publish({ expiresAt: '下个月' })],
    ['publishNotice', 'pinned as text', () => publish({ pinned: 'yes' })],
    ['publishNotice', 'a number as the corrected notice', () => publish({ correctsNoticeId: 5 })],
    ['publishNotice', 'an unknown publishing role', () => publish({ asRole: 'owner' })],
    ['editNotice', 'no version', () => ({ noticeId, title: '新标题' })],
    ['editNotice', 'a negative version', () => edit({ expectedVersion: -1, title: '新标题' })],
    ['editNotice', 'a version of 0', () => edit({ expectedVersion: 0, title: '新标题' })],
    ['editNotice', 'a fractional version', () => edit({ expectedVersion: 1.5, title: '新标题' })],
    ['editNotice', 'a version as text', () => edit({ expectedVersion: '1', title: '新标题' })],
    ['editNotice', 'a title over 60 characters', () => edit({ title: long(61) })],
    ['editNotice', 'an empty body', () => edit({ body: ' ' })],
    ['editNotice', 'an expiry that is not a time', () => edit({ expiresAt: 'never' })],
    ['editNotice', 'a number as the expiry', () => edit({ expiresAt: 0 })],
    ['editNotice', 'image ids as an object', () => edit({ imageIds: { a: 1 } })],
    ['pinNotice', 'pinned as text', () => ({ noticeId, pinned: 'true' })],
    ['pinNotice', 'no pinned', () => ({ noticeId })],
    ['withdrawNotice', 'no notice id', () => ({})],
    ['noticeReadStats', 'a number as the notice id', () => ({ noticeId: 123 })],
    ['uploadNoticeFile', 'an unknown purpose', () => ({ purpose: 'video', fileName: 'a.png', dataBase64: PNG })],
    ['uploadNoticeFile', 'an empty file name', () => ({ purpose: 'image', fileName: ' ', dataBase64: PNG })],
    ['uploadNoticeFile', 'a file name over 120 characters', () => ({ purpose: 'image', fileName: `${'a'.repeat(121)}.png`, dataBase64: PNG })],
    ['uploadNoticeFile', 'a number as the file name', () => ({ purpose: 'image', fileName: 5, dataBase64: PNG })],
    ['uploadNoticeFile', 'a number as the content', () => ({ purpose: 'image', fileName: 'a.png', dataBase64: 5 })],
    ['uploadNoticeFile', 'empty content', () => ({ purpose: 'image', fileName: 'a.png', dataBase64: '' })],
    ['uploadNoticeFile', 'content that is not base64', () => ({ purpose: 'image', fileName: 'a.png', dataBase64: '####' })],
  ]

  test.each(cases)('%s with %s answers BadInput in Chinese and writes nothing', async (actionName, _what, input) => {
    const before = await snapshot()
    const res = await call(deps, actionName, { communityId: w.a, ...input() }, w.chair)
    expect(res).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    const message = (res as { error: { message: string } }).error.message
    expect(message).toMatch(/[\u4e00-\u9fff]/)
    expect(message).not.toMatch(/Invalid|Expected|received/)
    expect(await snapshot()).toEqual(before)
  })
})
