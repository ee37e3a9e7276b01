import { Transform } from 'node:stream'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../errors'
import type { Registry } from '../registry'

/** A JSON action's body: inputs are short texts and ids. */
export const JSON_BODY_LIMIT = 256 * 1024
/** Before the caller is known (no bearer token): login and the demo persona list need little. */
export const ANONYMOUS_BODY_LIMIT = 16 * 1024
/** The most any action may raise its limit to (a base64 PDF of 20 MB is about 27 MB). */
export const MAX_BODY_LIMIT = 28 * 1024 * 1024

/** Bytes of base64 text (plus a little JSON around it) that carry a file of `fileBytes`. */
export const base64BodyLimit = (fileBytes: number): number => Math.ceil(fileBytes / 3) * 4 + 64 * 1024

export class BodyTooLarge extends AppError {
  statusCode = 413
  constructor(limit: number) {
    super('PayloadTooLarge', `内容太大：这个操作最多接收 ${Math.floor(limit / 1024)} KB`)
  }
}

/**
 * The body limit for one request, decided from its headers before a byte of the body is read:
 * the action's own limit when the request carries a session that checks out, the anonymous one
 * otherwise. `verifyToken` is asked only when the body could exceed the anonymous limit.
 */
export async function bodyLimitFor(
  registry: Registry,
  action: string,
  token: string | null,
  declaredLength: number | null,
  verifyToken: (token: string) => Promise<boolean>,
): Promise<number> {
  const def = Object.prototype.hasOwnProperty.call(registry, action) ? registry[action] : undefined
  const own = Math.min(def?.bodyLimit ?? JSON_BODY_LIMIT, MAX_BODY_LIMIT)
  if (own <= ANONYMOUS_BODY_LIMIT) return own
  if (!token) return ANONYMOUS_BODY_LIMIT
  if (declaredLength !== null && declaredLength <= ANONYMOUS_BODY_LIMIT) return own
  return (await verifyToken(token).catch(() => false)) ? own : ANONYMOUS_BODY_LIMIT
}

/**
 * Refuses early on Content-Length, and counts a chunked body as it streams in. A body with a
 * Content-Length (and no Transfer-Encoding) within the limit passes as it is: Node's HTTP parser
 * reads exactly that many bytes as the body, and Fastify refuses one that ends short, so counting
 * it again would only add a stream to every request.
 */
export function limitStream(req: FastifyRequest, payload: NodeJS.ReadableStream, limit: number): NodeJS.ReadableStream {
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLarge(limit)
  if (Number.isFinite(declared) && req.headers['transfer-encoding'] === undefined) return payload
  let seen = 0
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length
      if (seen > limit) done(new BodyTooLarge(limit))
      else done(null, chunk)
    },
  })
  payload.on('error', (err) => counter.destroy(err))
  return payload.pipe(counter)
}
