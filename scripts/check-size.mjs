#!/usr/bin/env node
/**
 * Package budgets (`npm run size`, in CI after the builds). Each figure is printed with its budget;
 * exits 1 when any is over.
 * - weapp (dist/, after npm run build:weapp): the main package (everything outside the subpackage
 *   folders named in the built app.json) ≤ 600 KB; each subpackage ≤ 300 KB; the whole ≤ 2 MB.
 *   WeChat's own limits are 2 MB a package and 20 MB in all; ours keep residents' first open fast.
 * - H5 (dist-h5/, after npm run build:h5): the first page's JavaScript, gzipped, ≤ 250 KB: the
 *   scripts index.html loads plus the first page's own chunk (app.json's first page).
 * A target that was not built is reported and skipped unless SIZE_REQUIRE=weapp,h5 names it.
 * KB are 1,024 bytes. Usage: node scripts/check-size.mjs [weappDir] [h5Dir]
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const WEAPP = path.resolve(process.argv[2] ?? 'dist')
const H5 = path.resolve(process.argv[3] ?? 'dist-h5')
const KB = 1024
const BUDGET = { main: 600 * KB, sub: 300 * KB, weapp: 2048 * KB, h5FirstPage: 250 * KB }
const required = new Set((process.env.SIZE_REQUIRE ?? '').split(',').filter(Boolean))

function sizeOf(dir) {
  let total = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    // Every file counts (licence notes too): an upper bound on what DevTools uploads.
    if (entry.isDirectory()) total += sizeOf(full)
    else if (entry.isFile()) total += fs.statSync(full).size
  }
  return total
}

const kb = (n) => `${(n / KB).toFixed(1)} KB`
const failures = []
function line(label, bytes, budget) {
  const ok = bytes <= budget
  if (!ok) failures.push(`${label} ${kb(bytes)} > ${kb(budget)}`)
  console.log(`${label.padEnd(44)} ${kb(bytes).padStart(10)}   budget ${kb(budget).padStart(10)}   ${ok ? 'ok' : 'OVER'}`)
}

let firstPage = null
if (fs.existsSync(path.join(WEAPP, 'app.json'))) {
  // Subpackage roots come from the built app.json, so a new subpackage is counted without edits here.
  const app = JSON.parse(fs.readFileSync(path.join(WEAPP, 'app.json'), 'utf8'))
  firstPage = app.pages?.[0] ?? null
  const roots = (app.subPackages ?? app.subpackages ?? []).map((p) => p.root.replace(/\/+$/, ''))
  const total = sizeOf(WEAPP)
  const subs = roots.map((root) => ({ root, bytes: fs.existsSync(path.join(WEAPP, root)) ? sizeOf(path.join(WEAPP, root)) : 0 }))
  line('weapp main package', total - subs.reduce((s, p) => s + p.bytes, 0), BUDGET.main)
  for (const s of subs) line(`  subpackage ${s.root}`, s.bytes, BUDGET.sub)
  line('weapp whole', total, BUDGET.weapp)
} else {
  const msg = `没有找到 ${WEAPP}/app.json：请先运行 npm run build:weapp`
  if (required.has('weapp')) failures.push(msg)
  console.log(`weapp: not built (${msg})`)
}

const html = path.join(H5, 'index.html')
if (fs.existsSync(html)) {
  // The scripts the page loads, then the first page's lazy chunk (its name is the page path).
  const srcs = [...fs.readFileSync(html, 'utf8').matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]).filter((s) => !/^(https?:)?\/\//.test(s))
  const files = srcs.map((s) => path.join(H5, s.replace(/^\.?\//, '')))
  const page = firstPage ?? JSON.parse(fs.readFileSync(path.resolve('src/app.config.json'), 'utf8')).pages[0]
  const norm = (s) => s.replace(/\.[0-9a-f]{8,}\.js$|\.js$/, '').replace(/[/_-]+/g, '_')
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))
  // Chunks named after the page, or (the usual production build) numbered: the ids the router's
  // loader for the page asks webpack for, `path:"<page>",load:function…{…p.e(142)…then(…)` (keys
  // quoted or not, as the minifier leaves them).
  const all = walk(H5).filter((f) => f.endsWith('.js'))
  const ids = new Set()
  for (const f of files) {
    const src = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : ''
    const at = src.search(new RegExp(`"?path"?:"${page.replace(/[/.]/g, '\\$&')}","?load"?:`))
    if (at >= 0) for (const m of src.slice(at, src.indexOf('.then(', at) + 1 || at + 400).matchAll(/\w\.e\((\d+)\)/g)) ids.add(m[1])
  }
  const chunk = all.filter((f) => norm(path.relative(path.join(H5, 'js'), f)) === norm(page) || ids.has(path.basename(f).split('.')[0]))
  const counted = [...new Set([...files, ...chunk])].filter((f) => fs.existsSync(f))
  const gz = counted.reduce((s, f) => s + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0)
  const raw = counted.reduce((s, f) => s + fs.statSync(f).size, 0)
  line(`H5 first page JS, gzipped (${kb(raw)} raw)`, gz, BUDGET.h5FirstPage)
  for (const f of counted) console.log(`  ${path.relative(H5, f)}`)
  if (!chunk.length) console.log(`  (no chunk of ${page} found: counted the entry scripts only)`)
} else {
  const msg = `没有找到 ${html}：请先运行 npm run build:h5`
  if (required.has('h5')) failures.push(msg)
  console.log(`H5: not built (${msg})`)
}

if (failures.length) {
  console.error(`超出体积预算：\n  ${failures.join('\n  ')}`)
  process.exit(1)
}
console.log('size budgets met')
