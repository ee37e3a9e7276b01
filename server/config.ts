/** Everything the server reads from its environment, read once and checked. */
export interface Config {
  env: 'development' | 'production' | 'test'
  demo: boolean
  port: number
  host: string
  databaseUrl: string | undefined
  sqliteFile: string
  dataDir: string
  /** Secret mixed into ID-digit hashes; outside the database so a leaked dump cannot be brute-forced. */
  idHashSecret: string
  /** Key of the audit log's HMAC and checkpoints; outside the database so a recomputed chain is caught. */
  auditHmacSecret: string
  /** Null app id and secret: WeChat is not configured, and no request ever leaves for its servers. */
  wechat: { appId: string | null; appSecret: string | null; baseUrl: string }
  sessionDays: number
  h5Dir: string
  /** Behind a reverse proxy, take the client address from X-Forwarded-For (rate limits are per address). */
  trustProxy: boolean
}

/** The audit HMAC key outside production (development, tests, the demo). */
export const DEV_AUDIT_HMAC_SECRET = 'gongzhi-dev-audit-secret'

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Compared without case: NODE_ENV=Production must not fall back to development.
  const nodeEnvRaw = (env.NODE_ENV ?? '').trim().toLowerCase()
  const nodeEnv = (nodeEnvRaw === 'production' || nodeEnvRaw === 'test' ? nodeEnvRaw : 'development') as Config['env']
  const demoRaw = (env.DEMO ?? '').trim().toLowerCase()
  const demo = demoRaw === '1' || demoRaw === 'true'
  if (nodeEnv === 'production' && demo) {
    throw new Error('拒绝启动：生产环境（NODE_ENV=production）不能开启演示模式（DEMO=1）')
  }
  const dataDir = env.DATA_DIR ?? 'data'
  const idHashSecret = env.ID_HASH_SECRET ?? (nodeEnv === 'production' ? '' : 'gongzhi-dev-secret')
  if (!idHashSecret) throw new Error('生产环境必须设置 ID_HASH_SECRET')
  const auditHmacSecret = env.AUDIT_HMAC_SECRET ?? (nodeEnv === 'production' ? '' : DEV_AUDIT_HMAC_SECRET)
  if (!auditHmacSecret) throw new Error('生产环境必须设置 AUDIT_HMAC_SECRET')
  return {
    env: nodeEnv,
    demo,
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    sqliteFile: env.SQLITE_FILE ?? `${dataDir}/gongzhi.sqlite`,
    dataDir,
    idHashSecret,
    auditHmacSecret,
    wechat: {
      appId: env.WECHAT_APPID || null,
      appSecret: env.WECHAT_SECRET || null,
      baseUrl: env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com',
    },
    sessionDays: Number(env.SESSION_DAYS ?? 30),
    h5Dir: env.H5_DIR ?? 'dist-h5',
    trustProxy: env.TRUST_PROXY === '1',
  }
}
