import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import iconv from 'iconv-lite'
import { formatArea } from '../../src/contracts/units'
import {
  decodeCsvBytes,
  parseAreaCentiM2,
  parseElevator,
  parseId4,
  parsePhone,
  parseRosterFile,
  splitCsv,
  type ParsedRoster,
} from '../../server/rosters/roster.parser'
import { previewOf } from '../../server/rosters/roster.service'

const FIXTURES = join(__dirname, '../fixtures/rosters')
const fixture = (name: string) => readFileSync(join(FIXTURES, name))
const HEADER = '楼栋,单元,房号,建筑面积(㎡),是否电梯,业主姓名,联系电话,身份证后四位'
const csv = (...lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8')

/** Units with their owners spelled out, line numbers left out, to compare two files of one roster. */
function content(r: ParsedRoster) {
  const persons = new Map(r.persons.map((p) => [p.key, p]))
  return r.units.map((u) => ({
    place: `${u.building}|${u.stair}|${u.room}`,
    area: u.areaCentiM2,
    elevator: u.elevator,
    sold: u.sold,
    owners: u.ownerKeys.map((k) => {
      const p = persons.get(k)!
      return `${p.name}|${p.phone}|${p.id4}`
    }),
  }))
}

describe('roster fixtures', () => {
  test('wenqing-roster-with-errors.csv reports exactly its five bad lines, in plain words', async () => {
    const r = await parseRosterFile('wenqing-roster-with-errors.csv', fixture('wenqing-roster-with-errors.csv'))
    expect(r.rowCount).toBe(72)
    expect(r.errors.map((e) => e.line)).toEqual([6, 11, 16, 21, 26])
    const reason = (line: number) => r.errors.find((e) => e.line === line)!.reason
    expect(reason(6)).toMatch(/缺少建筑面积/)
    expect(reason(11)).toMatch(/第 10 行/)
    expect(reason(11)).toMatch(/1栋1单元501室/)
    expect(reason(16)).toMatch(/负数/)
    expect(reason(21)).toMatch(/联系电话.*12345/)
    expect(reason(26)).toMatch(/是否电梯.*也许/)
    // The good rows are still read, so the preview can show them.
    expect(r.units).toHaveLength(67)
    expect(r.buildings).toEqual([
      { name: '1栋', elevator: false },
      { name: '2栋', elevator: false },
      { name: '3栋', elevator: false },
    ])
  })

  test('an owner of several units on several rows is one person (于平军 owns three units)', async () => {
    const r = await parseRosterFile('wenqing-roster-with-errors.csv', fixture('wenqing-roster-with-errors.csv'))
    const yu = r.persons.filter((p) => p.name === '于平军')
    expect(yu).toHaveLength(1)
    expect(yu[0].lines).toEqual([2, 3, 66])
    expect(r.units.filter((u) => u.ownerKeys.includes(yu[0].key)).map((u) => `${u.building}${u.stair}${u.room}`)).toEqual([
      '1栋1单元101',
      '1栋1单元102',
      '3栋2单元301',
    ])
  })

  test('binjiang-roster.xlsx (title row merged, header on row 2) and binjiang-roster.csv give the same 144 units', async () => {
    const x = await parseRosterFile('binjiang-roster.xlsx', fixture('binjiang-roster.xlsx'))
    const c = await parseRosterFile('binjiang-roster.csv', fixture('binjiang-roster.csv'))
    expect(x.errors).toEqual([])
    expect(c.errors).toEqual([])
    expect(x.units).toHaveLength(144)
    expect(content(x)).toEqual(content(c))
    expect(x.persons.length).toBe(c.persons.length)
    // xlsx numbers are sheet rows (header on row 2), CSV numbers are lines (header on line 1).
    expect(x.units[0].line).toBe(3)
    expect(c.units[0].line).toBe(2)
    const unsold = c.units.filter((u) => !u.sold)
    expect(unsold.length).toBeGreaterThan(0)
    expect(unsold.every((u) => u.ownerKeys.length === 0)).toBe(true)
    expect(c.units.find((u) => u.room === '402' && u.building === '1栋' && u.stair === '1单元')!.ownerKeys).toHaveLength(2)
    expect(c.units.reduce((s, u) => s + u.areaCentiM2, 0)).toBe(x.units.reduce((s, u) => s + u.areaCentiM2, 0))
  })

  test('the preview counts units, owners, co-owned and unsold units, and masks phones', async () => {
    const r = await parseRosterFile('binjiang-roster.csv', fixture('binjiang-roster.csv'))
    const p = previewOf(r)
    expect(p).toMatchObject({ rowCount: 144, unitCount: 144, buildingCount: 2, errors: [] })
    expect(p.unsoldUnits).toBe(r.units.filter((u) => !u.sold).length)
    expect(p.coOwnedUnits).toBe(r.units.filter((u) => u.ownerKeys.length === 2).length)
    expect(p.ownerCount).toBe(r.persons.length)
    expect(p.sample[0]).toEqual({ line: 2, building: '1栋', stair: '1单元', room: '101', area: '89.56', elevator: true, owners: '韩晨梅', phone: '158****0865' })
    expect(p.sample).toHaveLength(10)
    const dev = previewOf(await parseRosterFile('x.csv', csv('1栋,1单元,901,89.56,是,开发商（未售）,,')))
    expect(dev.sample).toEqual([{ line: 2, building: '1栋', stair: '1单元', room: '901', area: '89.56', elevator: true, owners: '开发商（未售）', phone: '' }])
    expect(dev).toMatchObject({ unsoldUnits: 1, ownerCount: 0 })
  })
})

describe('cells as committees write them', () => {
  test('area is integer hundredths of m² read from the decimal text, never through a float', () => {
    const ok = (s: string) => {
      const r = parseAreaCentiM2(s)
      if (!r.ok) throw new Error(`${s}: ${r.error}`)
      return r.value
    }
    expect(ok('89.56')).toBe(8956)
    expect(ok('118.20')).toBe(11820)
    expect(ok('118.2')).toBe(11820)
    expect(ok('100')).toBe(10000)
    expect(ok('0.01')).toBe(1)
    expect(ok('.5')).toBe(50)
    expect(ok('85.5平方米')).toBe(8550)
    expect(ok('85.5㎡')).toBe(8550)
    expect(ok('85.5 m²')).toBe(8550)
    expect(ok('85.5平米')).toBe(8550)
    expect(ok(' １２０．５０ ')).toBe(12050)
    expect(ok('89.5600')).toBe(8956)
    // 0.1 + 0.2 style float noise would turn 1.15 into 114.99…; digit by digit it is exact.
    expect(ok('1.15')).toBe(115)
    expect(ok('4.35')).toBe(435)
    const err = (s: string) => {
      const r = parseAreaCentiM2(s)
      return r.ok ? `accepted ${r.value}` : r.error
    }
    expect(err('89.567')).toMatch(/超过两位小数/)
    expect(err('')).toMatch(/缺少建筑面积/)
    expect(err('0')).toMatch(/不能为 0/)
    expect(err('0.00')).toMatch(/不能为 0/)
    expect(err('-12')).toMatch(/负数/)
    expect(err('-0.01')).toMatch(/负数/)
    expect(err('约90')).toMatch(/不是数字/)
    expect(err('89.5.6')).toMatch(/不是数字/)
    expect(err('.')).toMatch(/不是数字/)
    expect(err('12345678')).toMatch(/过大/)
  })

  test('any area written with up to two decimals reads back exactly (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999_999 }), fc.constantFrom('', '㎡', '平方米', ' '), (centi, unit) => {
        const r = parseAreaCentiM2(formatArea(centi) + unit)
        expect(r).toEqual({ ok: true, value: centi })
      }),
    )
  })

  test('phones: dashes, spaces, full-width digits and +86 are understood; anything else is named', () => {
    expect(parsePhone('139-1234-5678')).toEqual({ ok: true, value: '13912345678' })
    expect(parsePhone(' 139 1234 5678 ')).toEqual({ ok: true, value: '13912345678' })
    expect(parsePhone('１３９１２３４５６７８')).toEqual({ ok: true, value: '13912345678' })
    expect(parsePhone('+86 139 1234 5678')).toEqual({ ok: true, value: '13912345678' })
    expect(parsePhone('')).toEqual({ ok: true, value: null })
    expect(parsePhone('12345')).toMatchObject({ ok: false, error: expect.stringContaining('12345') })
    expect(parsePhone('0797-8123456')).toMatchObject({ ok: false })
    expect(parsePhone('139123456789')).toMatchObject({ ok: false })
  })

  test('ID last four: X in any case, full-width, leading zeros Excel dropped', () => {
    expect(parseId4('552x')).toEqual({ ok: true, value: '552X' })
    expect(parseId4('５５２Ｘ')).toEqual({ ok: true, value: '552X' })
    expect(parseId4('239')).toEqual({ ok: true, value: '0239' })
    expect(parseId4('')).toEqual({ ok: true, value: null })
    expect(parseId4('12345')).toMatchObject({ ok: false })
    expect(parseId4('55X2')).toMatchObject({ ok: false })
    expect(parseId4('abcd')).toMatchObject({ ok: false })
  })

  test('elevator flag is 是 or 否 (有/无 accepted), anything else is named', () => {
    expect(parseElevator(' 是 ')).toEqual({ ok: true, value: true })
    expect(parseElevator('否')).toEqual({ ok: true, value: false })
    expect(parseElevator('无')).toEqual({ ok: true, value: false })
    expect(parseElevator('也许')).toMatchObject({ ok: false, error: expect.stringContaining('也许') })
    expect(parseElevator('')).toMatchObject({ ok: false })
  })
})

