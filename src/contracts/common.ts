import * as v from 'valibot'

/** Ids are made by the app (UUID text), so they look the same on SQLite and PostgreSQL. */
export const Id = v.pipe(v.string('需要编号'), v.minLength(1, '编号不能为空'), v.maxLength(64, '编号过长'))

/** Roles and role sets live in ./roles; re-exported for existing imports. */
export { ROLES, ROLE_LABELS, MANAGING_ROLES, type Role } from './roles'

export const Phone = v.pipe(
  v.string('需要手机号'),
  v.transform((s) => s.replace(/[\s-]/g, '')),
  v.regex(/^1\d{10}$/, '手机号应为 11 位数字'),
)

export const IdLast4 = v.pipe(
  v.string('需要身份证后四位'),
  v.transform((s) => s.trim().toUpperCase()),
  v.regex(/^\d{3}[\dX]$/, '身份证后四位应为 4 位数字（最后一位可以是 X）'),
)
