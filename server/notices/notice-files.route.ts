import type { FastifyInstance } from 'fastify'
import { HTTP_STATUS, type ErrorCode } from '../../src/contracts/errors'
import type { AppDeps } from '../context'
import { AppError } from '../errors'
import { callerFromToken } from '../identity/session.service'
import { storageFor } from '../storage'
import { fileForReader } from './notice-files.service'

/**
 * `GET /api/files/:fileId`: a notice's image or PDF, to members of its 小区 only. The session
 * token comes in the Authorization header, or as `?token=` because an <img> in the H5 build
 * cannot send headers. Files are served as stored, with nosniff, never as HTML.
 */
export function registerNoticeFileRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { fileId: string }; Querystring: { token?: string } }>('/api/files/:fileId', async (req, reply) => {
    const fail = (code: ErrorCode, message: string) => reply.code(HTTP_STATUS[code]).send({ ok: false, error: { code, message } })
    const header = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1]
    const token = header ?? (typeof req.query.token === 'string' ? req.query.token : undefined)
    if (!token) return fail('Unauthenticated', '请先登录')
    let userId: string
    try {
      userId = (await callerFromToken(deps.db, token, deps.now())).userId
    } catch (err) {
      if (err instanceof AppError) return fail(err.code, err.message)
      throw err
    }
    if (!/^[\w-]{1,64}$/.test(req.params.fileId)) return fail('NotFound', '文件不存在')
    const found = await fileForReader(deps.db, userId, req.params.fileId, deps.now())
    if (!found.ok) return fail(found.code, found.message)
    const data = await storageFor(deps.config).get(found.file.storage_key)
    if (!data) return fail('NotFound', '文件不存在')
    return reply
      .header('content-type', found.file.mime)
      .header('content-length', data.length)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, max-age=300')
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(found.file.file_name)}`)
      .send(data)
  })
}
