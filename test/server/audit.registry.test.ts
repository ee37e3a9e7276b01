import { randomUUID } from 'node:crypto'
import { appendAudit, rowToEntry } from '../../server/audit/audit.service'
import { entityIdsWithAction, entriesOfEntity } from '../../server/audit/audit.repository'
import { auditChains, registerChain, verifyAuditAll, type AuditChain } from '../../server/audit/verifiers'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeWorld } from '../helpers/world'

/** The features that write to a 小区's log, in the order the report lists them. */
const FEATURES = ['votes', 'fund', 'bindings', 'rosterDecisions', 'objections']

/**
 * The audit verifier is a registry: a feature other than votes adds its chain and the verifier
 * walks it with the hash chain. The test feature keeps "notes" in memory (its table) and writes
 * each one to the 小区's audit log, as a real feature does in the transaction of its change.
 */
describe.each(DIALECTS)('the audit verifier walks every registered chain (%s)', (dialect) => {
  const { env } = useTestDb(dialect)
  let w: Awaited<ReturnType<typeof makeWorld>>
  /** The test feature's table: note id → text, by 小区. */
  const notes = new Map<string, Map<string, string>>()
  const notesOf = (communityId: string) => notes.get(communityId) ?? notes.set(communityId, new Map()).get(communityId)!

  async function writeNote(communityId: string, text: string, audited = true) {
    const id = randomUUID()
    notesOf(communityId).set(id, text)
    if (audited) {
      await env.db.transaction().execute((trx) =>
        appendAudit(trx, { communityId, at: '2026-03-01T00:00:00.000Z', actor: null, action: 'note.written', entityType: 'note', entityId: id, payload: { text } }),
      )
    }
    return id
  }

  const notesChain: AuditChain = {
    name: 'notes',
    label: '便签',
    communities: async () => [...notes.keys()].filter((id) => notesOf(id).size > 0),
    verify: async (db, communityId) => {
      const problems: string[] = []
      const stored = notesOf(communityId)
      const logged = await entityIdsWithAction(db, communityId, 'note', 'note.written')
      for (const id of logged) {
        const [entry] = await entriesOfEntity(db, communityId, 'note', id)
        const text = (rowToEntry(entry).payload as { text: string }).text
        if (!stored.has(id)) problems.push(`便签 ${id} 已被删除`)
        else if (stored.get(id) !== text) problems.push(`便签 ${id} 被改动`)
      }
      for (const id of stored.keys()) if (!logged.includes(id)) problems.push(`便签 ${id} 没有审计记录`)
      return { checked: stored.size, problems }
    },
  }

  let unregister: () => void
  beforeAll(async () => {
    w = await makeWorld(env.db)
    unregister = registerChain(notesChain)
  })
  afterAll(() => unregister())

  test('every feature registers its chain; a test feature’s chain is added after them', () => {
    expect(auditChains().map((c) => c.name)).toEqual([...FEATURES, 'notes'])
    expect(() => registerChain({ ...notesChain })).toThrow(/already registered/)
  })

  test('a registered chain is verified: intact records pass, a changed, deleted or unlogged record is found', async () => {
    const first = await writeNote(w.a, '电梯周五检修')
    await writeNote(w.a, '周六义诊')
    const [report] = await verifyAuditAll(env.db, [w.a])
    expect(report).toEqual({ communityId: w.a, entries: 2, checked: { votes: 0, fund: 0, bindings: 0, rosterDecisions: 0, objections: 0, notes: 2 }, ok: true, problems: [] })

    notesOf(w.a).set(first, '电梯周日检修')
    expect((await verifyAuditAll(env.db, [w.a]))[0]).toMatchObject({ ok: false, problems: [`便签 ${first} 被改动`] })
    notesOf(w.a).delete(first)
    expect((await verifyAuditAll(env.db, [w.a]))[0]).toMatchObject({ ok: false, problems: [`便签 ${first} 已被删除`] })
    notesOf(w.a).set(first, '电梯周五检修')
    expect((await verifyAuditAll(env.db, [w.a]))[0].ok).toBe(true)
  })

  test('a 小区 with records of the feature but no log at all is still walked', async () => {
    const id = await writeNote(w.b, '没有审计的便签', false)
    const reports = await verifyAuditAll(env.db)
    expect(reports.map((r) => r.communityId).sort()).toEqual([w.a, w.b].sort())
    expect(reports.find((r) => r.communityId === w.b)).toMatchObject({ entries: 0, checked: { notes: 1 }, ok: false, problems: [`便签 ${id} 没有审计记录`] })
    notesOf(w.b).delete(id)
  })

  test('a chain removed from the registry is no longer walked', async () => {
    const id = await writeNote(w.a, '稍后改动')
    notesOf(w.a).set(id, '已改动')
    const remove = registerChain({ ...notesChain, name: 'notes-again' })
    expect((await verifyAuditAll(env.db, [w.a]))[0].problems).toHaveLength(2)
    remove()
    expect((await verifyAuditAll(env.db, [w.a]))[0].problems).toEqual([`便签 ${id} 被改动`])
    expect(Object.keys((await verifyAuditAll(env.db, [w.a]))[0].checked)).toEqual([...FEATURES, 'notes'])
    notesOf(w.a).delete(id)
  })
})
