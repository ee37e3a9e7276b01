import { REPORT_STATUSES } from '../../src/contracts/reports'
import { seedReportsDemo } from '../../server/reports/report.demo'
import { ok } from '../helpers/world'
import { DIALECTS, useTestDb } from '../helpers/db'
import { makeReportWorld } from '../helpers/reports-world'

describe.each(DIALECTS)('report demo data (%s)', (dialect) => {
  const { env, deps } = useTestDb(dialect)

  test('reports in every state, some overdue, some anonymous, made through the services; a second run adds nothing', async () => {
    const w = await makeReportWorld(env.db, deps)
    const people = {
      communityId: w.a, oldCommunityId: w.b, staff: w.staff, committee: w.chair, oldCommittee: w.pmcB, officer: w.officer,
      residents: [w.owners.wang, w.tenant], oldResidents: [w.owners.sun, w.owners.sun],
    }
    const { reports } = await seedReportsDemo(deps, people)
    expect(reports).toBe(14)
    const rows = await env.db.selectFrom('reports').select(['status', 'overdue_at', 'anonymous', 'auto_confirmed', 'rating']).execute()
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(REPORT_STATUSES))
    expect(rows.filter((r) => r.overdue_at).length).toBeGreaterThanOrEqual(2)
    expect(rows.filter((r) => r.anonymous).length).toBe(2)
    expect(rows.filter((r) => r.auto_confirmed).length).toBe(1)
    const inbox = await ok(deps, 'officerReportInbox', { officeId: w.office, limit: 50 }, w.officer)
    expect(inbox.items).toHaveLength(14)
    expect(inbox.items[0].overdue).toBe(true)
    expect((await seedReportsDemo(deps, people)).reports).toBe(0)
  })
})