describe('CSV files', () => {
  test('GBK from Chinese Excel/WPS reads like UTF-8, with and without BOM', async () => {
    const text = [HEADER, '1栋,1单元,101,89.56,是,王伟、李娜,13912345678,552X', '1栋,1单元,102,开发商（未售）,是,开发商（未售）,,'].join('\r\n')
    const fixed = text.replace('1栋,1单元,102,开发商（未售）', '1栋,1单元,102,118.20')
    const gbk = iconv.encode(fixed, 'gbk')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow()
    expect(decodeCsvBytes(gbk)).toBe(fixed)
    const fromGbk = await parseRosterFile('名册.csv', gbk)
    const fromUtf8 = await parseRosterFile('名册.csv', Buffer.from(fixed, 'utf8'))
    const fromBom = await parseRosterFile('名册.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(fixed, 'utf8')]))
    expect(fromGbk.errors).toEqual([])
    expect(fromGbk.units).toHaveLength(2)
    expect(content(fromGbk)).toEqual(content(fromUtf8))
    expect(content(fromBom)).toEqual(content(fromUtf8))
    expect(fromGbk.persons.map((p) => p.name)).toEqual(['王伟', '李娜'])
  })

  test('UTF-16 text from Excel "Unicode text" (tab-separated) also reads', async () => {
    const text = [HEADER.replace(/,/g, '\t'), '1栋\t1单元\t101\t89.56\t是\t王伟\t13912345678\t552X'].join('\r\n')
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])
    const r = await parseRosterFile('名册.csv', buf)
    expect(r.errors).toEqual([])
    expect(content(r)).toEqual([{ place: '1栋|1单元|101', area: 8956, elevator: true, sold: true, owners: ['王伟|13912345678|552X'] }])
  })

  test('full-width digits, bare numbers, stray spaces, units in the area cell, dashed phones and half-width brackets', async () => {
    const r = await parseRosterFile(
      'x.csv',
      csv(
        '1,1,１０１,85.5平方米,是, 王 伟 ,139-1234-5678,552x',
        ' 1栋 , 1单元 ,102室,85.5㎡,是,王伟 、 李娜,139 1234 5678,552X',
        '１栋,１单元,２０１,"1,0",是,开发商(未售),,',
        '1栋,1单元,202,90,是,开发商（未售）,,',
      ),
    )
    // "1,0" (a comma decimal) is not a number we guess at: it is named.
    expect(r.errors).toEqual([{ line: 4, reason: expect.stringMatching(/建筑面积“1,0”不是数字/) }])
    expect(content(r)).toEqual([
      { place: '1栋|1单元|101', area: 8550, elevator: true, sold: true, owners: ['王伟|13912345678|552X'] },
      { place: '1栋|1单元|102', area: 8550, elevator: true, sold: true, owners: ['王伟|13912345678|552X', '李娜|13912345678|552X'] },
      { place: '1栋|1单元|202', area: 9000, elevator: true, sold: false, owners: [] },
    ])
    // 王伟 of rows 2 and 3 is one person.
    expect(r.persons.filter((p) => p.name === '王伟')).toHaveLength(1)
  })

  test('quoted cells may hold commas, quotes and line breaks; blank lines keep later line numbers right', async () => {
    const rows = splitCsv('a,"b,1","c ""q""",d\r\n\r\n"x\ny",z\n')
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b,1', 'c "q"', 'd'] },
      { line: 2, cells: [''] },
      { line: 3, cells: ['x\ny', 'z'] },
    ])
    const r = await parseRosterFile('x.csv', csv('1栋,1单元,101,50,否,"王伟,李娜",13912345678,1234', '', '1栋,1单元,102,,否,张三,13912345678,1234'))
    expect(r.units[0].ownerKeys).toHaveLength(2)
    expect(r.errors).toEqual([{ line: 4, reason: '缺少建筑面积' }])
  })

  test('every kind of bad row is named with its line', async () => {
    const r = await parseRosterFile(
      'x.csv',
      csv(
        '1栋,1单元,101,50,否,王伟,13912345678,1234', // 2 fine
        '1栋,1单元,102,50,否,,13912345678,1234', // 3 no owner
        '1栋,1单元,201,50,否,李娜,13912345678,12X4', // 4 bad ID
        '1栋,1单元,202,50,是,张三,13912345678,1234', // 5 elevator differs from line 2 (same building)
        '1栋,1单元,101,50,否,赵六,13912345678,1234', // 6 same room as line 2
        ',1单元,301,50,否,钱七,13912345678,1234', // 7 no building
        '2栋,1单元,101,0,是,孙八,1391234567,1234', // 8 zero area and bad phone: one entry, both reasons
        '2栋,1单元,102,50,是,开发商（未售）、周九,13912345678,1234', // 9 developer mixed with an owner
      ),
    )
    const byLine = Object.fromEntries(r.errors.map((e) => [e.line, e.reason]))
    expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 5, 6, 7, 8, 9])
    expect(byLine[3]).toMatch(/缺少业主姓名/)
    expect(byLine[4]).toMatch(/身份证后四位/)
    expect(byLine[5]).toMatch(/1栋的“是否电梯”与第 2 行不一致/)
    expect(byLine[6]).toMatch(/与第 2 行是同一房间（1栋1单元101室）/)
    expect(byLine[7]).toMatch(/缺少楼栋/)
    expect(byLine[8]).toMatch(/不能为 0；联系电话/)
    expect(byLine[9]).toMatch(/开发商/)
    expect(r.units.map((u) => u.line)).toEqual([2])
  })

  test('building, stair, room and owner names longer than a resident can type when binding are named, not imported', async () => {
    const b31 = `${'一'.repeat(30)}栋`
    const r = await parseRosterFile(
      'x.csv',
      csv(
        `${'一'.repeat(29)}栋,${'二'.repeat(28)}单元,${'3'.repeat(30)},50,否,${'王'.repeat(40)},13912345678,1234`, // 2 every cell at its bound: fine
        `${b31},1单元,101,50,否,王伟,13912345678,1234`, // 3 building too long
        `1栋,${'二'.repeat(29)}单元,101,50,否,王伟,13912345678,1234`, // 4 stair too long
        `1栋,1单元,${'3'.repeat(31)},50,否,王伟,13912345678,1234`, // 5 room too long
        `1栋,1单元,102,50,否,李娜、${'王'.repeat(41)},13912345678,1234`, // 6 one co-owner's name too long
      ),
    )
    const byLine = Object.fromEntries(r.errors.map((e) => [e.line, e.reason]))
    expect(Object.keys(byLine).map(Number)).toEqual([3, 4, 5, 6])
    expect(byLine[3]).toMatch(/楼栋名称过长（最多 30 个字）/)
    expect(byLine[4]).toMatch(/单元名称过长（最多 30 个字）/)
    expect(byLine[5]).toMatch(/房号过长（最多 30 个字）/)
    expect(byLine[6]).toMatch(/业主姓名过长（最多 40 个字）/)
    expect(r.units.map((u) => u.line)).toEqual([2])
  })

  test('owners without phone or ID digits are never merged by name alone', async () => {
    const r = await parseRosterFile('x.csv', csv('1栋,1单元,101,50,否,王伟,,', '1栋,1单元,102,50,否,王伟,,'))
    expect(r.errors).toEqual([])
    expect(r.persons).toHaveLength(2)
  })

  test('a file without the header names which columns are missing', async () => {
    const noHeader = await parseRosterFile('x.csv', Buffer.from('a,b,c\n1,2,3\n'))
    expect(noHeader.errors).toEqual([{ line: 1, reason: expect.stringMatching(/找不到表头/) }])
    const partial = await parseRosterFile('x.csv', Buffer.from('楼栋,单元,房号,业主姓名\n1栋,1单元,101,王伟\n'))
    expect(partial.errors).toEqual([{ line: 1, reason: expect.stringMatching(/表头缺少列：建筑面积\(㎡\)、是否电梯/) }])
  })

  test('an old binary .xls or a broken .xlsx is refused as a whole file', async () => {
    await expect(parseRosterFile('a.xls.csv', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]))).rejects.toMatchObject({ code: 'UnsupportedFile' })
    await expect(parseRosterFile('a.xlsx', Buffer.from('not a zip'))).rejects.toMatchObject({ code: 'UnsupportedFile' })
    await expect(parseRosterFile('a.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]))).rejects.toMatchObject({ code: 'UnsupportedFile' })
  })
})

