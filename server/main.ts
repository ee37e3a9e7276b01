import { loadConfig } from './config'
import { createDeps } from './deps'
import { registry } from './actions'
import { buildApp } from './transports/http'

/** Only starts the HTTP server and closes it gracefully; everything else is built elsewhere. */
async function start() {
  const config = loadConfig()
  const deps = await createDeps(config)
  const app = await buildApp(deps, registry, { logger: false })
  await app.listen({ port: config.port, host: config.host })
  deps.log.info(`共治 server on http://${config.host}:${config.port} (${deps.dialect})`)
  const stop = async () => {
    await app.close()
    await deps.db.destroy()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

start().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
