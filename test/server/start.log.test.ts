import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { cleanBuildOutput, stripAnsi, summariseBuild } from '../../scripts/start-output'
import { DEMO_BINDING, DEMO_PERSONAS } from '../../server/demo/personas'
import { beijingStamp, duration, personaLines, stepLine } from '../../server/demo/start-log'

const root = path.resolve(__dirname, '../..')
const ESC = String.fromCharCode(27)

describe('the H5 build output, as npm start keeps and summarises it', () => {
  // What `taro build --type h5` printed when not in a terminal: progress bars redrawn with ANSI codes, colours, tips.
  const raw = fs.readFileSync(path.join(root, 'test/fixtures/h5-build-output.txt'), 'utf8')

  test('the captured output really is full of progress frames and ANSI codes', () => {
    expect(raw).toContain(ESC)
    expect(raw).toMatch(/● Webpack █+ building/)
  })

  test('the log file gets plain lines: no ANSI codes, no progress frames or spinner, the result kept', () => {
    const cleaned = cleanBuildOutput(raw)
    expect(cleaned).not.toContain(ESC)
    expect(cleaned).not.toMatch(/█|即将开始启动编译|\r/)
    expect(cleaned).toContain('webpack 5.91.0 compiled with 2 warnings')
    expect(cleaned).toContain('WARNING in asset size limit')
    expect(cleaned).not.toMatch(/\n\n\n/)
  })

  test('warnings are counted once each, in a few words', () => {
    expect(summariseBuild(cleanBuildOutput(raw))).toEqual({
      warnings: ['个别 JS 文件超过 webpack 建议的 244 KiB', '入口文件合计超过 webpack 建议的 244 KiB', 'webpack 弃用提示：[hash] 应写作 [fullhash]'],
      errors: [],
    })
  })

  test('a failed build names its errors', () => {
    const failed = `${ESC}[31mERROR${ESC}[39m in ./src/app.ts 3:0-30\nModule not found: Error: Can't resolve './nope'\n\nwebpack compiled with 1 error\n`
    expect(summariseBuild(cleanBuildOutput(failed)).errors).toEqual(["./src/app.ts 3:0-30"])
    expect(stripAnsi(`${ESC}[2K${ESC}[1A${ESC}[1m${ESC}[32mok${ESC}[39m${ESC}[22m`)).toBe('ok')
  })
})

describe('the start-up lines', () => {
  test('each step is one line stamped with the Beijing time and how long it took', () => {
    const at = Date.UTC(2026, 11, 1, 0, 2, 3) // 08:02:03 in Beijing
    expect(beijingStamp(at)).toBe('08:02:03')
    expect(beijingStamp(Date.UTC(2026, 11, 1, 16, 0, 0))).toBe('00:00:00')
    expect(stepLine('数据库', '已就绪', 1234, at)).toBe('[08:02:03] 数据库：已就绪，用时 1.2 秒')
    expect(stepLine('H5 前端', '已构建', undefined, at)).toBe('[08:02:03] H5 前端：已构建')
    expect([duration(25_400), duration(65_000)]).toEqual(['25 秒', '1 分 5 秒'])
  })

  test('the persona list says what to try as each, with the phone to type when binding', () => {
    const lines = personaLines('http://127.0.0.1:3000')
    for (const p of DEMO_PERSONAS) expect(lines.some((l) => l.includes(p.label))).toBe(true)
    expect(lines.filter((l) => l.includes('可以试：')).length).toBeGreaterThanOrEqual(DEMO_PERSONAS.length)
    expect(lines.join('\n')).toContain(`手机号填 ${DEMO_BINDING.phone}`)
  })
})

/**
 * `npm start` itself, with the H5 build already there (a stand-in index.html), output not a
 * terminal: a header, one stamped line per step, the address, the personas; nothing else.
 */
