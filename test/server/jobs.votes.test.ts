import { runDueJobs, type JobOutcome } from '../../server/jobs/runner'
import type { OutboxDeliverer, OutboxMessage } from '../../server/outbox/outbox.drain'
import { DIALECTS, useTestDb } from '../helpers/db'
import { secondConnection } from '../helpers/second-connection'
import { announcedVote, makeVoteWorld } from '../helpers/votes-world'
import { ok } from '../helpers/world'

/** Two server processes on one database, each with its own job runner and its own deliverer. */
describe.each(DIALECTS)('two job runners over one database (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('open a vote, then close it and publish its result, exactly once; each event is delivered once', async () => {
    const w = await makeVoteWorld(env.db)
    const { voteId, opensAt, closesAt, matters } = await announcedVote(deps, w)
    const other = await secondConnection(env.db, dialect)
    const delivered: { runner: string; message: OutboxMessage }[] = []
    const deliverer = (runner: string): OutboxDeliverer => ({
      deliver: async (message) => {
        await new Promise((r) => setImmediate(r))
        delivered.push({ runner, message })
      },
    })
    const runners = [
      { ...deps, deliverer: deliverer('a') },
      { ...deps, db: other.db, deliverer: deliverer('b') },
    ]
    /** Both runners at once, at the same instant; answers what each did with the vote clock. */
    const both = async (now: Date) => {
      const outcomes = await Promise.all(runners.map((r, i) => runDueJobs(r, now, { owner: `runner-${i}` })))
      return outcomes.flat().filter((o): o is Extract<JobOutcome, { ok: true }> => o.name === 'voteClock' && o.ok).map((o) => o.result)
    }
    try {
      // The opening comes: one of them opens the vote.
      expect(await both(new Date(opensAt.getTime() + 1000))).toEqual([{ opened: 1, closed: 0, failed: 0 }])
      expect((await env.db.selectFrom('votes').select('status').where('id', '=', voteId).executeTakeFirstOrThrow()).status).toBe('open')
      expect((await env.db.selectFrom('audit_log').select('seq').where('entity_id', '=', voteId).where('action', '=', 'vote.opened').execute()).length).toBe(1)

      // An owner votes (through the action, as in the app).
      deps.setNow(new Date(opensAt.getTime() + 3600_000))
      await ok(deps, 'castBallot', { communityId: w.a, voteId, confirmed: true, choices: [{ matterId: matters[0].id, choice: 'agree' }] }, w.people.solo.userId)

      // The window ends: one of them closes it; the next passes of both find nothing to do.
      const end = closesAt.getTime() + 1000
      expect(await both(new Date(end))).toEqual([{ opened: 0, closed: 1, failed: 0 }])
      for (const later of [end + 20_000, end + 40_000, end + 60_000]) {
        expect(await both(new Date(later))).toEqual([{ opened: 0, closed: 0, failed: 0 }])
      }

      const vote = await env.db.selectFrom('votes').select(['status', 'result_notice_id']).where('id', '=', voteId).executeTakeFirstOrThrow()
      expect(vote.status).toBe('closed')
      const results = await env.db.selectFrom('notices').select(['id', 'body']).where('community_id', '=', w.a).where('kind', '=', '表决结果').execute()
      expect(results.map((n) => n.id)).toEqual([vote.result_notice_id])
      expect((await env.db.selectFrom('vote_results').select('matter_id').where('vote_id', '=', voteId).execute()).length).toBe(1)
      expect((await env.db.selectFrom('audit_log').select('seq').where('entity_id', '=', voteId).where('action', '=', 'vote.closed').execute()).length).toBe(1)

      // The outbox announced each event once, and each was delivered once, by one runner or the other.
      const rows = await env.db.selectFrom('outbox').select(['topic', 'payload', 'delivered_at']).where('community_id', '=', w.a).orderBy('created_at').execute()
      expect(rows.map((r) => [r.topic, JSON.parse(r.payload).voteId])).toEqual([['vote.opened', voteId], ['vote.resultPublished', voteId]])
      expect(rows.every((r) => r.delivered_at !== null)).toBe(true)
      expect(delivered.map((d) => d.message.topic).sort()).toEqual(['vote.opened', 'vote.resultPublished'])
      expect(delivered.find((d) => d.message.topic === 'vote.resultPublished')!.message.payload).toMatchObject({ voteId, noticeId: vote.result_notice_id })
    } finally {
      await other.close()
    }
  })
})
