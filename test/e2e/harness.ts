import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { Client } from 'pg'

const root = path.resolve(__dirname, '../..')

export interface RunningServer {
  url: string
  dataDir: string
  stop(): Promise<void>
}

/** Starts the real server (demo mode, a fresh SQLite file, a free port) as `npm start` would, and waits for its address. */
export async function startServer(extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningServer> {
  // H5_DIR (also read by the server) points at another H5 build, e.g. one made with OUTPUT_ROOT.
  const h5Dir = path.resolve(root, process.env.H5_DIR ?? 'dist-h5')
  if (!fs.existsSync(path.join(h5Dir, 'index.html'))) throw new Error(`${h5Dir} is missing: run \`npm run build:h5\` first`)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-e2e-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, H5_DIR: h5Dir, DEMO: '1', PORT: '0', DATA_DIR: dataDir, SQLITE_FILE: path.join(dataDir, 'e2e.sqlite'), DATABASE_URL: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const m = output.match(/共治已启动 (http:\/\/\S+)/)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)))
  })
  return {
    url,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

/** A phone-sized page, as residents use it. */
export async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  return context.newPage()
}

/** The page Taro shows now (earlier pages of the stack stay in the DOM, hidden). */
export const current = (page: Page, cls: string) => page.locator(`.${cls}:visible`).last()

/** Logs in as a demo persona from the login page and waits for the 公告 tab. */
export async function loginAs(page: Page, url: string, persona: string): Promise<void> {
  await page.goto(url)
  await page.getByText(persona).click()
  await page.locator('.notices').first().waitFor()
}

/** Calls an action from inside the page with the page's own session, as the app would. */
export async function api(page: Page, action: string, input: object): Promise<any> {
  return page.evaluate(
    async ([a, i]) => {
      const raw = localStorage.getItem('gongzhi.session') ?? ''
      let token = raw
      try {
        token = JSON.parse(raw).data ?? raw
      } catch {
        // stored plainly
      }
      const res = await fetch(`/api/${a}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(i) })
      return res.json()
    },
    [action, input] as const,
  )
}

/** SQLite always; PostgreSQL too when DATABASE_URL is set (the server then runs in a scratch schema). */
export const E2E_DIALECTS: ('sqlite' | 'postgres')[] = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']

/**
 * The server and the browser of an end-to-end describe block: beforeAll starts the real server
 * (with `env`, read when the block starts; on PostgreSQL in a scratch schema of DATABASE_URL's
 * database, dropped afterwards) and Chromium, afterAll closes both. The object answered is filled
 * in by beforeAll: read `e2e.server` and `e2e.browser` in hooks and tests.
 */
export function useE2eServer(env: () => NodeJS.ProcessEnv = () => ({}), dialect: 'sqlite' | 'postgres' = 'sqlite'): { server: RunningServer; browser: Browser } {
  const e2e = {} as { server: RunningServer; browser: Browser }
  let dropSchema: (() => Promise<void>) | null = null
  beforeAll(async () => {
    let db: NodeJS.ProcessEnv = {}
    if (dialect === 'postgres') {
      const url = process.env.DATABASE_URL!
      const schema = `e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`
      const sql = async (q: string) => {
        const c = new Client({ connectionString: url })
        await c.connect()
        await c.query(q)
        await c.end()
      }
      await sql(`CREATE SCHEMA ${schema}`)
      dropSchema = () => sql(`DROP SCHEMA ${schema} CASCADE`)
      const u = new URL(url)
      u.searchParams.set('options', `-c search_path=${schema}`)
      db = { DATABASE_URL: u.toString() }
    }
    e2e.server = await startServer({ ...db, ...env() })
    e2e.browser = await launchBrowser()
  })
  afterAll(async () => {
    await e2e.browser?.close()
    await e2e.server?.stop()
    await dropSchema?.()
  })
  return e2e
}
