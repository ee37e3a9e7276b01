import { DIALECTS, useTestDb } from '../helpers/db'
import { call, ok } from '../helpers/world'
import { addBuilding, makeNoticeWorld, makeOwner } from '../helpers/notices-world'
import { actorCtx, systemCtx } from '../../server/context'
import { publishSystemNotice } from '../../server/notices/notice.service'
import { listNotices } from '../../server/notices/notice.queries'

const DAY = 86_400_000

describe.each(DIALECTS)('notices on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  const T = new Date('2026-11-26T02:00:00.000Z')
  const at = (ms: number) => new Date(T.getTime() + ms)
  beforeEach(() => deps.setNow(T))

  const world = () => makeNoticeWorld(env.db)
  type W = Awaited<ReturnType<typeof world>>
  const publish = (w: W, by: string, over: Record<string, unknown> = {}) =>
    ok<{ id: string }>(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '电梯年检', body: '本周五上午电梯年检，请错峰出行。', ...over }, by)

  describe('Notices (公告/公示): readers and publishers', () => {
    test('the committee, the property company and community officers publish, each notice says who (a body, never a person)', async () => {
      const w = await world()
      const byChair = await publish(w, w.chair, { title: '业委会通知' })
      const byStaff = await publish(w, w.staff, { title: '物业通知' })
      const byOfficer = await publish(w, w.officer, { title: '社区通知' })
      const page = await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)
      const who = Object.fromEntries(page.items.map((n: any) => [n.id, [n.publisherRole, n.publisherName]]))
      expect(who[byChair.id]).toEqual(['committee_chair', '滨江花园业主委员会'])
      expect(who[byStaff.id]).toEqual(['property_staff', '安居物业'])
      expect(who[byOfficer.id]).toEqual(['community_officer', '东阳社区'])
      // The person behind it is never named: neither the chair's nickname nor any user id.
      const detail = await ok(deps, 'getNotice', { communityId: w.a, noticeId: byChair.id }, w.owner1)
      const text = JSON.stringify([page, detail])
      expect(text).not.toContain('王主任')
      expect(text).not.toContain(w.chair)
    })

    test('a committee member of the 物管会 publishes under its name; an officer of the office publishes for every 小区 under it', async () => {
      const w = await world()
      const { id } = await ok(deps, 'publishNotice', { communityId: w.b, kind: '公告', title: '文清苑通知', body: '内容' }, w.officer)
      expect((await ok(deps, 'getNotice', { communityId: w.b, noticeId: id }, w.ownerB)).publisherName).toBe('东阳社区')
    })

    test('the compose page learns which bodies the caller may publish as, with the names residents will read', async () => {
      const w = await world()
      const both = await makeOwner(env.db, w.a, [w.units.a[3]], '周强')
      const { grantRole } = await import('../../server/communities/membership.repository')
      await grantRole(env.db, both, 'committee_member', { communityId: w.a }, T)
      expect(await ok(deps, 'noticePublisherOptions', { communityId: w.a }, both)).toEqual([{ role: 'committee_member', name: '滨江花园业主委员会' }])
      expect(await ok(deps, 'noticePublisherOptions', { communityId: w.b }, w.officer)).toEqual([{ role: 'community_officer', name: '东阳社区' }])
      expect(await call(deps, 'noticePublisherOptions', { communityId: w.a }, w.tenant)).toMatchObject({ error: { code: 'Forbidden' } })
    })

    test('a tenant reads but never publishes; an owner never publishes', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair)
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.tenant)).items.map((n: any) => n.id)).toContain(id)
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.tenant)).title).toBe('电梯年检')
      for (const who of [w.tenant, w.owner1]) {
        const res = await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 't', body: 'b' }, who)
        expect(res).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
        expect(await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, title: 'x' }, who)).toMatchObject({ error: { code: 'Forbidden' } })
        expect(await call(deps, 'pinNotice', { communityId: w.a, noticeId: id, pinned: true }, who)).toMatchObject({ error: { code: 'Forbidden' } })
        expect(await call(deps, 'noticeReadStats', { communityId: w.a, noticeId: id }, who)).toMatchObject({ error: { code: 'Forbidden' } })
        expect(await call(deps, 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: 'a.png', dataBase64: 'iVBORw0KGgo=' }, who)).toMatchObject({ error: { code: 'Forbidden' } })
      }
    })

    test('officers of the street and the district above read but do not publish: only officers of its community office do', async () => {
      const w = await world()
      const { makeUser } = await import('../helpers/world')
      const street = await makeUser(env.db, '街道干部', 'street_officer', { streetId: w.street })
      const district = await makeUser(env.db, '区干部', 'district_officer', { districtId: w.district })
      const { id } = await publish(w, w.chair)
      for (const who of [street, district]) {
        expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, who)).title).toBe('电梯年检')
        expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '街道通知', body: '内容。' }, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
        expect(await call(deps, 'noticePublisherOptions', { communityId: w.a }, who)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
        expect(await call(deps, 'uploadNoticeFile', { communityId: w.a, purpose: 'image', fileName: 'a.png', dataBase64: 'iVBORw0KGgo=' }, who)).toMatchObject({ error: { code: 'Forbidden' } })
      }
      // The officer of the community office does publish, under the office's name.
      expect(await ok(deps, 'noticePublisherOptions', { communityId: w.a }, w.officer)).toEqual([{ role: 'community_officer', name: '东阳社区' }])
    })

    test("another 小区's member gets Forbidden on list and get, and cannot reach the notice through their own 小区", async () => {
      const w = await world()
      const { id } = await publish(w, w.chair)
      expect(await call(deps, 'listNotices', { communityId: w.a }, w.ownerB)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      expect(await call(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.ownerB)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      expect(await call(deps, 'unreadNoticeCount', { communityId: w.a }, w.ownerB)).toMatchObject({ ok: false, error: { code: 'Forbidden' } })
      // Asking through B with A's notice id finds nothing: every query is filtered by 小区.
      expect(await call(deps, 'getNotice', { communityId: w.b, noticeId: id }, w.ownerB)).toMatchObject({ ok: false, error: { code: 'NotFound' } })
      expect((await ok(deps, 'listNotices', { communityId: w.b }, w.ownerB)).items.map((n: any) => n.id)).not.toContain(id)
      // B's reading left no trace in A's read counts.
      expect((await ok(deps, 'noticeReadStats', { communityId: w.a, noticeId: id }, w.chair)).readHouseholds).toBe(0)
    })

    test("property staff cannot edit, pin or withdraw the committee's notice (each body manages its own)", async () => {
      const w = await world()
      const { id } = await publish(w, w.chair)
      expect(await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, title: '改' }, w.staff)).toMatchObject({ error: { code: 'Forbidden' } })
      expect(await call(deps, 'withdrawNotice', { communityId: w.a, noticeId: id }, w.staff)).toMatchObject({ error: { code: 'Forbidden' } })
      // Another member of the same committee may.
      expect(await ok(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, title: '电梯年检（改期）' }, w.member)).toEqual({ version: 2 })
    })
  })

  describe('Notices (公告/公示): a 公示 cannot be edited after publishing, only superseded by a correction that links to it', () => {
    test.each(['公示', '财务公开'])('a published %s refuses edit and withdrawal with a clear message', async (kind) => {
      const w = await world()
      const { id } = await publish(w, w.chair, { kind, title: `${kind}：维修资金使用` })
      const edit = await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, body: '改过的' }, w.chair)
      expect(edit).toMatchObject({ ok: false, error: { code: 'Immutable' } })
      expect((edit as any).error.message).toContain(`${kind}发布后不能修改或删除`)
      expect((edit as any).error.message).toContain('更正')
      expect(await call(deps, 'withdrawNotice', { communityId: w.a, noticeId: id }, w.chair)).toMatchObject({ error: { code: 'Immutable' } })
      const d = await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.chair)
      expect(d).toMatchObject({ version: 1, body: '本周五上午电梯年检，请错峰出行。', immutable: true, editable: false })
    })

    test('a correction is a new notice linked to the old one, and the old one shows it was corrected', async () => {
      const w = await world()
      const old = await publish(w, w.chair, { kind: '公示', title: '外墙维修方案公示', body: '预算 12 万元。' })
      deps.setNow(at(DAY))
      const fix = await ok(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: '外墙维修方案公示（更正）', body: '预算 10.5 万元。', correctsNoticeId: old.id }, w.member)
      const oldDetail = await ok(deps, 'getNotice', { communityId: w.a, noticeId: old.id }, w.owner1)
      expect(oldDetail.correctedBy).toMatchObject({ id: fix.id, title: '外墙维修方案公示（更正）' })
      expect(oldDetail.body).toBe('预算 12 万元。')
      const fixDetail = await ok(deps, 'getNotice', { communityId: w.a, noticeId: fix.id }, w.owner1)
      expect(fixDetail.corrects).toEqual({ id: old.id, title: '外墙维修方案公示' })
      const feed = await ok(deps, 'listNotices', { communityId: w.a, kind: '公示' }, w.owner1)
      expect(feed.items.map((n: any) => [n.id, n.corrected, n.isCorrection])).toEqual([[fix.id, false, true], [old.id, true, false]])
      // Only one correction per notice: a second one must correct the correction.
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: '再更正', body: 'x', correctsNoticeId: old.id }, w.chair)).toMatchObject({ error: { code: 'Conflict' } })
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '类型不同', body: 'x', correctsNoticeId: fix.id }, w.chair)).toMatchObject({ error: { code: 'BadInput' } })
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: '物业来更正', body: 'x', correctsNoticeId: fix.id }, w.staff)).toMatchObject({ error: { code: 'Forbidden' } })
      expect(await ok(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: '二次更正', body: 'y', correctsNoticeId: fix.id }, w.chair)).toHaveProperty('id')
    })

    test('the posting period is at least 7 days (boundary: exactly 7 days is accepted, a millisecond less is not); default is 7 days', async () => {
      const w = await world()
      const def = await publish(w, w.chair, { kind: '公示' })
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: def.id }, w.owner1)).postingEndsAt).toBe(at(7 * DAY).toISOString())
      const exact = await call(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: 't', body: 'b', postingEndsAt: at(7 * DAY).toISOString() }, w.chair)
      expect(exact.ok).toBe(true)
      const short = await call(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: 't', body: 'b', postingEndsAt: at(7 * DAY - 1).toISOString() }, w.chair)
      expect(short).toMatchObject({ ok: false, error: { code: 'BadInput', message: '公示期不能少于 7 天' } })
      // It cannot leave the feed during its posting period.
      const early = await call(deps, 'publishNotice', { communityId: w.a, kind: '公示', title: 't', body: 'b', expiresAt: at(3 * DAY).toISOString() }, w.chair)
      expect(early).toMatchObject({ ok: false, error: { code: 'BadInput' } })
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 't', body: 'b', postingEndsAt: at(8 * DAY).toISOString() }, w.chair)).toMatchObject({ error: { code: 'BadInput' } })
    })

    test('a scheduled 公示 may still be edited before its publish time, and not after', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { kind: '公示', publishAt: at(DAY).toISOString() })
      expect(await ok(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, body: '修订后的公示内容' }, w.chair)).toEqual({ version: 2 })
      deps.setNow(at(DAY))
      expect(await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 2, body: '再改' }, w.chair)).toMatchObject({ error: { code: 'Immutable' } })
    })

    test('a system publication (vote result) is immutable and publishing it twice with one source key gives one notice', async () => {
      const w = await world()
      const input = { communityId: w.a, kind: '表决结果' as const, title: '关于续聘物业的表决结果', body: '通过。', publisherRole: 'system', publisherName: '滨江花园业主委员会', publishedBy: null, sourceKey: 'vote:v1:result' }
      const first = await publishSystemNotice(systemCtx(deps), input)
      const again = await publishSystemNotice(systemCtx(deps), input)
      expect(again.id).toBe(first.id)
      expect(await call(deps, 'editNotice', { communityId: w.a, noticeId: first.id, expectedVersion: 1, body: '改' }, w.chair)).toMatchObject({ error: { code: 'Immutable' } })
      const count = await env.db.selectFrom('notices').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', w.a).where('source_key', '=', 'vote:v1:result').executeTakeFirstOrThrow()
      expect(Number(count.n)).toBe(1)
      // Inside the caller's transaction too (votes publish at close within theirs).
      const inTrx = await env.db.transaction().execute((trx) => publishSystemNotice({ ...systemCtx(deps), db: trx }, { ...input, sourceKey: 'vote:v2:result' }))
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: inTrx.id }, w.owner1)).kind).toBe('表决结果')
    })
  })

  describe('Notices (公告/公示): other kinds may be edited, and the edit history is kept and visible', () => {
    test('every version is kept, residents see it, and a stale version is refused', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { title: '停车场施工', body: '第一版' })
      await ok(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, body: '第二版' }, w.chair)
      deps.setNow(at(60_000))
      await ok(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 2, title: '停车场施工（延期）' }, w.member)
      const stale = await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 2, body: '覆盖' }, w.chair)
      expect(stale).toMatchObject({ ok: false, error: { code: 'Conflict' } })
      const d = await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.tenant)
      expect(d).toMatchObject({ version: 3, title: '停车场施工（延期）', body: '第二版', editable: false })
      expect(d.revisions.map((r: any) => [r.version, r.title, r.body, r.editorRole])).toEqual([
        [1, '停车场施工', '第一版', 'committee_chair'],
        [2, '停车场施工', '第二版', 'committee_chair'],
        [3, '停车场施工（延期）', '第二版', 'committee_member'],
      ])
      expect(d.revisions[2].editedAt).toBe(at(60_000).toISOString())
      expect(await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 3, body: '第二版' }, w.chair)).toMatchObject({ error: { code: 'BadInput', message: '没有修改任何内容' } })
    })

    test('an editable notice can be withdrawn; it leaves the feed and cannot be opened', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { kind: '活动', title: '中秋游园' })
      await ok(deps, 'withdrawNotice', { communityId: w.a, noticeId: id }, w.chair)
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).items.map((n: any) => n.id)).not.toContain(id)
      expect(await call(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)).toMatchObject({ error: { code: 'NotFound' } })
    })
  })

  describe('Notices (公告/公示): pinning, expiry and scheduling', () => {
    test('at most 3 pinned: the 4th is refused with Conflict, unpinning frees a slot, pinned come first', async () => {
      const w = await world()
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        deps.setNow(at(i * 1000))
        ids.push((await publish(w, w.chair, { title: `通知${i}` })).id)
      }
      for (const id of ids.slice(0, 3)) await ok(deps, 'pinNotice', { communityId: w.a, noticeId: id, pinned: true }, w.chair)
      const fourth = await call(deps, 'pinNotice', { communityId: w.a, noticeId: ids[3], pinned: true }, w.chair)
      expect(fourth).toMatchObject({ ok: false, error: { code: 'Conflict', message: '最多只能置顶 3 条公告，请先取消一条置顶' } })
      const atPublish = await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '新置顶', body: 'b', pinned: true }, w.chair)
      expect(atPublish).toMatchObject({ ok: false, error: { code: 'Conflict' } })
      // Re-pinning a pinned one is not a 4th.
      expect((await call(deps, 'pinNotice', { communityId: w.a, noticeId: ids[0], pinned: true }, w.chair)).ok).toBe(true)

      const feed = await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)
      expect(feed.pinned.map((n: any) => n.id)).toEqual([ids[2], ids[1], ids[0]])
      expect(feed.items.map((n: any) => n.id)).toEqual([ids[4], ids[3]])

      await ok(deps, 'pinNotice', { communityId: w.a, noticeId: ids[1], pinned: false }, w.chair)
      await ok(deps, 'pinNotice', { communityId: w.a, noticeId: ids[3], pinned: true }, w.chair)
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).pinned.map((n: any) => n.id)).toEqual([ids[3], ids[2], ids[0]])
    })

    test('an expired pinned notice no longer takes a slot', async () => {
      const w = await world()
      const short = await publish(w, w.chair, { title: '临时', expiresAt: at(DAY).toISOString(), pinned: true })
      await publish(w, w.chair, { title: 'p2', pinned: true })
      await publish(w, w.chair, { title: 'p3', pinned: true })
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 'p4', body: 'b', pinned: true }, w.chair)).toMatchObject({ error: { code: 'Conflict' } })
      deps.setNow(at(DAY))
      expect((await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 'p4', body: 'b', pinned: true }, w.chair)).ok).toBe(true)
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).pinned.map((n: any) => n.id)).not.toContain(short.id)
    })

    test('after its expiry a notice leaves the main feed but stays in the archive (boundary: at the expiry instant it is gone)', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { kind: '停水停电', title: '周六停水', expiresAt: at(DAY).toISOString() })
      deps.setNow(at(DAY - 1))
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).items.map((n: any) => n.id)).toContain(id)
      expect((await ok(deps, 'listNotices', { communityId: w.a, view: 'archive' }, w.owner1)).items).toEqual([])
      deps.setNow(at(DAY))
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).items.map((n: any) => n.id)).not.toContain(id)
      expect((await ok(deps, 'listNotices', { communityId: w.a, view: 'archive' }, w.owner1)).items.map((n: any) => n.id)).toEqual([id])
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)).title).toBe('周六停水')
    })

    test('a 欠费公示 always has an end date (30 days unless set)', async () => {
      const w = await world()
      const { id } = await publish(w, w.staff, { kind: '欠费公示', title: '2026 年第三季度欠费公示', body: '1栋1单元**1室 等 3 户' })
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)).expiresAt).toBe(at(30 * DAY).toISOString())
    })

    test('a scheduled notice is invisible to residents until its time, then appears; publishers see it in the scheduled list; no backdating', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { title: '明早八点发布', publishAt: at(6 * 3600_000).toISOString() })
      const before = await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)
      expect(before.items.map((n: any) => n.id)).not.toContain(id)
      expect(await call(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)).toMatchObject({ error: { code: 'NotFound' } })
      expect(await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.owner1)).toEqual({ count: 0, capped: false })
      expect(await call(deps, 'listNotices', { communityId: w.a, view: 'scheduled' }, w.owner1)).toMatchObject({ error: { code: 'Forbidden' } })
      expect((await ok(deps, 'listNotices', { communityId: w.a, view: 'scheduled' }, w.chair)).items.map((n: any) => n.id)).toEqual([id])
      // The publisher may look at it (preview) without that counting as a read.
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.chair)).title).toBe('明早八点发布')

      deps.setNow(at(6 * 3600_000 - 1))
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).items.map((n: any) => n.id)).not.toContain(id)
      deps.setNow(at(6 * 3600_000))
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).items.map((n: any) => n.id)).toEqual([id])
      expect(await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.owner1)).toEqual({ count: 1, capped: false })

      const backdated = await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: 't', body: 'b', publishAt: at(-DAY).toISOString() }, w.chair)
      expect(backdated).toMatchObject({ ok: false, error: { code: 'BadInput', message: '发布时间不能早于现在' } })
    })
  })

  describe('Notices (公告/公示): the feed', () => {
    test('cursor pages have no duplicates and no gaps when many notices share a publish time, even as new ones arrive', async () => {
      const w = await world()
      const expected: { id: string; publishAt: string }[] = []
      // 37 notices over 4 distinct instants: most pages cut through a group with equal publish_at.
      for (let i = 0; i < 37; i++) {
        deps.setNow(at(Math.floor(i / 10) * 1000))
        const { id } = await publish(w, i % 2 ? w.chair : w.staff, { title: `第${i}号通知` })
        expected.push({ id, publishAt: deps.now().toISOString() })
      }
      expected.sort((x, y) => (x.publishAt === y.publishAt ? (x.id < y.id ? 1 : -1) : x.publishAt < y.publishAt ? 1 : -1))
      const seen: string[] = []
      let cursor: string | undefined
      let pages = 0
      do {
        const page = await ok(deps, 'listNotices', { communityId: w.a, limit: 7, ...(cursor ? { cursor } : {}) }, w.owner1)
        seen.push(...page.items.map((n: any) => n.id))
        cursor = page.nextCursor ?? undefined
        pages++
        // A notice published between pages appears on a refresh, never inside the pages already being read.
        if (pages === 2) {
          deps.setNow(at(10_000))
          await publish(w, w.chair, { title: '翻页时新发的' })
        }
      } while (cursor)
      expect(pages).toBe(6)
      expect(new Set(seen).size).toBe(seen.length)
      expect(seen).toEqual(expected.map((e) => e.id))
    })

    test('filters by kind, searches words in the title (LIKE wildcards are literal), refuses a forged cursor', async () => {
      const w = await world()
      await publish(w, w.chair, { kind: '活动', title: '重阳节 敬老活动' })
      await publish(w, w.chair, { kind: '公告', title: '物业费 100% 收缴倡议' })
      await publish(w, w.chair, { kind: '公告', title: '物业费调整说明' })
      const kinds = await ok(deps, 'listNotices', { communityId: w.a, kind: '活动' }, w.tenant)
      expect(kinds.items.map((n: any) => n.title)).toEqual(['重阳节 敬老活动'])
      const search = await ok(deps, 'listNotices', { communityId: w.a, q: '物业费' }, w.tenant)
      expect(search.items.map((n: any) => n.title).sort()).toEqual(['物业费 100% 收缴倡议', '物业费调整说明'].sort())
      expect((await ok(deps, 'listNotices', { communityId: w.a, q: '100%' }, w.tenant)).items.map((n: any) => n.title)).toEqual(['物业费 100% 收缴倡议'])
      expect((await ok(deps, 'listNotices', { communityId: w.a, q: '%' }, w.tenant)).items).toHaveLength(1)
      expect((await ok(deps, 'listNotices', { communityId: w.a, q: '_' }, w.tenant)).items).toHaveLength(0)
      expect(await call(deps, 'listNotices', { communityId: w.a, cursor: "x' or 1=1 --" }, w.tenant)).toMatchObject({ error: { code: 'BadInput' } })
    })

    test('the unread badge counts notices in the feed the person has not opened, and clears as they open them', async () => {
      const w = await world()
      const a = await publish(w, w.chair, { title: 'A' })
      deps.setNow(at(1000))
      const b = await publish(w, w.chair, { title: 'B' })
      expect(await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.owner1)).toEqual({ count: 2, capped: false })
      const feed = await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)
      expect(feed.items.map((n: any) => n.read)).toEqual([false, false])
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: a.id }, w.owner1)
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: a.id }, w.owner1)
      expect(await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.owner1)).toEqual({ count: 1, capped: false })
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).items.map((n: any) => [n.id, n.read])).toEqual([[b.id, false], [a.id, true]])
      // Another person's badge is their own.
      expect((await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.coOwner1)).count).toBe(2)
    })

    test('a page is one statement: the pinned block first, then the page, each marked read for this reader only; later pages carry no pinned block', async () => {
      const w = await world()
      const ids: string[] = []
      for (let i = 0; i < 4; i++) {
        deps.setNow(at(i * 1000))
        ids.push((await publish(w, w.chair, { title: `n${i}`, pinned: i < 2 })).id)
      }
      deps.setNow(at(10_000))
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: ids[0] }, w.owner1)
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: ids[2] }, w.owner1)
      let statements = 0
      const db = env.db.withPlugin({ transformQuery: (a) => a.node, transformResult: async (a) => (statements++, a.result) })
      const page = async (userId: string, cursor?: string) => {
        statements = 0
        const p = await listNotices(actorCtx({ ...deps, db }, { userId, roles: ['owner'] }), { communityId: w.a, view: 'feed', limit: 1, ...(cursor ? { cursor } : {}) })
        expect(statements).toBe(1)
        return p
      }
      const marks = (list: { id: string; read: boolean }[]) => list.map((n) => [n.id, n.read])
      const first = await page(w.owner1)
      expect(marks(first.pinned)).toEqual([[ids[1], false], [ids[0], true]])
      expect(marks(first.items)).toEqual([[ids[3], false]])
      const second = await page(w.owner1, first.nextCursor!)
      expect(second.pinned).toEqual([])
      expect(marks(second.items)).toEqual([[ids[2], true]])
      expect(second.nextCursor).toBeNull()
      // Another reader's marks are their own.
      const theirs = await page(w.coOwner1)
      expect([...marks(theirs.pinned), ...marks(theirs.items)]).toEqual([[ids[1], false], [ids[0], false], [ids[3], false]])
    })

    test('the unread badge counts the last 90 days (boundary: a notice exactly 90 days old no longer counts); it stays unread in the feed', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { title: '旧通知' })
      deps.setNow(at(90 * DAY - 1))
      expect((await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.owner1)).count).toBe(1)
      deps.setNow(at(90 * DAY))
      expect((await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.owner1)).count).toBe(0)
      expect((await ok(deps, 'listNotices', { communityId: w.a }, w.owner1)).items.map((n: any) => [n.id, n.read])).toEqual([[id, false]])
    })

    test('the unread badge caps at 99+', async () => {
      const w = await world()
      for (let i = 0; i < 101; i++) {
        await publishSystemNotice(systemCtx(deps), { communityId: w.a, kind: '公告', title: `n${i}`, body: 'b', publisherRole: 'committee_chair', publisherName: '滨江花园业主委员会', publishedBy: w.chair })
      }
      expect(await ok(deps, 'unreadNoticeCount', { communityId: w.a }, w.owner1)).toEqual({ count: 99, capped: true })
    })
  })

  describe('Notices (公告/公示): read counts are shown to the publisher', () => {
    test('households who opened it over households of the 小区; a unit counts once whoever of its owners or tenants opened it', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { kind: '公示', title: '年度财务收支公示' })
      const stats = () => ok(deps, 'noticeReadStats', { communityId: w.a, noticeId: id }, w.chair)
      expect(await stats()).toMatchObject({ households: 8, readHouseholds: 0 })
      // Two co-owners of 1栋101 → one household.
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.coOwner1)
      expect((await stats()).readHouseholds).toBe(1)
      // The tenant of 1栋201 → that unit.
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.tenant)
      expect((await stats()).readHouseholds).toBe(2)
      // The owner of 1栋102 and 2栋101 → both their units.
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner2)
      // Publishers and officers reading are not households.
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.staff)
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.officer)
      const s = await stats()
      expect(s).toMatchObject({ households: 8, readHouseholds: 4 })
      // 公示: buildings with low readership, lowest first. 1栋 3/4, 2栋 1/4 (< 50%).
      expect(s.buildings.map((b: any) => [b.name, b.readHouseholds, b.households, b.low])).toEqual([
        ['2栋', 1, 4, true],
        ['1栋', 3, 4, false],
      ])
      // The detail page carries the same figures for publishers, none for residents.
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.member)).stats.readHouseholds).toBe(4)
      expect((await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner1)).stats).toBeNull()
    })

    test('boundary: exactly half of a building having read is not low readership; other kinds have no building breakdown', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair, { kind: '公示', title: '公示' })
      const other = await makeOwner(env.db, w.a, [w.unitsA2[1]], '周敏')
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner2)
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, other)
      const s = await ok(deps, 'noticeReadStats', { communityId: w.a, noticeId: id }, w.chair)
      expect(s.buildings.find((b: any) => b.name === '2栋')).toMatchObject({ readHouseholds: 2, households: 4, low: false })
      const plain = await publish(w, w.chair, { kind: '公告' })
      expect((await ok(deps, 'noticeReadStats', { communityId: w.a, noticeId: plain.id }, w.chair)).buildings).toBeNull()
    })

    test('units the developer has not sold are no households: they neither lower the share nor mark their building as lagging', async () => {
      const w = await world()
      const unsold = await addBuilding(env.db, w.a, '3栋', ['101', '102', '201'])
      await env.db.updateTable('units').set({ sold: 0 }).where('id', 'in', unsold).execute()
      // One unsold unit in 2栋 too: 2栋 then has 3 households.
      await env.db.updateTable('units').set({ sold: 0 }).where('id', '=', w.unitsA2[3]).execute()
      const { id } = await publish(w, w.chair, { kind: '公示', title: '公示' })
      await ok(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.owner2)
      const s = await ok(deps, 'noticeReadStats', { communityId: w.a, noticeId: id }, w.chair)
      expect(s).toMatchObject({ households: 7, readHouseholds: 2 })
      expect(s.buildings.map((b: any) => [b.name, b.readHouseholds, b.households, b.low])).toEqual([
        ['1栋', 1, 4, true],
        ['2栋', 1, 3, true],
      ])
    })

    test('a revoked tenancy no longer counts the unit for that tenant', async () => {
      const w = await world()
      const { id } = await publish(w, w.chair)
      await env.db.updateTable('tenancies').set({ status: 'revoked' }).where('tenant_user_id', '=', w.tenant).execute()
      await env.db.deleteFrom('memberships').where('user_id', '=', w.tenant).execute()
      expect(await call(deps, 'getNotice', { communityId: w.a, noticeId: id }, w.tenant)).toMatchObject({ error: { code: 'Forbidden' } })
      expect((await ok(deps, 'noticeReadStats', { communityId: w.a, noticeId: id }, w.chair)).readHouseholds).toBe(0)
    })
  })

  describe('Notices (公告/公示): names and phones never appear in notices', () => {
    test('a mobile number, an ID number or a name on the roster is refused; office phone numbers are fine', async () => {
      const w = await world()
      const refuse = async (body: string, msg: RegExp) => {
        const res = await call(deps, 'publishNotice', { communityId: w.a, kind: '欠费公示', title: '欠费公示', body }, w.staff)
        expect(res).toMatchObject({ ok: false, error: { code: 'BadInput' } })
        expect((res as any).error.message).toMatch(msg)
      }
      await refuse('请 1栋101 联系 13912345678', /手机号码/)
      await refuse('联系 139-1234-5678', /手机号码/)
      await refuse('身份证 36070219800101123X', /身份证/)
      await refuse('1栋1单元101 张伟 欠费', /住户姓名（发现“张伟”）/)
      expect((await call(deps, 'publishNotice', { communityId: w.a, kind: '欠费公示', title: '欠费公示', body: '1栋1单元**1室；咨询 0797-8123456，价格投诉 12358' }, w.staff)).ok).toBe(true)
      const { id } = await publish(w, w.chair, { title: '通知', body: '正文' })
      expect(await call(deps, 'editNotice', { communityId: w.a, noticeId: id, expectedVersion: 1, body: '联系李娜' }, w.chair)).toMatchObject({ error: { code: 'BadInput' } })
    })
  })
})
