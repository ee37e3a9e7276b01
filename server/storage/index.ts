import path from 'node:path'
import type { Config } from '../config'
import { createLocalStorage } from './local-storage'
import type { Storage } from './storage'
import { createWxCloudStorage, type WxCloudFiles } from './wxcloud-storage'

export type { Storage } from './storage'
export { cleanImage, MAX_IMAGE_PIXELS, type CleanImage } from './image'
export { assertSafePdf } from './pdf'

const cache = new Map<string, Storage>()

/**
 * The store for this process. `STORAGE=wxcloud` (or running inside a Tencent cloud function,
 * where TENCENTCLOUD_RUNENV is set) selects WeChat cloud storage through wx-server-sdk;
 * otherwise files go to `<dataDir>/files` on the local disk.
 */
export function storageFor(config: Pick<Config, 'dataDir'>, env: NodeJS.ProcessEnv = process.env): Storage {
  const useCloud = env.STORAGE === 'wxcloud' || (env.STORAGE !== 'local' && !!env.TENCENTCLOUD_RUNENV)
  const cacheKey = useCloud ? 'wxcloud' : `local:${path.resolve(config.dataDir)}`
  let s = cache.get(cacheKey)
  if (!s) {
    // Loaded only when chosen: the HTTP server never needs the SDK.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy require: the SDK loads only in the cloud function
    s = useCloud ? createWxCloudStorage(require('wx-server-sdk') as WxCloudFiles) : createLocalStorage(path.join(config.dataDir, 'files'))
    cache.set(cacheKey, s)
  }
  return s
}
