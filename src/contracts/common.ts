import * as v from 'valibot'

/** Ids are made by the app (UUID text), so they look the same on SQLite and PostgreSQL. */
export const Id = v.pipe(v.string('需要编号'), v.minLength(1, '编号不能为空'), v.maxLength(64, '编号过长'))

/** Roles a person can hold; each is scoped to a 小区 or to an office. */
export const ROLES = [
  'owner',
  'tenant',
  'committee_member',
  'committee_chair',
  'property_staff',
  'community_officer',
  'street_officer',
  'district_officer',
] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  owner: '业主',
  tenant: '租户',
  committee_member: '业委会委员',
  committee_chair: '业委会主任',
  property_staff: '物业人员',
  community_officer: '社区工作人员',
  street_officer: '街道工作人员',
  district_officer: '区级工作人员',
}

/** Roles that run a 小区: publish, import rosters, approve bindings, run votes. */
export const MANAGING_ROLES: Role[] = ['committee_member', 'committee_chair', 'community_officer', 'street_officer', 'district_officer']

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
