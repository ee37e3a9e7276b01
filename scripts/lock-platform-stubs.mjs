// The npm registry reachable from our machines lacks some prebuilt platform packages that
// Taro lists as optional (macOS, Windows, Linux arm64 builds of @tarojs/binding). `npm install`
// then leaves them out of package-lock.json, and `npm ci` refuses a lock that is "out of sync".
// This adds a lock entry for each missing one, marked optional and for its own os/cpu, so npm ci
// on Linux x64 skips it without fetching. Run after any `npm install` that rewrites the lock.
import fs from 'node:fs'

const PLATFORMS = {
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm64-gnu': { os: ['linux'], cpu: ['arm64'] },
  'linux-x64-gnu': { os: ['linux'], cpu: ['x64'] },
  'win32-x64-msvc': { os: ['win32'], cpu: ['x64'] },
}

const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'))
let added = 0
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const suffix = Object.keys(PLATFORMS).find((p) => name.endsWith(`-${p}`))
    const where = `node_modules/${name}`
    if (!suffix || lock.packages[where]) continue
    lock.packages[where] = { version, dev: entry.dev, optional: true, ...PLATFORMS[suffix] }
    added++
    console.log(`lock: stub for ${name}@${version} (needed by ${key})`)
  }
}
if (added) fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n')
console.log(`lock: ${added} platform stub(s) added`)
