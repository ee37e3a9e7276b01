import type { ErrorCode } from '../src/contracts/errors'

/** A failure the caller can act on; anything else thrown becomes `Internal`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'AppError'
  }
}