describe('xlsx files', () => {
  test('numbers, merged building cells, a title above the header: row numbers are the sheet rows', async () => {
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('说明').addRow(['本表仅供参考'])
    const ws = wb.addWorksheet('名册')
    ws.addRow(['某某小区业主名册'])
    ws.mergeCells('A1:H1')
    ws.addRow([])
    ws.addRow(['楼栋', '单元', '房号', '建筑面积（㎡）', '是否电梯', '业主姓名', '联系电话', '身份证后四位'])
    ws.addRow(['1栋', '1单元', 101, 89.56, '是', '王伟', 13912345678, 239]) // row 4
    ws.addRow([null, '1单元', 102, 0.1 + 0.2 + 88.9, '是', { richText: [{ text: '李' }, { text: '娜' }] }, '139-1234-5679', '552x']) // row 5
    ws.addRow([null, '1单元', 201, 89.567, '是', '张三', 13912345670, 1234]) // row 6
    ws.mergeCells('A4:A6')
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    const r = await parseRosterFile('名册.xlsx', buf)
    expect(r.errors).toEqual([{ line: 6, reason: expect.stringMatching(/超过两位小数/) }])
    expect(r.units.map((u) => [u.line, u.building, u.room, u.areaCentiM2])).toEqual([
      [4, '1栋', '101', 8956],
      [5, "1栋", "102", 8920],
    ])
    expect(r.persons.map((p) => [p.name, p.phone, p.id4])).toEqual([
      ['王伟', '13912345678', '0239'],
      ['李娜', '13912345679', '552X'],
    ])
  })
})
