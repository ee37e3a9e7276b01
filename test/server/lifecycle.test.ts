import { AppError } from '../../server/errors'
import { applyTransition, canTransition, defineLifecycle, eventsFrom, refusalMessage } from '../../server/lifecycle'
import { VOTE_LIFECYCLE, VOTE_STATUSES, nextVoteStatus, type VoteEvent } from '../../server/votes/vote.lifecycle'
import { VOTE_STATUS_LABELS } from '../../src/contracts/votes'

/** What applyTransition threw, or null when it answered a state. */
function refusal(fn: () => unknown): AppError | null {
  try {
    fn()
    return null
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
}

describe('a lifecycle table (server/lifecycle.ts)', () => {
  const bill = defineLifecycle({
    entity: '这张账单',
    states: ['draft', 'issued', 'paid', 'void'],
    stateLabels: { draft: '草稿', issued: '已开具', paid: '已缴清', void: '已作废' },
    transitions: {
      issue: { from: ['draft'], to: 'issued', label: '开具' },
      pay: { from: ['issued'], to: 'paid', label: '登记缴费', hints: { draft: '请先开具账单' } },
      void: { from: ['draft', 'issued'], to: 'void', label: '作废' },
    },
  })

  test('a legal event answers the state it leads to', () => {
    expect(applyTransition(bill, 'draft', 'issue')).toBe('issued')
    expect(applyTransition(bill, 'issued', 'pay')).toBe('paid')
    expect(applyTransition(bill, 'draft', 'void')).toBe('void')
    expect(applyTransition(bill, 'issued', 'void')).toBe('void')
  })

  test('an illegal event is refused with Conflict, naming the current state and the attempted action in Chinese', () => {
    const e = refusal(() => applyTransition(bill, 'paid', 'void'))
    expect(e).toBeInstanceOf(AppError)
    expect(e!.code).toBe('Conflict')
    expect(e!.message).toBe('这张账单当前为「已缴清」，不能作废')
    // A hint, where the table gives one, says what to do instead.
    expect(refusal(() => applyTransition(bill, 'draft', 'pay'))!.message).toBe('这张账单当前为「草稿」，不能登记缴费：请先开具账单')
    expect(refusal(() => applyTransition(bill, 'paid', 'pay'))!.message).toBe('这张账单当前为「已缴清」，不能登记缴费')
  })

  test('what may happen in each state', () => {
    expect(eventsFrom(bill, 'draft')).toEqual(['issue', 'void'])
    expect(eventsFrom(bill, 'issued')).toEqual(['pay', 'void'])
    expect(eventsFrom(bill, 'paid')).toEqual([])
    expect(canTransition(bill, 'void', 'issue')).toBe(false)
  })

  test('a state the table does not know is a programming error, not a refusal a person reads', () => {
    let thrown: unknown
    try {
      applyTransition(bill, 'lost' as any, 'pay')
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(Error)
    expect(thrown).not.toBeInstanceOf(AppError)
    expect((thrown as Error).message).toMatch(/unknown state lost/)
  })

  test('a table that names an unknown state, lists a state twice, leaves one unlabelled or has an event possible nowhere is refused when declared', () => {
    const base = { entity: 'x', states: ['a', 'b'] as const, stateLabels: { a: 'A', b: 'B' } }
    expect(() => defineLifecycle({ ...base, transitions: { go: { from: ['a'], to: 'c' as 'b', label: '去' } } })).toThrow(/unknown state c/)
    expect(() => defineLifecycle({ ...base, transitions: { go: { from: ['z' as 'a'], to: 'b', label: '去' } } })).toThrow(/unknown state z/)
    expect(() => defineLifecycle({ ...base, transitions: { go: { from: ['a'], to: 'b', label: '去', hints: { q: '…' } as any } } })).toThrow(/unknown state q/)
    expect(() => defineLifecycle({ ...base, states: ['a', 'b', 'a'] as any, transitions: { go: { from: ['a'], to: 'b', label: '去' } } })).toThrow(/twice/)
    expect(() => defineLifecycle({ ...base, stateLabels: { a: 'A' } as any, transitions: { go: { from: ['a'], to: 'b', label: '去' } } })).toThrow(/state b has no label/)
    expect(() => defineLifecycle({ ...base, transitions: { go: { from: [], to: 'b', label: '去' } } })).toThrow(/no state/)
  })
})

describe('the vote lifecycle (server/votes/vote.lifecycle.ts)', () => {
  const events = Object.keys(VOTE_LIFECYCLE.transitions) as VoteEvent[]

  test('draft (edited, deleted) → announced (corrected, or cancelled) → open → closed, or through counting when paper is taken, and nothing else', () => {
    const legal: [string, VoteEvent, string][] = [
      ['draft', 'edit', 'draft'],
      ['draft', 'remove', 'draft'],
      ['draft', 'announce', 'announced'],
      ['announced', 'correct', 'announced'],
      ['announced', 'cancel', 'cancelled'],
      ['announced', 'open', 'open'],
      ['open', 'close', 'closed'],
      ['open', 'count', 'counting'],
      ['counting', 'finishCounting', 'closed'],
    ]
    for (const state of VOTE_STATUSES) {
      for (const event of events) {
        const expected = legal.find(([s, e]) => s === state && e === event)
        if (expected) {
          expect(nextVoteStatus(state, event)).toBe(expected[2])
        } else {
          const e = refusal(() => nextVoteStatus(state, event))
          expect(e).not.toBeNull()
          expect(e!.code).toBe('Conflict')
          // Names the state as a person reads it and the action they tried.
          expect(e!.message).toContain(`「${VOTE_STATUS_LABELS[state]}」`)
          expect(e!.message).toContain(`不能${VOTE_LIFECYCLE.transitions[event].label}`)
          expect(e!.message).not.toMatch(/[a-z]{3,}/)
        }
      }
    }
  })

  test('a closed vote is final, and so is a cancelled one: no event leads anywhere from them', () => {
    expect(eventsFrom(VOTE_LIFECYCLE, 'closed')).toEqual([])
    expect(eventsFrom(VOTE_LIFECYCLE, 'cancelled')).toEqual([])
  })

  test('refusals that have something better to say say it', () => {
    expect(refusalMessage(VOTE_LIFECYCLE, 'draft', 'open')).toBe('这次表决当前为「草稿」，不能开始投票：请先发布表决公告')
    expect(refusalMessage(VOTE_LIFECYCLE, 'announced', 'close')).toBe('这次表决当前为「已公告」，不能结束投票：表决尚未开始')
    expect(refusalMessage(VOTE_LIFECYCLE, 'closed', 'announce')).toBe('这次表决当前为「已结束」，不能发布表决公告')
    expect(refusalMessage(VOTE_LIFECYCLE, 'closed', 'open')).toBe('这次表决当前为「已结束」，不能开始投票')
  })
})
