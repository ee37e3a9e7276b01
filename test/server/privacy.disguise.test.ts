import fc from 'fast-check'
import { findPersonalData, findPersonalDataIn, loadRosterIndex, type RosterIndex } from '../../server/privacy/personal-data'
import { DIALECTS, useTestDb } from '../helpers/db'
import { call, makeUser, makeWorld, ok } from '../helpers/world'

// The test converts names to traditional with OpenCC's simplified → traditional tables (the 1 MB
// build, loaded by this test only; the server loads the small reverse build).
const OpenCC = require('opencc-js/cn2t') as typeof import('opencc-js')
const toTraditional = [OpenCC.Converter({ from: 'cn', to: 'tw' }), OpenCC.Converter({ from: 'cn', to: 'hk' }), OpenCC.Converter({ from: 'cn', to: 't' })]

const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (lines: string[]) => Buffer.from([HEADER, ...lines].join('\n'), 'utf8').toString('base64')

/** Names whose traditional forms differ (陳, 劉, 黃, 歐陽, 鍾…) and some that do not. */
const NAMES = ['陈伟', '刘洋', '黄丽华', '欧阳娜娜', '张强', '钟国庆', '赵敏', '吴芳', '郑爱军', '杨红梅', '孙建国', '马龙', '冯晓东', '许丽', '邓丽君', '韩梅', '叶飞', '苏轼', '卢俊义', '蒋经纬']
const PHONES = NAMES.map((_, i) => `139${String(58881297 + i * 7919).padStart(8, '0')}`)
const ROSTER = NAMES.map((n, i) => `1栋,1单元,${101 + i},89.56,是,${n},${PHONES[i]},${String(1000 + i)}`)

const FULL_WIDTH = (d: string) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad']
/** What people put between the digits of a number. */
const NUMBER_SEPARATORS = [' ', '-', '.', '、', ',', '，', '\u3000', '·', '/', ' - ', '．', '－']
/** What people put between the characters of a name. */
const NAME_SEPARATORS = [' ', '\u3000', '·', '・', '.', '-', '  ', '*']

/** Text around the datum with no digit next to it (a digit glued on would make it another number). */
const around = fc.constantFrom('', '请联系', '业主', '，电话：', '（', '。', '详情咨询 ', '通知：', '\n', 'Tel: ')

/** Some characters of a string written full-width, invisible characters slipped in. */
function disguiseChars(s: string, fullWidth: boolean[], invisible: Array<number | null>): string {
  return [...s].map((ch, i) => (/[0-9]/.test(ch) && fullWidth[i % fullWidth.length] ? FULL_WIDTH(ch) : ch) + (invisible[i % invisible.length] != null ? INVISIBLES[invisible[i % invisible.length]!] : '')).join('')
}

/** A string cut into groups at the given points, joined by separators. */
function split(s: string, cuts: number[], seps: string[]): string {
  const points = [...new Set(cuts.map((c) => 1 + (c % (s.length - 1))))].sort((a, b) => a - b)
  const parts: string[] = []
  let from = 0
  for (const p of points) {
    parts.push(s.slice(from, p))
    from = p
  }
  parts.push(s.slice(from))
  return parts.map((p, i) => (i === 0 ? p : seps[i % seps.length] + p)).join('')
}

const disguise = (s: string) =>
  fc.record({
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
    seps: fc.array(fc.constantFrom(...NUMBER_SEPARATORS), { minLength: 1, maxLength: 3 }),
    fullWidth: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
    invisible: fc.array(fc.option(fc.nat({ max: INVISIBLES.length - 1 }), { freq: 3 }), { minLength: 1, maxLength: 5 }),
    before: around,
    after: around,
  }).map(({ cuts, seps, fullWidth, invisible, before, after }) => before + disguiseChars(split(s, cuts, seps), fullWidth, invisible) + after)

const rosterPhone = fc.nat({ max: PHONES.length - 1 }).map((i) => PHONES[i])
const prefixed = fc.tuple(rosterPhone, fc.constantFrom('', '+86', '86', '0086', '+86 ', '+86-', '(+86)')).map(([p, pre]) => pre + p)

