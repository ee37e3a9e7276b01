import { AppError } from './errors'

/**
 * A stateful entity's life as a table: its states, and for each event the states it may happen
 * in and the state it leads to. Every status change of the entity goes through applyTransition,
 * so an illegal one (closing a vote that never opened, paying a bill twice) is refused in one
 * place, with one kind of error a person can read. Votes use it today; bills, reports and
 * complaints declare theirs the same way in `<domain>.lifecycle.ts`.
 */

export interface Transition<S extends string> {
  /** The states the event may happen in. */
  from: readonly S[]
  /** The state it leads to. */
  to: S
  /** What the event does, as a person would say it ("开始投票"), for the refusal message. */
  label: string
  /**
   * What to tell a person who tries it in a state it cannot happen in, by state, when there is
   * something more useful to say than the refusal itself ("请先发布表决公告").
   */
  hints?: Partial<Record<S, string>>
}

export interface LifecycleDef<S extends string, E extends string> {
  /** The entity as a sentence names it: "这次表决". */
  entity: string
  states: readonly S[]
  /** Each state as a person reads it: "已公告". */
  stateLabels: Record<S, string>
  transitions: Record<E, Transition<S>>
}

export type Lifecycle<S extends string, E extends string> = Readonly<LifecycleDef<S, E>>

/**
 * Declares a lifecycle, checking the table itself: every state named in a transition is one of
 * the states, and every state has a label. A mistake here is a programming error, thrown at load.
 */
export function defineLifecycle<const S extends string, const E extends string>(def: LifecycleDef<S, E>): Lifecycle<S, E> {
  const known = new Set<string>(def.states)
  if (known.size !== def.states.length) throw new Error(`lifecycle of ${def.entity}: a state is listed twice`)
  for (const s of def.states) if (!def.stateLabels[s]) throw new Error(`lifecycle of ${def.entity}: state ${s} has no label`)
  for (const [event, t] of Object.entries<Transition<S>>(def.transitions)) {
    if (t.from.length === 0) throw new Error(`lifecycle of ${def.entity}: ${event} can happen in no state`)
    for (const s of [...t.from, t.to, ...Object.keys(t.hints ?? {})]) {
      if (!known.has(s)) throw new Error(`lifecycle of ${def.entity}: ${event} names unknown state ${s}`)
    }
  }
  return Object.freeze({ ...def })
}

/** Whether the event may happen in this state. */
export function canTransition<S extends string, E extends string>(lc: Lifecycle<S, E>, state: S, event: E): boolean {
  return lc.transitions[event].from.includes(state)
}

/** The Chinese refusal for an event in a state it cannot happen in: names the state and the action. */
export function refusalMessage<S extends string, E extends string>(lc: Lifecycle<S, E>, state: S, event: E): string {
  const t = lc.transitions[event]
  const label = lc.stateLabels[state] ?? state
  const hint = t.hints?.[state]
  return `${lc.entity}当前为「${label}」，不能${t.label}${hint ? `：${hint}` : ''}`
}

/**
 * The state the event leads to from this state, or AppError('Conflict') naming the current state
 * and the attempted action when the table does not allow it.
 */
export function applyTransition<S extends string, E extends string>(lc: Lifecycle<S, E>, state: S, event: E): S {
  if (!(lc.states as readonly string[]).includes(state)) throw new Error(`lifecycle of ${lc.entity}: unknown state ${state}`)
  if (!canTransition(lc, state, event)) throw new AppError('Conflict', refusalMessage(lc, state, event))
  return lc.transitions[event].to
}

/** The events that may happen in a state (what a page may offer). */
export function eventsFrom<S extends string, E extends string>(lc: Lifecycle<S, E>, state: S): E[] {
  return (Object.keys(lc.transitions) as E[]).filter((e) => canTransition(lc, state, e))
}
