import type * as v from 'valibot'

/** '("pending" | "approved")' → 'pending、approved': the values a picklist takes, as a person reads them. */
function optionsOf(expected: string | null): string {
  if (!expected) return ''
  return expected
    .replace(/^\(|\)$/g, '')
    .split(' | ')
    .map((o) => o.replace(/^"|"$/g, ''))
    .join('、')
}

const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  bigint: '整数',
  boolean: 'true 或 false',
  object: '一组字段（对象）',
  strict_object: '一组字段（对象）',
  loose_object: '一组字段（对象）',
  array: '列表',
  date: '日期',
}

/**
 * A Chinese message for a valibot issue whose schema gave none, so nothing a person sees is in
 * valibot's English ("Invalid type: Expected string but received 5"). Schemas with their own
 * message keep it; this is only the fallback (`safeParse(schema, input, { message: zhIssueMessage })`).
 */
export function zhIssueMessage(issue: v.BaseIssue<unknown>): string {
  const req = issue.requirement as unknown
  const isText = typeof issue.input === 'string'
  if (issue.kind === 'schema') {
    if (issue.input === undefined) return '必须填写'
    if (issue.type === 'picklist' || issue.type === 'enum' || issue.type === 'literal') return `只能是：${optionsOf(issue.expected)}`
    const name = TYPE_NAMES[issue.type]
    return name ? `应为${name}` : '格式不正确'
  }
  switch (issue.type) {
    case 'min_length':
    case 'non_empty':
      if (issue.type === 'non_empty' || req === 1) return '不能为空'
      return isText ? `不能少于 ${req} 个字` : `至少要有 ${req} 项`
    case 'max_length':
      return isText ? `不能超过 ${req} 个字` : `最多 ${req} 项`
    case 'length':
      return isText ? `应为 ${req} 个字` : `应为 ${req} 项`
    case 'min_value':
      return `不能小于 ${req instanceof Date ? req.toISOString() : String(req)}`
    case 'max_value':
      return `不能大于 ${req instanceof Date ? req.toISOString() : String(req)}`
    case 'integer':
    case 'safe_integer':
      return '应为整数'
    case 'finite':
      return '应为有效的数字'
    case 'min_size':
    case 'max_size':
      return '大小超出范围'
    default:
      return '格式不正确'
  }
}
