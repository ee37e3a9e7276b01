import { checkpointAudit } from '../audit/checkpoints'
import { runHousekeeping } from '../housekeeping'
import { drainOutbox } from '../outbox/outbox.drain'
import type { Job } from './job'
import { runVoteClock } from './vote-clock.job'
import { autoConfirmReports, markOverdueReports, purgeReportUploads } from '../reports/report.jobs'
import { purgeFundUploads } from '../fund/fund.documents'
import { purgeBindingProofs } from '../rosters/binding.proof'
import { purgeBallotEvidence } from '../votes/vote.evidence'

/**
 * Every background job, run by the one job runner (server/jobs/runner.ts) in the server process
 * and by the cloud function's timer trigger. A new job is one line here.
 */
export const JOBS: readonly Job[] = [
  { name: 'voteClock', schedule: { everySeconds: 20 }, run: runVoteClock },
  { name: 'housekeeping', schedule: { everySeconds: 3600 }, run: runHousekeeping },
  { name: 'outboxDrain', schedule: { everySeconds: 10 }, run: (ctx) => drainOutbox(ctx, ctx.deliverer) },
  { name: 'auditCheckpoint', schedule: { everySeconds: 60 }, run: async (ctx) => ({ written: await checkpointAudit(ctx) }) },
  { name: 'reportOverdue', schedule: { everySeconds: 30 }, run: markOverdueReports },
  { name: 'reportAutoConfirm', schedule: { everySeconds: 3600 }, run: autoConfirmReports },
  { name: 'reportUploadsPurge', schedule: { everySeconds: 3600 }, run: purgeReportUploads },
  { name: 'fundUploadsPurge', schedule: { everySeconds: 3600 }, run: purgeFundUploads },
  { name: 'bindingProofsPurge', schedule: { everySeconds: 3600 }, run: purgeBindingProofs },
  { name: 'ballotEvidencePurge', schedule: { everySeconds: 3600 }, run: purgeBallotEvidence },
]