/** ISO 7064 MOD 11-2, the check character of an 18-digit resident ID. */
function checkChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0)
  return '10X98765432'[sum % 11]
}
const pad = (n: number, w: number) => String(n).padStart(w, '0')
const birth = fc.record({ y: fc.integer({ min: 1930, max: 2012 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
const area = fc.tuple(fc.constantFrom('11', '31', '36', '44', '51', '65'), fc.integer({ min: 0, max: 9999 })).map(([p, r]) => p + pad(r, 4))
const id18 = fc.tuple(area, birth, fc.integer({ min: 0, max: 999 })).map(([a, b, seq]) => {
  const first17 = `${a}${b.y}${pad(b.m, 2)}${pad(b.d, 2)}${pad(seq, 3)}`
  return first17 + checkChar(first17)
})
const id15 = fc.tuple(area, birth, fc.integer({ min: 0, max: 999 })).map(([a, b, seq]) => `${a}${pad(b.y % 100, 2)}${pad(b.m, 2)}${pad(b.d, 2)}${pad(seq, 3)}`)

const nameDisguise = fc.record({
  i: fc.nat({ max: NAMES.length - 1 }),
  trad: fc.nat({ max: toTraditional.length }),
  seps: fc.array(fc.option(fc.constantFrom(...NAME_SEPARATORS), { freq: 2 }), { minLength: 1, maxLength: 4 }),
  invisible: fc.array(fc.option(fc.nat({ max: INVISIBLES.length - 1 }), { freq: 2 }), { minLength: 1, maxLength: 4 }),
  before: fc.constantFrom('', '请', '业主', '通知：', '欠费户 '),
  after: fc.constantFrom('', '到物业处', '先生', '。', ' 欠费 3 个月'),
}).map(({ i, trad, seps, invisible, before, after }) => {
  const name = trad === toTraditional.length ? NAMES[i] : toTraditional[trad](NAMES[i])
  const chars = [...name].map((ch, k) => (k === 0 ? ch : (seps[k % seps.length] ?? '') + (invisible[k % invisible.length] != null ? INVISIBLES[invisible[k % invisible.length]!] : '') + ch))
  return { text: before + chars.join('') + after, name: NAMES[i] }
})

const RUNS = { numRuns: 400, seed: 20261126 }

describe.each(DIALECTS)('disguised personal data in what a 小区 posts, on %s', (dialect) => {
  const { env, deps } = useTestDb(dialect)
  let roster: RosterIndex
  let w: Awaited<ReturnType<typeof makeWorld>>
  let chair: string

  beforeAll(async () => {
    w = await makeWorld(env.db)
    chair = await makeUser(env.db, '主任', 'committee_chair', { communityId: w.a })
    await ok(deps, 'importRoster', { communityId: w.a, fileName: 'roster.csv', fileBase64: csv(ROSTER) }, chair)
    roster = await loadRosterIndex(env.db, w.a)
  })

  test('the forms named in issue 9 are all found', () => {
    const mobile = ['１３９５８８８１２９７', '+8613958881297', '8613958881297', '139.5888.1297', '139、5888、1297', '13958881297 13800001111'.replace(' ', ''), '139\u200b5888\u200b1297', '１３９－５８８８－１２９７']
    for (const t of mobile) expect([t, findPersonalDataIn(roster, [`联系 ${t} 王师傅`])]).toEqual([t, { kind: 'mobile' }])
    // A phone that is not on the roster, written with country prefix or full-width, is still a phone.
    expect(findPersonalDataIn(roster, ['+86 186 0000 1234'])).toEqual({ kind: 'mobile' })
    const ids = ['３６０７０２１９８００１０１１２３Ｘ', '360702800101123', '360702 19800101 1234', '360702-1980-0101-123X']
    for (const t of ids) expect([t, findPersonalDataIn(roster, [`身份证 ${t}`])]).toEqual([t, { kind: 'idNumber' }])
    const names = ['陈 伟', '陈\u200b伟', '陈\u3000伟', '陳偉', '歐陽娜娜', '歐陽 娜娜', '黃麗華', '鍾國慶']
    for (const t of names) expect([t, findPersonalDataIn(roster, [`请${t}到物业处`])?.kind]).toEqual([t, 'name'])
  })

  test('no disguised roster phone passes (separators, full-width digits, invisible characters, +86)', () => {
    fc.assert(fc.property(prefixed.chain(disguise), (text) => findPersonalDataIn(roster, [text])?.kind === 'mobile'), RUNS)
  })

  test('no roster phone hidden in a longer run of digits passes (phones typed together; an 18-digit run is refused as an ID number)', () => {
    fc.assert(
      fc.property(rosterPhone, fc.stringMatching(/^\d{0,11}$/), fc.stringMatching(/^\d{0,11}$/), (p, a, b) => findPersonalDataIn(roster, [`号码${a}${p}${b}`]) !== null),
      RUNS,
    )
  })

  test('the check as publishing runs it (roster phones looked up in the database) finds glued and disguised roster phones', async () => {
    const ctx = { db: env.db }
    for (const t of [`${PHONES[3]}${PHONES[4]}`, `99${PHONES[5]}1`, `+86 ${PHONES[6].slice(0, 3)}．${PHONES[6].slice(3, 7)}·${PHONES[6].slice(7)}`]) {
      expect([t, await findPersonalData(ctx, w.a, [`号码 ${t}`])]).toEqual([t, { kind: 'mobile' }])
    }
    expect(await findPersonalData(ctx, w.a, ['编号 991395888129'])).toBeNull()
  })

  test('no disguised ID number passes (18 digits with its check character, 15-digit old IDs)', () => {
    fc.assert(fc.property(fc.oneof(id18, id15).chain(disguise), (text) => findPersonalDataIn(roster, [text])?.kind === 'idNumber'), RUNS)
  })

  test('no disguised roster name passes (traditional characters, spaces of any width, dots, invisible characters)', () => {
    fc.assert(fc.property(nameDisguise, ({ text, name }) => {
      const found = findPersonalDataIn(roster, [text])
      return found?.kind === 'name' && found.name === name
    }), RUNS)
  })

  test('ordinary notices pass: dates, times, amounts, room numbers, hotlines, landlines', () => {
    const plain = [
      '2026年11月26日（周四）9:00-17:00 停水，请提前储水。',
      '2026-11-26 13:30 至 2026.11.27 18:00 电梯年检',
      '本月物业费 1.50 元/㎡，合计 1,380.50 元；维修资金余额 2,345,678.90 元',
      '1栋1单元101室、1302室、2栋201室 请于 11 月 30 日前缴费',
      '房号：101、102、201、202、301',
      '政务服务便民热线 12345，价格投诉 12358，供电 95598，燃气抢修 0797-8123456',
      '物业服务中心电话 0797-8123456 / 0797 812 3457',
      '共 180 户，已缴 152 户，缴费率 84.4%，表决截止 2026/12/15',
      '车位编号 B2-013、B2-014，租金 300 元/月',
      '第 3 期公示（2026 第 12 号），有效期 30 天',
    ]
    for (const t of plain) expect([t, findPersonalDataIn(roster, [t])]).toEqual([t, null])
    // Generated ordinary lines: a date, a time, an amount, a room, a hotline.
    const line = fc
      .record({
        y: fc.integer({ min: 2020, max: 2030 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }),
        fen: fc.integer({ min: 0, max: 99_999_999 }), b: fc.integer({ min: 1, max: 30 }), room: fc.integer({ min: 101, max: 3304 }), hot: fc.constantFrom('12345', '12358', '96333', '110', '119', '0797-8123456'),
      })
      .map((r) => `${r.y}年${r.m}月${r.d}日 ${r.h}:00，${r.b}栋${r.room}室 应缴 ${(r.fen / 100).toFixed(2)} 元，咨询 ${r.hot}`)
    fc.assert(fc.property(line, (t) => findPersonalDataIn(roster, [t]) === null), RUNS)
  })

  test('publishing refuses a disguised phone, ID number and name through the action', async () => {
    for (const body of ['请联系 １３９５８８８１２９７', '身份证 360702800101123', '请陳 偉到物业处']) {
      expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '通知', body }, chair)).toMatchObject({ ok: false, error: { code: 'BadInput' } })
    }
    expect(await call(deps, 'publishNotice', { communityId: w.a, kind: '公告', title: '停水通知', body: '2026年11月26日 9:00-17:00 停水，咨询 12345。' }, chair)).toMatchObject({ ok: true })
  })
})
