import cloud from 'wx-server-sdk'
import type { Envelope } from '../../src/contracts/errors'
import { loadConfig } from '../config'
import type { AppDeps } from '../context'
import { createDeps } from '../deps'
import { findOrCreateUser } from '../identity/user.repository'
import { dispatch, type Registry } from '../registry'
import { registry } from '../actions'
import { runDueJobs } from '../jobs/runner'
import { createCloudFiles, type WxCloudFileApi } from '../uploads/uploaded-file'

/** The event Taro.cloud.callFunction({ name: 'api', data }) delivers, or a timer trigger's. */
export interface CloudEvent {
  action?: unknown
  input?: unknown
  /** Set by WeChat for a timer trigger (config.json "triggers"). */
  Type?: string
  TriggerName?: string
}

/**
 * The cloud transport over a registry: the caller is whoever WeChat says called (OPENID from
 * getWXContext); there is no token and no login round-trip.
 */
export function createCloudMain(getDeps: () => Promise<AppDeps>, reg: Registry) {
  return async function main(event: CloudEvent): Promise<Envelope<unknown>> {
    const deps = await getDeps()
    const { OPENID } = cloud.getWXContext()
    // The every-minute timer trigger runs the due background jobs (server/jobs/registry.ts), as the
    // HTTP server's job runner does; leases in the database keep instances from running one job
    // twice at once. Triggers carry no OPENID; a mini-program call always does, so it cannot pose
    // as the timer (and the jobs only do what is already due anyway). Answers each job's summary.
    if (event?.Type === 'Timer' && !OPENID) {
      const outcomes = await runDueJobs(deps, deps.now())
      return { ok: true, data: Object.fromEntries(outcomes.map((o) => [o.name, o.ok ? o.result ?? {} : { error: o.error }])) }
    }
    if (typeof event?.action !== 'string') {
      return { ok: false, error: { code: 'BadInput', message: '缺少操作名 action' } }
    }
    return dispatch(reg, event.action, event.input, deps, {
      caller: async () => {
        if (!OPENID) return null
        const user = await findOrCreateUser(deps.db, OPENID, '微信用户', deps.now())
        return { userId: user.id, openid: OPENID }
      },
    })
  }
}

// The SDK's own marker for "the environment this function runs in"; its types declare a symbol where init wants a string.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string })

// A small PostgreSQL pool per warm instance (PG_POOL_MAX, default 2 here; 10 in the server),
// opened on the first call: instances multiply under load and each holds its pool while warm.
process.env.PG_POOL_MAX ??= '2'
// The database is opened on the first call. Files too big for
// callFunction's payload arrive as temporary cloud uploads, read (and deleted) through the SDK.
let deps: Promise<AppDeps> | null = null
export const main = createCloudMain(
  () => (deps ??= createDeps(loadConfig()).then((d) => ({ ...d, cloudFiles: createCloudFiles(cloud as unknown as WxCloudFileApi) }))),
  registry,
)
