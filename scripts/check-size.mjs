#!/usr/bin/env node
/**
 * Size check of the WeChat build (run after `npm run build:weapp`).
 * The main package is everything in dist/ except the subpackage folders (dist/packages/<name>/);
 * WeChat refuses a main package above 2 MB, and we hold ourselves to 1 MB so residents' first
 * open stays fast. Prints the main package, each subpackage and the total; exits 1 over budget.
 */
import fs from 'node:fs'
import path from 'node:path'

const DIST = path.resolve(process.argv[2] ?? 'dist')
const LIMIT = 1024 * 1024 // 1 MB = 1,048,576 bytes

function sizeOf(dir) {
  let total = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) total += sizeOf(full)
    // Every file counts (licence notes too): an upper bound on what DevTools uploads.
    else if (entry.isFile()) total += fs.statSync(full).size
  }
  return total
}

const fmt = (n) => `${n.toLocaleString('en-US')} bytes (${(n / 1024).toFixed(1)} KB)`

if (!fs.existsSync(path.join(DIST, 'app.json'))) {
  console.error(`没有找到 ${DIST}/app.json：请先运行 npm run build:weapp`)
  process.exit(1)
}

// Subpackage roots come from the built app.json, so a new subpackage is counted without edits here.
const app = JSON.parse(fs.readFileSync(path.join(DIST, 'app.json'), 'utf8'))
const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''))

const total = sizeOf(DIST)
const subs = roots.map((root) => {
  const dir = path.join(DIST, root)
  return { root, bytes: fs.existsSync(dir) ? sizeOf(dir) : 0 }
})
const main = total - subs.reduce((s, p) => s + p.bytes, 0)

console.log(`weapp main package: ${fmt(main)} (limit ${fmt(LIMIT)})`)
for (const s of subs) console.log(`  subpackage ${s.root}: ${fmt(s.bytes)}`)
console.log(`weapp total: ${fmt(total)}`)

if (main > LIMIT) {
  console.error(`主包超过 1 MB：${fmt(main)}`)
  process.exit(1)
}
console.log('size check passed')
