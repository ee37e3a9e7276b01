import type { AppDeps } from '../context'
import type { Auth } from '../registry'
import { callerAtFromToken, callerFromToken } from './session.service'

/**
 * The session token of a request: `Authorization: Bearer <token>`, and only there — never from a
 * URL (history, access logs). One parser for every transport and route.
 */
export function bearerToken(header: string | string[] | undefined | null): string | null {
  if (typeof header !== 'string') return null
  const m = /^Bearer\s+(\S+)$/i.exec(header)
  return m ? m[1] : null
}

/**
 * How a request with a bearer token (or none) tells the registry who is calling: the caller of
 * the session, and for a role-checked action the caller with their roles at the place, read in
 * one statement (callerAtFromToken).
 */
export function bearerAuth(deps: AppDeps, token: string | null, userAgent: string | null = null): Auth {
  return {
    caller: async () => (token ? callerFromToken(deps, { token }) : null),
    callerAt: async (scope, placeId) => (token ? callerAtFromToken(deps, { token, scope, placeId }) : null),
    sessionToken: token,
    userAgent,
  }
}
