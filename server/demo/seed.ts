import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Api } from '../../src/contracts/api'
import type { NoticeKind } from '../../src/contracts/notices'
import { withTx, type AppDeps } from '../context'
import { registry } from '../actions'
import { grantRole } from '../communities/membership.repository'
import { findOrCreateUser } from '../identity/user.repository'
import { dispatch } from '../registry'
import { DEMO_PERSONAS, demoOpenid } from './personas'
import { seedFeesDemo } from '../fees/fee.demo'
import { seedFundDemo } from '../fund/fund.demo'
import { seedReportsDemo } from '../reports/report.demo'
import { seedVotesDemo } from '../votes/vote.demo'

/** The roster fixtures committees gave us, shipped in the repo so a fresh clone can seed itself. */
export const ROSTER_DIR = path.resolve(__dirname, '../../test/fixtures/rosters')

/** Calls an action through the registry as a user, exactly as a transport would; throws on failure. */
async function callAs<K extends keyof Api>(deps: AppDeps, userId: string, action: K, input: Api[K]['input']): Promise<Api[K]['output']> {
  const res = await dispatch(registry, action, input, deps, { caller: async () => ({ userId, openid: `seed:${userId}` }) })
  if (!res.ok) throw new Error(`demo seed: ${action} failed: ${res.error.code} ${res.error.message}`)
  return res.data as Api[K]['output']
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')

/** 文清苑's register with its five known mistakes corrected, as the committee would after the import refused it. */
function correctedWenqing(): string {
  const lines = fs.readFileSync(path.join(ROSTER_DIR, 'wenqing-roster-with-errors.csv'), 'utf8').split(/\r?\n/)
  const fix: Record<number, (l: string) => string> = {
    6: (l) => l.replace('301,,', '301,56.30,'),
    11: (l) => l.replace(',501,72.45,', ',502,72.45,'),
    16: (l) => l.replace(',-12,', ',56.30,'),
    21: (l) => l.replace(',12345,', ',13812345678,'),
    26: (l) => l.replace(',也许,', ',否,'),
  }
  return lines.map((l, i) => (fix[i + 1] ? fix[i + 1](l) : l)).join('\n')
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙']
const GIVEN = ['建国', '秀英', '桂兰', '志强', '淑珍', '德明', '玉梅', '春生', '凤英', '国华']

/** Buildings 4 and 5 of 文清苑 (old, no elevators), 48 units with made-up owners. */
function wenqingExtraRows(): string[] {
  const rows: string[] = []
  let n = 0
  for (const b of ['4栋', '5栋'])
    for (const s of ['1单元', '2单元'])
      for (let floor = 1; floor <= 6; floor++)
        for (const r of ['01', '02']) {
          const name = SURNAMES[n % SURNAMES.length] + GIVEN[(n * 7) % GIVEN.length]
          const phone = `139${String(10_000_000 + n * 104_729).slice(-8)}`
          rows.push(`${b},${s},${floor}${r},${r === '01' ? '58.20' : '74.65'},否,${name},${phone},${String(1000 + n * 37).slice(-4)}`)
          n++
        }
  return rows
}

/** Building 3 of 滨江花园: 36 units the developer has not sold yet. */
function binjiangUnsoldRows(): string[] {
  const rows: string[] = []
  for (let floor = 1; floor <= 18; floor++)
    for (const r of ['01', '02']) rows.push(`3栋,1单元,${floor}${r},${r === '01' ? '95.30' : '128.64'},是,开发商（未售）,,`)
  return rows
}

/**
 * Seeds the demo district once (when the database has no district): a street, a community
 * office, 滨江花园 (new, elevators, 180 units) and 文清苑 (old, built 1998, no elevators, 120
 * units), the personas of personas.ts, bound owners, co-owners, a tenant and a pending binding.
 * Everything goes through the same actions a committee would use. Returns false if already seeded.
 */
export async function seedDemo(deps: AppDeps): Promise<boolean> {
  const { db } = deps
  if (await db.selectFrom('districts').select('id').executeTakeFirst()) return false
  const now = deps.now()
  const at = now.toISOString()
  const ids = { district: randomUUID(), street: randomUUID(), office: randomUUID(), binjiang: randomUUID(), wenqing: randomUUID() }
  await withTx({ db }, async ({ db: trx }) => {
    await trx.insertInto('districts').values({ id: ids.district, name: '章贡区' }).execute()
    await trx.insertInto('streets').values({ id: ids.street, district_id: ids.district, name: '解放街道' }).execute()
    await trx.insertInto('offices').values({ id: ids.office, street_id: ids.street, name: '东阳社区居委会' }).execute()
    await trx.insertInto('communities').values([
      { id: ids.binjiang, office_id: ids.office, name: '滨江花园', built_on: '2016-05-01', governance: 'committee', committee_name: '滨江花园业主委员会', company_name: '赣州安居物业服务有限公司', vote_notice_days: 15, created_at: at },
      { id: ids.wenqing, office_id: ids.office, name: '文清苑', built_on: '1998-09-01', governance: 'pmc', committee_name: '文清苑物业管理委员会', company_name: null, vote_notice_days: 15, created_at: at },
    ]).execute()
  })

  const users: Record<string, string> = {}
  for (const p of DEMO_PERSONAS) users[p.key] = (await findOrCreateUser(db, demoOpenid(p.key), p.label.replace(/（.*）/, ''), now)).id
  await grantRole(db, users.committee, 'committee_chair', { communityId: ids.binjiang }, now)
  await grantRole(db, users['committee-old'], 'committee_member', { communityId: ids.wenqing }, now)
  await grantRole(db, users.staff, 'property_staff', { communityId: ids.binjiang }, now)
  await grantRole(db, users.officer, 'community_officer', { officeId: ids.office }, now)

  const binjiang = [fs.readFileSync(path.join(ROSTER_DIR, 'binjiang-roster.csv'), 'utf8').trimEnd(), ...binjiangUnsoldRows()].join('\n')
  await callAs(deps, users.committee, 'importRoster', { communityId: ids.binjiang, fileName: '滨江花园业主名册.csv', fileBase64: b64(binjiang) })
  const wenqing = [correctedWenqing().trimEnd(), ...wenqingExtraRows()].join('\n')
  await callAs(deps, users['committee-old'], 'importRoster', { communityId: ids.wenqing, fileName: '文清苑业主名册.csv', fileBase64: b64(wenqing) })
  await withTx(deps, (d) => seedFeesDemo(d, { communityId: ids.binjiang, staffUserId: users.staff, remindedRoom: { building: '1栋', stair: '1单元', room: '102' } }))

  // Typed details that match the roster wait for the committee (issue 13): it approves each in one tap.
  const bind = async (key: string, communityId: string, building: string, stair: string, room: string, name: string, phone: string) => {
    const claim = await callAs(deps, users[key], 'bindUnit', { communityId, building, stair, room, name, phone })
    const committee = communityId === ids.binjiang ? users.committee : users['committee-old']
    await callAs(deps, committee, 'decideBinding', { communityId, bindingId: claim.bindingId, approve: true })
  }
  await bind('owner-bound', ids.binjiang, '1栋', '1单元', '102', '邓雨英', '13958881297')
  await bind('owner-multi', ids.wenqing, '2栋', '2单元', '501', '郭杰华', '18660928356')
  await bind('owner-coowned', ids.wenqing, '3栋', '2单元', '302', '田志', '13964478239')
  await bind('owner-coowner', ids.wenqing, '3栋', '2单元', '302', '陈洋平', '13964478239')
  await seedFundDemo(deps, { communityId: ids.wenqing, committeeUserId: users['committee-old'] })

  const me = await callAs(deps, users['owner-bound'], 'me', {})
  const unit = me.units.find((u) => u.communityId === ids.binjiang)!
  const invite = await callAs(deps, users['owner-bound'], 'inviteTenant', { communityId: ids.binjiang, unitId: unit.unitId })
  await callAs(deps, users.tenant, 'acceptTenancy', { code: invite.code })
  await seedReportsDemo(deps, {
    communityId: ids.binjiang, oldCommunityId: ids.wenqing, staff: users.staff, committee: users.committee, oldCommittee: users['committee-old'],
    officer: users.officer, residents: [users['owner-bound'], users.tenant], oldResidents: [users['owner-multi'], users['owner-coowned']],
  })

  const publish = (key: string, communityId: string, kind: NoticeKind, title: string, body: string, extra: object = {}) =>
    callAs(deps, users[key], 'publishNotice', { communityId, kind, title, body, ...extra })
  await publish('committee', ids.binjiang, '公告', '关于筹备2027年业主大会的通知',
    '各位业主：\n\n业委会将于明年一月召开业主大会，议题包括续聘物业服务企业和电梯维保。\n\n请大家在小程序“议事”页关注表决安排，有意见可在“报事”页留言。')
  await publish('staff', ids.binjiang, '停水停电', '12月3日上午停水通知',
    '因市政管网检修，12月3日（周四）8:00至12:00，1栋、2栋停水。\n\n请提前储水，给您带来不便敬请谅解。')
  await publish('officer', ids.binjiang, '活动', '东阳社区冬季义诊进小区',
    '社区卫生服务中心将于本周六上午在小区中心花园开展义诊，测血压、测血糖，老年朋友可以带上常用药清单。')
  await publish('committee-old', ids.wenqing, '财务公开', '文清苑2026年第三季度公共收益公示',
    '本季度公共收益合计 3,260.00 元：\n广告位租金 2,400.00 元；\n快递柜场地费 860.00 元。\n\n支出明细见公告栏，如有疑问请联系物管会。')
  await publish('officer', ids.wenqing, '公示', '文清苑老旧小区改造方案公示',
    '根据章贡区老旧小区改造计划，文清苑拟实施屋面防水、外墙修缮和雨污分流改造。\n\n公示期内业主可在“报事”页提出意见。')

  // An owners' assembly vote, announced now: it opens after the 15-day notice period.
  const day = 86_400_000
  // 08:00 Beijing time (00:00 UTC) of a day, so the demo shows plain times.
  const morningOf = (offsetDays: number) => new Date(Math.floor((now.getTime() + offsetDays * day) / day) * day)
  const vote = await callAs(deps, users.committee, 'createVote', {
    communityId: ids.binjiang,
    title: '2027年续聘物业及电梯维修表决',
    description: '业委会提请全体业主表决以下两个事项。表决期间可在小程序“议事”页投票，也可到业委会办公室填写纸质表决票。',
    scope: 'whole',
    opensAt: morningOf(16).toISOString(),
    closesAt: new Date(morningOf(30).getTime() + 12 * 3600_000).toISOString(), // 20:00 Beijing time
    matters: [
      { item: 4, title: '续聘赣州安居物业服务有限公司，服务期三年' },
      { item: 5, title: '使用维修资金更换1栋两部电梯的曳引钢丝绳' },
    ],
  })
  await callAs(deps, users.committee, 'announceVote', { communityId: ids.binjiang, voteId: vote.id })
  // Votes to cast now and one already decided, run with the clock moved back (server/votes/vote.demo.ts).
  await seedVotesDemo(deps, {
    communityId: ids.binjiang,
    committeeUserId: users.committee,
    open: { title: '小区东门增设快递柜表决', description: '业委会提请全体业主表决：在东门内侧公共绿地旁增设智能快递柜，场地费计入公共收益。投票期间可在“议事”页投票。', matters: [{ item: 8, title: '东门内侧公共部位增设智能快递柜，场地费计入公共收益' }, { item: 9, title: '快递柜场地费用于小区绿化养护' }] },
    closed: { title: '2026年业主大会议事规则修订表决', description: '业委会提请全体业主表决修订后的业主大会议事规则。', matters: [{ item: 1, title: '通过修订后的《滨江花园业主大会议事规则》' }] },
    closedVoters: [{ userId: users['owner-bound'], choices: ['agree'] }],
    counting: {
      title: '地下车库照明改造表决',
      description: '业委会提请全体业主表决：使用公共收益更换地下车库照明灯具。本次表决也收纸质表决票和书面委托，投票结束后计票 3 天。',
      matters: [{ item: 9, title: '使用公共收益更换地下车库照明灯具' }],
      voters: [{ userId: users['owner-bound'], choices: ['agree'] }],
    },
  })
  await seedVotesDemo(deps, {
    communityId: ids.wenqing,
    committeeUserId: users['committee-old'],
    open: { title: '文清苑增设电动自行车充电桩表决', description: '物管会提请全体业主表决：在3栋与4栋之间的公共部位增设电动自行车充电桩。', matters: [{ item: 8, title: '3栋与4栋之间公共部位增设电动自行车充电桩' }] },
  })

  // Someone whose phone changed since the register was made: waits for the committee.
  const newcomer = await findOrCreateUser(db, 'demo:newcomer', '胡先生', now)
  await callAs(deps, newcomer.id, 'bindUnit', { communityId: ids.binjiang, building: '1栋', stair: '1单元', room: '202', name: '胡磊', phone: '13800001111' })
  return true
}
