import { isOldCommunity } from '../../src/contracts/communities'
import { freshDb, testDeps } from '../helpers/db'
import { makeUser, makeWorld, ok } from '../helpers/world'

describe('老旧小区 old community: built before the end of 2004', () => {
  test.each([
    ['1998-09-01', true],
    ['2004-12-31', true],
    ['2005-01-01', false],
    ['2016-05-01', false],
  ])('built on %s → old: %s', (builtOn, old) => {
    expect(isOldCommunity(builtOn)).toBe(old)
  })

  test('me tells which of my 小区 are old', async () => {
    const env = await freshDb('sqlite')
    const deps = testDeps(env.db, 'sqlite')
    const w = await makeWorld(env.db)
    const officer = await makeUser(env.db, 'officer', 'community_officer', { officeId: w.office })
    const me = await ok(deps, 'me', {}, officer)
    expect(Object.fromEntries(me.communities.map((c: any) => [c.name, c.isOld]))).toEqual({ 滨江花园: false, 文清苑: true })
    await env.close()
  })
})
