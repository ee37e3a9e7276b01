import * as v from 'valibot'
import type { Role } from './common'
import type { Governance } from './roles'

export const LoginInput = v.object({ code: v.pipe(v.string('需要微信登录凭证'), v.minLength(1, '微信登录凭证为空'), v.maxLength(128, '微信登录凭证无效')) })
export const DemoLoginInput = v.object({ persona: v.pipe(v.string('请选择演示身份'), v.minLength(1, '请选择演示身份'), v.maxLength(64, '没有这个演示身份')) })
export const EmptyInput = v.optional(v.object({}), {})

export interface SessionInfo {
  token: string
  expiresAt: string
}

export interface Persona {
  key: string
  label: string
  description: string
  /** Demo only: what a visitor can try as this persona (the phone to type when binding, say). */
  tries?: string[]
}

export interface MyUnit {
  unitId: string
  communityId: string
  label: string
  areaCentiM2: number
  relation: 'owner' | 'tenant'
}

export interface MyBinding {
  id: string
  communityId: string
  communityName: string
  /** Who runs the 小区, so the request says who reviews it (see governingBody). */
  governance: Governance
  unitLabel: string
  status: 'approved' | 'pending' | 'rejected'
  reason: string | null
  createdAt: string
}

export interface Me {
  userId: string
  nickname: string
  /** isOld: a 老旧小区 (built before 2005), see isOldCommunity; governance: who runs it, see governingBody. */
  communities: { id: string; name: string; isOld: boolean; governance: Governance; roles: Role[] }[]
  units: MyUnit[]
  bindings: MyBinding[]
}
