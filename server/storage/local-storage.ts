import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { assertSafeKey, type Storage } from './storage'

/** Files on the local disk under `root` (by default `<dataDir>/files`). */
export function createLocalStorage(root: string): Storage {
  const abs = path.resolve(root)
  const fileOf = (key: string) => {
    assertSafeKey(key)
    return path.join(abs, key)
  }
  return {
    kind: 'local',
    async put(key, data) {
      const file = fileOf(key)
      await fs.mkdir(path.dirname(file), { recursive: true })
      // Write beside, then rename: a crash mid-write never leaves a truncated file under the key.
      const tmp = `${file}.part-${randomBytes(6).toString('hex')}`
      try {
        await fs.writeFile(tmp, data, { flag: 'wx' })
        await fs.rename(tmp, file)
      } catch (err) {
        await fs.rm(tmp, { force: true })
        throw err
      }
      return key
    },
    async get(ref) {
      try {
        return await fs.readFile(fileOf(ref))
      } catch (err) {
        if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return null
        throw err
      }
    },
    async delete(ref) {
      await fs.rm(fileOf(ref), { force: true })
    },
    async url() {
      return null
    },
  }
}
