import { sql } from 'kysely'
import { DIALECTS, freshDb } from '../helpers/db'
import { makeWorld } from '../helpers/world'
import { appendAudit, canonicalJson, verifyChain } from '../../server/audit/audit.service'

describe.each(DIALECTS)('audit log chain on %s', (dialect) => {
  let env: Awaited<ReturnType<typeof freshDb>>
  let w: Awaited<ReturnType<typeof makeWorld>>
  beforeAll(async () => {
    env = await freshDb(dialect)
    w = await makeWorld(env.db)
  })
  afterAll(() => env.close())

  const append = (communityId: string, n: number, payload: object = {}) =>
    env.db.transaction().execute((trx) =>
      appendAudit(trx, { communityId, at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(), actor: null, action: 'test.entry', entityType: 'test', entityId: `e${n}`, payload: { n, ...payload } }),
    )

  test('canonical JSON sorts keys at every level so equal entries hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}')
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}')
  })

  test('appends outside a transaction are refused, so no entry can be written apart from its change', async () => {
    await expect(appendAudit(env.db, { communityId: w.a, at: 'x', actor: null, action: 'a', entityType: 't', entityId: 'i', payload: {} })).rejects.toThrow(/transaction/)
  })

  test('an intact chain verifies; a changed, deleted or truncated entry is found, naming where', async () => {
    for (let n = 1; n <= 5; n++) await append(w.a, n)
    await append(w.b, 1)
    expect(await verifyChain(env.db, w.a)).toEqual({ communityId: w.a, entries: 5, ok: true, problems: [] })
    expect((await verifyChain(env.db, w.b)).ok).toBe(true)

    // Change a payload in place.
    const original = await env.db.selectFrom('audit_log').select('payload').where('community_id', '=', w.a).where('seq', '=', 3).executeTakeFirstOrThrow()
    await env.db.updateTable('audit_log').set({ payload: '{"n":33}' }).where('community_id', '=', w.a).where('seq', '=', 3).execute()
    const changed = await verifyChain(env.db, w.a)
    expect(changed.ok).toBe(false)
    expect(changed.problems.join('\n')).toMatch(/第 3 条记录的内容被改动/)
    await env.db.updateTable('audit_log').set({ payload: original.payload }).where('community_id', '=', w.a).where('seq', '=', 3).execute()
    expect((await verifyChain(env.db, w.a)).ok).toBe(true)

    // Remove the last entry: the head still names it.
    const last = await env.db.selectFrom('audit_log').selectAll().where('community_id', '=', w.a).where('seq', '=', 5).executeTakeFirstOrThrow()
    await env.db.deleteFrom('audit_log').where('community_id', '=', w.a).where('seq', '=', 5).execute()
    expect((await verifyChain(env.db, w.a)).problems.join('\n')).toMatch(/链头记录为第 5 条，实际最后一条是第 4 条/)
    await env.db.insertInto('audit_log').values(last).execute()

    // Remove one in the middle.
    const mid = await env.db.selectFrom('audit_log').selectAll().where('community_id', '=', w.a).where('seq', '=', 2).executeTakeFirstOrThrow()
    await env.db.deleteFrom('audit_log').where('community_id', '=', w.a).where('seq', '=', 2).execute()
    expect((await verifyChain(env.db, w.a)).problems.join('\n')).toMatch(/第 2 条记录缺失/)
    await env.db.insertInto('audit_log').values(mid).execute()

    // Recomputing one entry's hash after changing it still breaks the link to the next one.
    await sql`update audit_log set actor = 'forger' where community_id = ${w.a} and seq = 4`.execute(env.db)
    const forged = await verifyChain(env.db, w.a)
    expect(forged.ok).toBe(false)
    await sql`update audit_log set actor = null where community_id = ${w.a} and seq = 4`.execute(env.db)
    expect((await verifyChain(env.db, w.a)).ok).toBe(true)
    // 小区 B's chain is separate and was never affected.
    expect((await verifyChain(env.db, w.b)).entries).toBe(1)
  })

  test('concurrent appends in one 小区 extend the chain one at a time without gaps', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(w.b, 100 + i)))
    const r = await verifyChain(env.db, w.b)
    expect(r).toMatchObject({ ok: true, entries: 41 })
  })
})
