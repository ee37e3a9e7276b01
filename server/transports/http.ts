import fs from 'node:fs'
import path from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import rateLimit from '@fastify/rate-limit'
import { HTTP_STATUS } from '../../src/contracts/errors'
import type { AppDeps } from '../context'
import { callerFromToken } from '../identity/session.service'
import { dispatch, type Registry } from '../registry'
import { registerNoticeFileRoutes } from '../notices/notice-files.route'

const ACTION_NAME = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/

function bearer(header: string | undefined): string | null {
  const m = header?.match(/^Bearer\s+(\S+)$/i)
  return m ? m[1] : null
}

/**
 * The HTTP transport: `POST /api/<action>` with a JSON body, answered with the envelope and a
 * status from the error code; the H5 build is served at `/`.
 */
export async function buildApp(deps: AppDeps, registry: Registry, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: 30 * 1024 * 1024, trustProxy: deps.config.trustProxy })

  await app.register(rateLimit, { max: 600, timeWindow: '1 minute' })

  app.post<{ Params: { action: string } }>('/api/:action', async (req, reply) => {
    const name = req.params.action
    const token = bearer(req.headers.authorization)
    const envelope = ACTION_NAME.test(name)
      ? await dispatch(registry, name, req.body, deps, {
          caller: async () => (token ? callerFromToken(deps.db, token, deps.now()) : null),
          sessionToken: token,
        })
      : ({ ok: false, error: { code: 'NotFound', message: '没有这个操作' } } as const)
    reply.code(envelope.ok ? 200 : HTTP_STATUS[envelope.error.code])
    return envelope
  })

  app.get('/healthz', async () => ({ ok: true }))
  // Notice images and PDFs, to members of the 小区 only (GET, so an <img> can load them).
  registerNoticeFileRoutes(app, deps)

  // One handler hides the detail of anything unexpected (malformed JSON, say) behind the envelope.
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) deps.log.error({ err, url: req.url }, 'http error')
    const code = status === 429 ? 'RateLimited' : status === 413 ? 'PayloadTooLarge' : status < 500 ? 'BadInput' : 'Internal'
    const message = status === 429 ? '请求太频繁，请稍后再试' : status === 413 ? '内容太大' : status < 500 ? '请求格式不正确' : '服务器出错了，请稍后再试'
    reply.code(status).send({ ok: false, error: { code, message } })
  })

  const h5 = path.resolve(deps.config.h5Dir)
  if (fs.existsSync(path.join(h5, 'index.html'))) {
    await app.register(fastifyStatic, { root: h5, prefix: '/' })
    // The H5 router uses the browser history; unknown non-API paths get the app shell.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html')
      reply.code(404).send({ ok: false, error: { code: 'NotFound', message: '没有这个地址' } })
    })
  }
  return app
}
