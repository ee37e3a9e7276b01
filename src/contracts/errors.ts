/**
 * Error codes every action may answer, shared by server and client.
 * The message is for people (Chinese); the code is for programs.
 */
export const ERROR_CODES = [
  'BadInput',
  'Unauthenticated',
  'SessionExpired',
  'Forbidden',
  'NotFound',
  'Conflict',
  'RateLimited',
  'WeChatUnavailable',
  'WeChatNotConfigured',
  'DemoDisabled',
  'RosterInvalid',
  'PayloadTooLarge',
  'UnsupportedFile',
  'Immutable',
  'VoteClosed',
  'AlreadyVoted',
  'Internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** The envelope both transports answer with (cloud functions have no HTTP status). */
export type Envelope<T> =
  | { ok: true; data: T }
  | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } }

/** HTTP status for each code; the cloud transport ignores it. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BadInput: 400,
  Unauthenticated: 401,
  SessionExpired: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  RateLimited: 429,
  WeChatUnavailable: 503,
  WeChatNotConfigured: 503,
  DemoDisabled: 403,
  RosterInvalid: 422,
  PayloadTooLarge: 413,
  UnsupportedFile: 415,
  Immutable: 409,
  VoteClosed: 409,
  AlreadyVoted: 409,
  Internal: 500,
}
