import cloud from 'wx-server-sdk'
import type { Envelope } from '../../src/contracts/errors'
import { loadConfig } from '../config'
import type { AppDeps } from '../context'
import { createDeps } from '../deps'
import { findOrCreateUser } from '../identity/user.repository'
import { dispatch, type Registry } from '../registry'
import { registry } from '../actions'

/** The event Taro.cloud.callFunction({ name: 'api', data }) delivers. */
export interface CloudEvent {
  action?: unknown
  input?: unknown
}

/**
 * The cloud transport over a registry: the caller is whoever WeChat says called (OPENID from
 * getWXContext); there is no token and no login round-trip.
 */
export function createCloudMain(getDeps: () => Promise<AppDeps>, reg: Registry) {
  return async function main(event: CloudEvent): Promise<Envelope<unknown>> {
    const deps = await getDeps()
    if (typeof event?.action !== 'string') {
      return { ok: false, error: { code: 'BadInput', message: '缺少操作名 action' } }
    }
    const { OPENID } = cloud.getWXContext()
    return dispatch(reg, event.action, event.input, deps, {
      caller: async () => {
        if (!OPENID) return null
        const user = await findOrCreateUser(deps.db, OPENID, '微信用户', deps.now())
        return { userId: user.id, openid: OPENID }
      },
    })
  }
}

cloud.init({ env: (cloud as any).DYNAMIC_CURRENT_ENV })

// One database connection per warm instance, opened on the first call.
let deps: Promise<AppDeps> | null = null
export const main = createCloudMain(() => (deps ??= createDeps(loadConfig())), registry)
