import type { MyBinding } from '../contracts/identity'
import type { Tenancy } from '../contracts/rosters'

/** Binding request statuses in plain words. */
export const BINDING_STATUS_LABELS: Record<MyBinding['status'], string> = {
  pending: '待审核',
  approved: '已通过',
  rejected: '未通过',
}

/** Tenancy statuses in plain words. */
export const TENANCY_STATUS_LABELS: Record<Tenancy['status'], string> = {
  invited: '等待租户接受',
  active: '已入住',
  revoked: '已撤销',
}

/** An invitation nobody accepted within INVITE_VALID_DAYS. */
export const INVITE_EXPIRED_LABEL = '已过期'
