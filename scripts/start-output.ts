/**
 * What `npm start` (scripts/start.mjs) does with the H5 build's output: the build writes for a
 * terminal (webpack progress bars redrawn with ANSI codes, colours, spinner lines); the log file
 * gets plain text, and the person starting the app gets one line that counts the warnings.
 */

const ESC = String.fromCharCode(27)
const BEL = String.fromCharCode(7)
/** ANSI escape sequences: colours, cursor moves and line erasures (CSI …), OSC titles/links, and two-byte escapes. */
const ANSI = new RegExp(`${ESC}\\[[0-9;?]*[ -/]*[@-~]|${ESC}\\][^${BEL}${ESC}]*(?:${BEL}|${ESC}\\\\)|${ESC}[@-Z\\\\-_]`, 'g')

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '')
}

/** A frame of webpackbar's progress display starts with this line… */
const PROGRESS_START = /^\s*[●○◯✖✔]?\s*Webpack\b.*(?:\(\d+%\)|█)/
/** …and each ends with Taro's waiting spinner. */
const SPINNER = /即将开始启动编译|请稍等~\s*$/

/**
 * The build output as plain lines: ANSI codes removed, carriage-return redraws split, progress
 * frames and spinner lines dropped, runs of blank lines squeezed.
 */
export function cleanBuildOutput(raw: string): string {
  const lines = stripAnsi(raw).split(/\r\n|\r|\n/)
  const out: string[] = []
  let inProgress = false
  for (const line of lines) {
    if (inProgress) {
      if (SPINNER.test(line)) inProgress = false
      continue
    }
    if (PROGRESS_START.test(line)) {
      inProgress = true
      continue
    }
    if (SPINNER.test(line)) continue
    const trimmed = line.replace(/\s+$/, '')
    if (trimmed === '' && (out.length === 0 || out[out.length - 1] === '')) continue
    out.push(trimmed)
  }
  while (out.length && out[out.length - 1] === '') out.pop()
  return out.join('\n')
}

export interface BuildSummary {
  /** Each distinct warning once, as a short line, in the order first printed. */
  warnings: string[]
  /** The lines that say what went wrong, when the build failed. */
  errors: string[]
}

/** Warnings every H5 build prints today, said in a few words of Chinese. */
const KNOWN_WARNINGS: [RegExp, string][] = [
  [/^asset size limit\b/, '个别 JS 文件超过 webpack 建议的 244 KiB'],
  [/^entrypoint size limit\b/, '入口文件合计超过 webpack 建议的 244 KiB'],
  [/^\[hash\] is now \[fullhash\]/, 'webpack 弃用提示：[hash] 应写作 [fullhash]'],
]

/**
 * The warnings and errors of a cleaned build log, each once, as one short line: webpack's
 * "WARNING in …" and "ERROR in …" blocks (their first line) and Node's deprecation warnings.
 */
export function summariseBuild(cleaned: string): BuildSummary {
  const warnings = new Set<string>()
  const errors = new Set<string>()
  const short = (s: string) => {
    const known = KNOWN_WARNINGS.find(([re]) => re.test(s))
    if (known) return known[1]
    const head = s.split(/[:：(（]/)[0].trim() || s
    return head.length > 80 ? `${head.slice(0, 79)}…` : head
  }
  for (const raw of cleaned.split('\n')) {
    const line = raw.trim()
    let m: RegExpMatchArray | null
    if ((m = line.match(/^WARNING in\s+(.*)$/))) warnings.add(short(m[1]))
    else if ((m = line.match(/^\(node:\d+\)\s*(?:\[[^\]]+\]\s*)?DeprecationWarning:\s*(.*)$/))) warnings.add(short(m[1]))
    else if ((m = line.match(/^ERROR in\s+(.*)$/))) errors.add(m[1].slice(0, 160))
    else if (/^(?:Error:|SyntaxError:|TypeError:|✖)/.test(line)) errors.add(line.slice(0, 160))
  }
  return { warnings: [...warnings], errors: [...errors] }
}
