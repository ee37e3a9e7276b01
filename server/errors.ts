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

export const forbidden = (message = '您没有权限进行此操作') => new AppError('Forbidden', message)
export const notFound = (message = '找不到该记录') => new AppError('NotFound', message)
