import type { FastifyInstance } from 'fastify'
import { HTTP_STATUS, type ErrorCode } from '../../src/contracts/errors'
import { actorCtx, type AppDeps } from '../context'
import { AppError } from '../errors'
import { bearerToken } from '../identity/bearer'
import { callerFromToken } from '../identity/session.service'
import { storageFor } from '../storage'
import { isValidFileSignature } from './file-url'
import { fileForReader, fileForSignedLink } from './notice-files.service'

/** What a served file may do: nothing (a sandbox, no sources, never framed). */
const FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"

/**
 * `GET /api/files/:fileId`: a notice's image or PDF. Either the link is one the server signed when
 * it showed the notice to a member (`?exp=&sig=`, what an <img> uses), or the request carries a
 * session token in the Authorization header and the caller may read the file now. Tokens are never
 * taken from the URL. Files are served as stored, with nosniff and a sandboxing CSP, never as HTML;
 * PDFs as downloads. A signed link stops working when its notice is withdrawn.
 */
export function registerNoticeFileRoutes(app: FastifyInstance, deps: AppDeps): void {
  // A route hook runs after the app's own onSend (which sets the site-wide headers), so this
  // stricter policy is what a file is served with: nothing in it may run, even opened directly.
  const sandbox = async (_req: unknown, reply: { header: (k: string, v: string) => unknown }) => {
    reply.header('content-security-policy', FILE_CSP)
  }
  app.get<{ Params: { fileId: string }; Querystring: { exp?: string; sig?: string } }>('/api/files/:fileId', { onSend: sandbox }, async (req, reply) => {
    const fail = (code: ErrorCode, message: string) => reply.code(HTTP_STATUS[code]).send({ ok: false, error: { code, message } })
    const { fileId } = req.params
    if (!/^[\w-]{1,64}$/.test(fileId)) return fail('NotFound', '文件不存在')

    let file
    if (req.query.sig !== undefined || req.query.exp !== undefined) {
      if (!isValidFileSignature(fileId, req.query.exp, req.query.sig, deps.config.idHashSecret, deps.now())) {
        return fail('Forbidden', '链接已过期，请返回公告重新打开')
      }
      file = await fileForSignedLink(deps, fileId)
      if (!file) return fail('NotFound', '文件不存在或公告已撤回')
    } else {
      const token = bearerToken(req.headers.authorization)
      if (!token) return fail('Unauthenticated', '请先登录')
      let userId: string
      try {
        userId = (await callerFromToken(deps, { token })).userId
      } catch (err) {
        if (err instanceof AppError) return fail(err.code, err.message)
        throw err
      }
      // Roles are those the reader holds in the file's 小区, which fileForReader looks up.
      const found = await fileForReader(actorCtx(deps, { userId, roles: [] }), { fileId })
      if (!found.ok) return fail(found.code, found.message)
      file = found.file
    }
    const data = await storageFor(deps.config).get(file.storage_key)
    if (!data) return fail('NotFound', '文件不存在')
    return reply
      .header('content-type', file.mime)
      .header('content-length', data.length)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, max-age=300')
      // PDFs are downloads, not pages.
      .header('content-disposition', `${file.kind === 'pdf' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(file.file_name)}`)
      .send(data)
  })
}
