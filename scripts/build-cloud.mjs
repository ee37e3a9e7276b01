// Bundles the handler registry behind the cloud transport into cloudfunctions/api/, a folder
// WeChat DevTools uploads as the `api` cloud function ("上传并部署：云端安装依赖").
import { build } from 'esbuild'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
// CLOUD_OUT_DIR builds elsewhere (tests and the bench build their own copy, so they never race).
const outDir = process.env.CLOUD_OUT_DIR ? path.resolve(process.env.CLOUD_OUT_DIR) : path.join(root, 'cloudfunctions', 'api')
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))

fs.rmSync(outDir, { recursive: true, force: true })
fs.mkdirSync(outDir, { recursive: true })
const started = Date.now()
await build({
  entryPoints: [path.join(root, 'server/transports/cloud.ts')],
  outfile: path.join(outDir, 'index.js'),
  bundle: true,
  platform: 'node',
  target: 'node16',
  format: 'cjs',
  // Installed in the cloud from package.json: wx-server-sdk, and better-sqlite3 (native) for the
  // SQLite fallback. pg-native is pg's optional C binding, which we do not use.
  external: ['wx-server-sdk', 'better-sqlite3', 'pg-native'],
  legalComments: 'none',
  // Minified (names kept, for readable stack traces in the cloud log): the bundle stays under 3 MB
  // and a cold instance parses less before its first answer.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
})
fs.writeFileSync(
  path.join(outDir, 'package.json'),
  JSON.stringify(
    {
      name: 'api',
      version: pkg.version,
      private: true,
      main: 'index.js',
      dependencies: { 'wx-server-sdk': pkg.devDependencies['wx-server-sdk'] },
      optionalDependencies: { 'better-sqlite3': pkg.dependencies['better-sqlite3'] },
    },
    null,
    2,
  ) + '\n',
)
// A timer trigger every minute runs the due background jobs (server/jobs): votes open and close on
// time (results within the minute), housekeeping, the outbox. Its name stays voteClock for deployments that have it.
const cloudConfig = {
  permissions: { openapi: ['subscribeMessage.send'] },
  triggers: [{ name: 'voteClock', type: 'timer', config: '0 * * * * * *' }],
}
fs.writeFileSync(path.join(outDir, 'config.json'), JSON.stringify(cloudConfig, null, 2) + '\n')
const size = fs.statSync(path.join(outDir, 'index.js')).size
console.log(`cloud function built: ${path.relative(root, outDir) || '.'}/index.js ${(size / 1024).toFixed(0)} KB in ${Date.now() - started} ms`)
