/**
 * Control characters other than newline and tab are refused in every string of every action's
 * input, before its contract is read: PostgreSQL cannot store NUL in text, and nothing a person
 * types needs the others. One check for all contracts, so a new field cannot forget it.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/

/** The path of the first string holding a control character (also in object keys), or null. */
export function controlCharPath(value: unknown, path: (string | number)[] = [], depth = 0): (string | number)[] | null {
  if (depth > 32) return null
  if (typeof value === 'string') return CONTROL.test(value) ? path : null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = controlCharPath(value[i], [...path, i], depth + 1)
      if (hit) return hit
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (CONTROL.test(k)) return [...path, k]
      const hit = controlCharPath(v, [...path, k], depth + 1)
      if (hit) return hit
    }
  }
  return null
}
