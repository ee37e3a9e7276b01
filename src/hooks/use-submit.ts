import { useEffect, useRef, useState } from 'react'
import { messageOf } from '../services/errors'
import { confirmAction, toastSuccess } from '../utils/ui'

export interface SubmitOptions {
  /** Asked first (irreversible acts); nothing runs when the person cancels. */
  confirm?: Parameters<typeof confirmAction>[0]
  /** A short success toast ("已发布"). */
  success?: string
}

export interface Submit {
  /** Something is being sent: disable the buttons, show the spinner. */
  busy: boolean
  /** The last failure in plain Chinese, shown beside the button until the next try or an edit. */
  error: string | null
  /** The field the error is about, when it is about one (see `errorOf`). */
  field: string | null
  /**
   * Runs an action: asks first when `confirm` is given, sets busy, clears the old error, toasts
   * `success` when it worked, and keeps the Chinese message of a failure. Resolves with the
   * action's result, or undefined when it was cancelled, failed or another run was under way.
   */
  run: <T>(action: () => Promise<T>, opts?: SubmitOptions) => Promise<T | undefined>
  /** Shows a problem found before sending (a missing title), optionally tied to a field. */
  fail: (message: string, field?: string) => void
  /** The error when it is about this field, for <Field error={…}>. */
  errorOf: (field: string) => string | null
  clear: () => void
}

/**
 * The state of a form's send button. `watch` lists the form's values: when any of them changes
 * the error goes, because the person is fixing it.
 */
export function useSubmit(watch: readonly unknown[] = []): Submit {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<{ message: string; field: string | null } | null>(null)
  const running = useRef(false)
  const first = useRef(true)

  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    setProblem(null)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's `watch` list is the dependency list: a shown error clears when one of those fields changes
  }, watch)

  async function run<T>(action: () => Promise<T>, opts: SubmitOptions = {}): Promise<T | undefined> {
    if (running.current) return undefined
    if (opts.confirm && !(await confirmAction(opts.confirm))) return undefined
    running.current = true
    setBusy(true)
    setProblem(null)
    try {
      const out = await action()
      if (opts.success) toastSuccess(opts.success)
      return out
    } catch (err) {
      setProblem({ message: messageOf(err), field: null })
      return undefined
    } finally {
      running.current = false
      setBusy(false)
    }
  }

  return {
    busy,
    error: problem?.message ?? null,
    field: problem?.field ?? null,
    run,
    fail: (message, field) => setProblem({ message, field: field ?? null }),
    errorOf: (field) => (problem?.field === field ? problem.message : null),
    clear: () => setProblem(null),
  }
}