test('npm start prints a short, plain log in Beijing time when its output is not a terminal', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-start-'))
  const h5 = path.join(dir, 'h5')
  fs.mkdirSync(h5)
  fs.writeFileSync(path.join(h5, 'index.html'), '<!doctype html><title>共治</title>')
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: { ...process.env, PORT: '0', DATA_DIR: dir, SQLITE_FILE: path.join(dir, 'start.sqlite'), DATABASE_URL: '', H5_DIR: h5, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr.on('data', (c: Buffer) => (err += c.toString()))
  const startedAt = Date.now()
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      // The persona list is the last thing printed.
      if (out.includes(DEMO_PERSONAS[DEMO_PERSONAS.length - 1].tries[0])) resolve()
    })
    child.on('exit', (code) => reject(new Error(`start exited ${code}: ${out}${err}`)))
  })
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
  fs.rmSync(dir, { recursive: true, force: true })

  expect(out).not.toContain(ESC)
  expect(out).not.toContain('\r')
  expect(err).toBe('')
  const lines = out.split('\n')
  expect(lines[0]).toMatch(/^共治 · 启动于北京时间 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
  // (A background job may already have logged: that shows as one stamped line pointing at the log file.)
  const steps = lines.filter((l) => /^\[\d\d:\d\d:\d\d\] /.test(l) && !l.includes('服务日志：'))
  expect(steps.map((l) => l.slice(11, l.indexOf('：')))).toEqual(['H5 前端', '数据库', '演示数据', '服务'])
  expect(steps[1]).toMatch(/，用时 \d+\.\d 秒$/)
  expect(steps[3]).toMatch(/共治已启动 http:\/\/127\.0\.0\.1:\d+ /)
  // The stamps are Beijing wall-clock times of this run (UTC+8), not the machine's zone.
  const stamps = new Set<string>()
  for (let t = startedAt - 2000; t <= Date.now() + 2000; t += 1000) stamps.add(beijingStamp(t))
  for (const l of steps) expect(stamps.has(l.slice(1, 9))).toBe(true)
  // Everything else is the personas block: nothing from pino, no progress, no stray output.
  const rest = lines.slice(1).filter((l) => !steps.includes(l) && l !== '' && !l.includes('服务日志：'))
  expect(rest[0]).toMatch(/^在浏览器打开 http:\/\/127\.0\.0\.1:\d+ ，选择一个演示身份登录：$/)
  expect(rest.slice(1).every((l) => /^ {2}· |^ {6}可以试：/.test(l))).toBe(true)
  expect(out).toContain(`手机号填 ${DEMO_BINDING.phone}`)
}, 60_000)

/**
 * While npm start builds the H5 front end, the server migrates and seeds (START_AWAIT_H5) and
 * waits: it serves only after a line on its stdin says the build is there, and ends if its
 * stdin closes first (npm start is gone).
 */
describe('the server started before the H5 build is there', () => {
  // A failed expectation must not leave a server running.
  const started: ReturnType<typeof spawn>[] = []
  afterEach(() => {
    for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  })

  function serve(dir: string) {
    const h5 = path.join(dir, 'h5')
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
      cwd: root,
      env: { ...process.env, PORT: '0', DEMO: '1', START_AWAIT_H5: '1', DATA_DIR: dir, SQLITE_FILE: path.join(dir, 'start.sqlite'), DATABASE_URL: '', H5_DIR: h5, NODE_ENV: 'development' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    started.push(child)
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise<number | null>((r) => child.once('exit', r))
    const printed = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (out.includes(text) ? resolve() : undefined)
        child.stdout.on('data', check)
        check()
        void exited.then(() => reject(new Error(`server exited before printing ${text}: ${out}`)))
      })
    return { child, h5, out: () => out, exited, printed }
  }

  test('it seeds, waits for the line, then serves the build', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-await-h5-'))
    const s = serve(dir)
    await s.printed('演示数据：已生成')
    // Seeded and still waiting: no address while the build runs. (A server that did not wait would
    // have built its app by now, without the front end, and would not serve the page below.)
    await new Promise((r) => setTimeout(r, 3000))
    expect(s.out()).not.toContain('共治已启动')
    fs.mkdirSync(s.h5)
    fs.writeFileSync(path.join(s.h5, 'index.html'), '<!doctype html><title>共治 H5</title>')
    s.child.stdin.end('built\n')
    await s.printed('共治已启动')
    const url = s.out().match(/共治已启动 (http:\/\/127\.0\.0\.1:\d+)/)?.[1]
    const page = await fetch(`${url}/pages/notices/index`)
    expect(await page.text()).toContain('共治 H5')
    s.child.kill('SIGTERM')
    await s.exited
    fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  test('it ends without serving when its stdin closes first', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-await-h5-'))
    const s = serve(dir)
    await s.printed('演示数据：已生成')
    s.child.stdin.end()
    const code = await Promise.race([s.exited, new Promise((r) => setTimeout(() => r('still running'), 20_000))])
    expect(code).toBe(1)
    expect(s.out()).not.toContain('共治已启动')
    fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)
})
