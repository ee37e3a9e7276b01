/**
 * Where uploaded files live. A key names a file inside the store (`notices/<小区>/<id>.png`);
 * `put` answers the reference to keep in the database (the key itself on disk, the fileID in
 * WeChat cloud storage), and `get`/`delete`/`url` take that reference back.
 */
export interface Storage {
  readonly kind: 'local' | 'wxcloud'
  put(key: string, data: Buffer, mime: string): Promise<string>
  /** The bytes, or null when the file is gone. */
  get(ref: string): Promise<Buffer | null>
  /** Removes the file; a missing file is not an error. */
  delete(ref: string): Promise<void>
  /** A URL the client can load directly (a cloud temporary link), or null to use the server's /api/files route. */
  url(ref: string): Promise<string | null>
}

/** Keys are made by the server, but check anyway: nothing may climb out of the store's root. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_\-./]{0,200}$/.test(key) || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`unsafe storage key: ${key}`)
  }
}
