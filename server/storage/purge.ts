import { withTx, type Ctx } from '../context'
import type { DbOrTx } from '../db/database'
import { storageFor } from './index'

/**
 * Removes stored uploads one at a time, each in its own transaction: `deleteRow` deletes the row
 * only while it is still unused (answers how many rows it deleted), then the file goes. The row
 * is held until the file is gone, so a use of that upload meanwhile waits and then finds it gone;
 * a file the store fails to delete keeps its row (the transaction rolls back) and is tried again
 * by the next run. Answers how many were removed.
 */
export async function purgeUploads<R>(
  ctx: Pick<Ctx, 'db' | 'config'>,
  rows: readonly R[],
  deleteRow: (trx: DbOrTx, row: R) => Promise<bigint | number>,
  storageKey: (row: R) => string,
): Promise<number> {
  const storage = storageFor(ctx.config)
  let purged = 0
  for (const row of rows) {
    const gone = await withTx(ctx, async ({ db: trx }) => {
      if (Number(await deleteRow(trx, row)) !== 1) return false
      await storage.delete(storageKey(row))
      return true
    }).catch(() => false)
    if (gone) purged++
  }
  return purged
}
