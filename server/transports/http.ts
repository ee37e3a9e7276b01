import fs from 'node:fs'
import path from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import fastifyStatic from '@fastify/static'
import rateLimit from '@fastify/rate-limit'
import { HTTP_STATUS } from '../../src/contracts/errors'
import type { AppDeps } from '../context'
import { bearerAuth, bearerToken as bearer } from '../identity/bearer'
import { callerFromToken } from '../identity/session.service'
import { dispatch, type Registry } from '../registry'
import { registerNoticeFileRoutes } from '../notices/notice-files.route'
import { AppError } from '../errors'
import { bodyLimitFor, limitStream, MAX_BODY_LIMIT } from './body-limit'
import { SECURITY_HEADERS } from './security-headers'

const ACTION_NAME = /^[a-zA-Z][a-zA-Z0-9]{0,63}$/

/**
 * The HTTP transport: `POST /api/<action>` with a JSON body, answered with the envelope and a
 * status from the error code; the H5 build is served at `/`.
 */
export async function buildApp(deps: AppDeps, registry: Registry, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: MAX_BODY_LIMIT, trustProxy: deps.config.trustProxy })

  // 600 calls a minute per address, for the API. The app's own files (the H5 build's scripts,
  // styles and pages, read from disk) do not count: opening a page fetches a dozen of them, and a
  // person moving through the app would otherwise be refused their own pages.
  await app.register(rateLimit, { max: 600, timeWindow: '1 minute', allowList: (req) => req.method === 'GET' && !req.url.startsWith('/api/') })

  // Every answer (actions, errors, 404s, the H5 files) carries the security headers. A callback
  // hook, not an async one: no promise per answer for seven constant headers.
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS)
    done(null, payload)
  })

  /** The caller of a bearer token; a session opened by demo login ends when demo mode is off. */
  const callerOf = (token: string) => callerFromToken(deps, { token })

  app.post<{ Params: { action: string } }>('/api/:action', {
    // The body limit is the action's own, or a small one while the caller is unknown, decided
    // before the body is read: an anonymous 29 MB body is refused by its first bytes.
    preParsing: async (req, _reply, payload) => {
      const action = (req.params as { action: string }).action
      const declared = Number(req.headers['content-length'])
      const limit = await bodyLimitFor(registry, action, bearer(req.headers.authorization), Number.isFinite(declared) ? declared : null, async (t) => Boolean(await callerOf(t)))
      return limitStream(req, payload, limit)
    },
  }, async (req, reply) => {
    const name = req.params.action
    const token = bearer(req.headers.authorization)
    const envelope = ACTION_NAME.test(name)
      ? await dispatch(registry, name, req.body, deps, bearerAuth(deps, token, req.headers['user-agent'] ?? null))
      : ({ ok: false, error: { code: 'NotFound', message: '没有这个操作' } } as const)
    reply.code(envelope.ok ? 200 : HTTP_STATUS[envelope.error.code])
    return envelope
  })

  app.get('/healthz', async () => ({ ok: true }))
  // Notice images and PDFs, to members of the 小区 only (GET, so an <img> can load them).
  registerNoticeFileRoutes(app, deps)

  // One handler hides the detail of anything unexpected (malformed JSON, say) behind the envelope.
  app.setErrorHandler((err: { statusCode?: number; message: string }, req, reply) => {
    if (err instanceof AppError && err.code === 'PayloadTooLarge') {
      // Stop reading a body we will not take; the client sees the answer and the socket closes.
      reply.header('connection', 'close')
      return reply.code(413).send({ ok: false, error: { code: err.code, message: err.message } })
    }
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) deps.log.error({ err, url: req.url }, 'http error')
    const code = status === 429 ? 'RateLimited' : status === 413 ? 'PayloadTooLarge' : status < 500 ? 'BadInput' : 'Internal'
    const message = status === 429 ? '请求太频繁，请稍后再试' : status === 413 ? '内容太大' : status < 500 ? '请求格式不正确' : '服务器出错了，请稍后再试'
    reply.code(status).send({ ok: false, error: { code, message } })
  })

  const h5 = path.resolve(deps.config.h5Dir)
  const hasH5 = fs.existsSync(path.join(h5, 'index.html'))
  if (hasH5) await app.register(fastifyStatic, { root: h5, prefix: '/' })
  // The H5 router uses the browser history: unknown non-API GETs get the app shell. Anything
  // else unknown answers the Chinese envelope, never Fastify's English 404.
  app.setNotFoundHandler((req, reply) => {
    if (hasH5 && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.sendFile('index.html')
    reply.code(404).send({ ok: false, error: { code: 'NotFound', message: '没有这个地址' } })
  })
  return app
}
