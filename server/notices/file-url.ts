import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Signed links to notice files. An <img> cannot send the Authorization header, and a session
 * token in a URL ends up in browser history and access logs; so the server, having checked that
 * the caller may read the file, hands out a link that works for an hour and proves nothing else.
 */
const LIFETIME_SECONDS = 3600

/** A key of its own, derived from the server secret, so a file link can never stand for anything else. */
const keyOf = (secret: string) => createHmac('sha256', secret).update('gongzhi:notice-file-url').digest()
const signatureOf = (secret: string, fileId: string, exp: number) => createHmac('sha256', keyOf(secret)).update(`${fileId}.${exp}`).digest('base64url')

export function signedFileUrl(fileId: string, secret: string, now: Date): string {
  const exp = Math.floor(now.getTime() / 1000) + LIFETIME_SECONDS
  return `/api/files/${fileId}?exp=${exp}&sig=${signatureOf(secret, fileId, exp)}`
}

/** Whether `exp`/`sig` from a file link are ours, for this file, and not yet expired. */
export function isValidFileSignature(fileId: string, exp: unknown, sig: unknown, secret: string, now: Date): boolean {
  if (typeof exp !== 'string' || typeof sig !== 'string' || !/^\d{1,12}$/.test(exp)) return false
  const expires = Number(exp)
  if (expires * 1000 <= now.getTime()) return false
  const expected = Buffer.from(signatureOf(secret, fileId, expires))
  const given = Buffer.from(sig)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
