import fs from 'node:fs'
import path from 'node:path'
import Sqlite from 'better-sqlite3'

/**
 * Backup and restore of the SQLite database. A backup is taken with SQLite's online backup API,
 * so the server keeps writing while it runs and the copy is one consistent moment of the
 * database. For PostgreSQL use pg_dump and point-in-time recovery (README, "Backup").
 */

export interface BackupReport {
  file: string
  bytes: number
  pages: number
  ms: number
}

/** Copies a live database file to `dest` (a new file; refused if it exists). */
export async function backupSqlite(sourceFile: string, dest: string): Promise<BackupReport> {
  if (!fs.existsSync(sourceFile)) throw new Error(`没有找到数据库文件：${sourceFile}`)
  if (fs.existsSync(dest)) throw new Error(`备份文件已存在，不会覆盖：${dest}`)
  fs.mkdirSync(path.dirname(dest), { recursive: true })
  const t0 = Date.now()
  const source = new Sqlite(sourceFile, { fileMustExist: true })
  try {
    source.pragma('busy_timeout = 5000')
    const tmp = `${dest}.partial`
    fs.rmSync(tmp, { force: true })
    // Small steps let the server's writes go on between them; SQLite restarts the copy itself
    // if a write lands between steps, so what is written is one consistent moment. A server that
    // writes between every step would restart it for ever, so each restart doubles the step: at
    // worst the last try copies the whole file in one step (in WAL mode that blocks no writer).
    let step = 256
    let left = Infinity
    const result = await source.backup(tmp, {
      progress: ({ remainingPages }) => {
        if (remainingPages > left) step *= 2
        left = remainingPages
        return step
      },
    })
    const check = checkFile(tmp)
    if (check !== 'ok') throw new Error(`备份文件校验失败：${check}`)
    fsyncFile(tmp)
    fs.renameSync(tmp, dest)
    return { file: dest, bytes: fs.statSync(dest).size, pages: result.totalPages, ms: Date.now() - t0 }
  } finally {
    source.close()
  }
}

/** SQLite's own integrity check of a database file: 'ok' or the first problem it names. */
export function checkFile(file: string): string {
  const db = new Sqlite(file, { readonly: true, fileMustExist: true })
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[]
    return rows[0]?.integrity_check ?? 'no answer'
  } finally {
    db.close()
  }
}

/**
 * Puts a backup in place of the database file. The server must be stopped: the target's WAL and
 * shared-memory files are removed, and the previous file is kept beside it as `.before-restore`.
 */
export function restoreSqlite(backupFile: string, targetFile: string): { previous: string | null } {
  const check = checkFile(backupFile)
  if (check !== 'ok') throw new Error(`备份文件已损坏，不恢复：${check}`)
  fs.mkdirSync(path.dirname(targetFile), { recursive: true })
  const tmp = `${targetFile}.restoring`
  fs.copyFileSync(backupFile, tmp)
  fsyncFile(tmp)
  let previous: string | null = null
  if (fs.existsSync(targetFile)) {
    previous = `${targetFile}.before-restore`
    fs.rmSync(previous, { force: true })
    fs.renameSync(targetFile, previous)
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${targetFile}${suffix}`, { force: true })
  fs.renameSync(tmp, targetFile)
  return { previous }
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
