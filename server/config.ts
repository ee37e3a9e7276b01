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
  wechat: { appId: string; appSecret: string; baseUrl: string }
  sessionDays: number
  h5Dir: string
  /** Behind a reverse proxy, take the client address from X-Forwarded-For (rate limits are per address). */
  trustProxy: boolean
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = (env.NODE_ENV === 'production' || env.NODE_ENV === 'test' ? env.NODE_ENV : 'development') as Config['env']
  const demo = env.DEMO === '1' || env.DEMO === 'true'
  if (nodeEnv === 'production' && demo) {
    throw new Error('拒绝启动：生产环境（NODE_ENV=production）不能开启演示模式（DEMO=1）')
  }
  const dataDir = env.DATA_DIR ?? 'data'
  const idHashSecret = env.ID_HASH_SECRET ?? (nodeEnv === 'production' ? '' : 'gongzhi-dev-secret')
  if (!idHashSecret) throw new Error('生产环境必须设置 ID_HASH_SECRET')
  return {
    env: nodeEnv,
    demo,
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    sqliteFile: env.SQLITE_FILE ?? `${dataDir}/gongzhi.sqlite`,
    dataDir,
    idHashSecret,
    wechat: {
      appId: env.WECHAT_APPID ?? 'wx-demo-appid',
      appSecret: env.WECHAT_SECRET ?? 'demo-secret',
      baseUrl: env.WECHAT_API_BASE ?? 'https://api.weixin.qq.com',
    },
    sessionDays: Number(env.SESSION_DAYS ?? 30),
    h5Dir: env.H5_DIR ?? 'dist-h5',
    trustProxy: env.TRUST_PROXY === '1',
  }
}
