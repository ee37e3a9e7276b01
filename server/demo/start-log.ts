import { beijingDate, beijingParts } from '../../src/contracts/time'
import { DEMO_PERSONAS } from './personas'

/**
 * The start-up log as a person reads it (`npm start`): one line per step, stamped with the
 * Beijing time, with how long the step took; no colours or progress bars, so it reads the same
 * in a terminal, a file or a CI log.
 */

const two = (n: number) => String(n).padStart(2, '0')

/** "10:02:03": the Beijing wall clock to the second. */
export function beijingStamp(at: Date | number = Date.now()): string {
  const p = beijingParts(at)
  return `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`
}

/** "2026-12-01": today's Beijing date, for the first line of the log. */
export const beijingToday = (at: Date | number = Date.now()): string => beijingDate(at)

/** "1.2 秒" / "25 秒" / "1 分 5 秒". */
export function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} 秒`
  const s = Math.round(ms / 1000)
  return s < 60 ? `${s} 秒` : `${Math.floor(s / 60)} 分 ${s % 60} 秒`
}

/** One step's line: "[10:02:03] 数据库：已就绪，用时 0.4 秒". */
export function stepLine(step: string, outcome: string, ms?: number, at: Date | number = Date.now()): string {
  return `[${beijingStamp(at)}] ${step}：${outcome}${ms === undefined ? '' : `，用时 ${duration(ms)}`}`
}

/** Runs one step and prints its line when it is done; the step's own text may depend on its result. */
export async function step<T>(name: string, run: () => Promise<T>, outcome: (result: T) => string, print: (line: string) => void = console.log): Promise<T> {
  const started = Date.now()
  const result = await run()
  print(stepLine(name, outcome(result), Date.now() - started))
  return result
}

/** The demo personas, each with what to try as them, for the end of the start-up log. */
export function personaLines(url: string): string[] {
  const lines = [``, `在浏览器打开 ${url} ，选择一个演示身份登录：`]
  for (const p of DEMO_PERSONAS) {
    lines.push(`  · ${p.label}：${p.description}`)
    for (const t of p.tries) lines.push(`      可以试：${t}`)
  }
  return lines
}
