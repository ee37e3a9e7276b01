/**
 * The session token of a request: `Authorization: Bearer <token>`, and only there — never from a
 * URL (history, access logs). One parser for every transport and route.
 */
export function bearerToken(header: string | string[] | undefined | null): string | null {
  if (typeof header !== 'string') return null
  const m = /^Bearer\s+(\S+)$/i.exec(header)
  return m ? m[1] : null
}
