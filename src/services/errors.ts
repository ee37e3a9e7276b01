import type { ErrorCode } from '../contracts/errors'

/**
 * Server codes plus failures only the client sees: the server could not be reached; the person
 * did not agree to the privacy guideline a WeChat privacy API needs (services/privacy.ts).
 */
export type ClientErrorCode = ErrorCode | 'Network' | 'PrivacyDeclined'

/**
 * A failed action, typed: `code` for programs, `message` (Chinese) for people.
 * request() throws this for every failure; it never resolves with undefined instead.
 */
export class ApiError extends Error {
  readonly code: ClientErrorCode
  readonly details?: unknown

  constructor(code: ClientErrorCode, message: string, details?: unknown) {
    super(message)
    // Down-levelled classes lose Error's prototype chain; restore it so instanceof works.
    Object.setPrototypeOf(this, ApiError.prototype)
    this.name = 'ApiError'
    this.code = code
    this.details = details
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError || (typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'ApiError')
}

/** The message to show a person for any thrown value. */
export function messageOf(err: unknown): string {
  if (isApiError(err)) return err.message
  return '出了点问题，请稍后再试'
}
