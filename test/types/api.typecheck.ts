/**
 * A type test, run by `npm run typecheck` (never executed): the client's `request` and the test
 * fake are typed by the action map (src/contracts/api.ts). Each `@ts-expect-error` line must fail
 * to compile; if one ever compiles, tsc reports the directive as unused and the typecheck fails.
 */
import type { ActionInput, ActionOutput } from '../../src/contracts/api'
import { request } from '../../src/services/request'
import { mockApi } from '../client/api'

export async function typedRequests(): Promise<void> {
  // A right call: the answer has the contract's type.
  const tenancy = await request('acceptTenancy', { code: 'ABCD2345' })
  const label: string = tenancy.unitLabel
  const status: 'invited' | 'active' | 'revoked' = tenancy.status
  const me = await request('me')
  const firstRoles: readonly string[] | undefined = me.communities[0]?.roles
  const page = await request('listNotices', { communityId: 'c1', cursor: 'x' })
  const titles: string[] = page.items.map((n) => n.title)
  void [label, status, firstRoles, titles]

  // @ts-expect-error no action has this name
  await request('acceptTenant', { code: 'ABCD2345' })

  // @ts-expect-error a wrong input field: acceptTenancy takes `code`
  await request('acceptTenancy', { inviteCode: 'ABCD2345' })

  // @ts-expect-error a required input left out
  await request('unitTree')

  // @ts-expect-error an input field of the wrong type
  await request('pinNotice', { communityId: 'c1', noticeId: 'n1', pinned: 'yes' })

  // @ts-expect-error a wrong use of the output: acceptTenancy answers a Tenancy, which has no message
  const message: string = tenancy.message
  void message

  // @ts-expect-error a wrong use of the output: unitLabel is a string, not a number
  const n: number = (await request('inviteTenant', { communityId: 'c1', unitId: 'u1' })).unitLabel
  void n
}

export function typedFake(): void {
  // A right fake: it answers what the server answers.
  mockApi({
    pinNotice: (input) => ({ pinned: input.pinned }),
    unreadNoticeCount: () => ({ count: 2, capped: false }),
  })

  mockApi({
    // @ts-expect-error a fake answering a shape the server does not send
    unreadNoticeCount: () => ({ unread: 2 }),
  })

  mockApi({
    // @ts-expect-error a fake reading an input field the action does not take
    acceptTenancy: (input) => (input.inviteCode ? ({} as ActionOutput<'acceptTenancy'>) : ({} as ActionOutput<'acceptTenancy'>)),
  })

  // @ts-expect-error a fake of an action that does not exist
  mockApi({ acceptTenant: () => null })
}

// The input type is what the client sends: before the schema's transforms (trim, upper case) and defaults.
export const sent: ActionInput<'listNotices'> = { communityId: 'c1' }
