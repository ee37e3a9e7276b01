import { useCallback, useEffect, useRef, useState } from 'react'
import { isApiError, messageOf } from '../services/errors'

/** The code of a thrown ApiError (Forbidden, NotFound, Network…), null for anything else. */
export function codeOf(err: unknown): string | null {
  return isApiError(err) ? err.code : null
}

export interface AsyncState<T> {
  status: 'loading' | 'ready' | 'error'
  data: T | undefined
  error: string | null
  /** The error's code (Forbidden, NotFound…), so the page can offer a way out that 重试 is not. */
  code: string | null
  /** Runs the loader again; keeps showing the old data while it runs, unless `fresh` (new filters: show loading). */
  reload: (opts?: { fresh?: boolean }) => Promise<T | undefined>
}

/**
 * Runs an async loader and tracks loading / data / error, with Chinese error messages.
 * Runs once on mount unless `auto` is false; call `reload` from useDidShow or pull-to-refresh.
 * A load overtaken by a newer one is dropped.
 */
export function useAsync<T>(loader: () => Promise<T>, opts: { auto?: boolean } = {}): AsyncState<T> {
  const [state, setState] = useState<Omit<AsyncState<T>, 'reload'>>({ status: 'loading', data: undefined, error: null, code: null })
  const latest = useRef(loader)
  latest.current = loader
  const mounted = useRef(true)
  const seq = useRef(0)
  /** Read on mount only: whether to load at once. */
  const auto = useRef(opts.auto !== false)

  const reload = useCallback(async (o?: { fresh?: boolean }) => {
    const mine = ++seq.current
    setState((s) => (o?.fresh ? { status: 'loading', data: undefined, error: null, code: null } : { ...s, status: s.data === undefined ? 'loading' : s.status, error: null, code: null }))
    try {
      const data = await latest.current()
      if (mounted.current && mine === seq.current) setState({ status: 'ready', data, error: null, code: null })
      return data
    } catch (err) {
      if (mounted.current && mine === seq.current) setState((s) => ({ status: 'error', data: s.data, error: messageOf(err), code: codeOf(err) }))
      return undefined
    }
  }, [])

  useEffect(() => {
    mounted.current = true
    if (auto.current) void reload()
    return () => {
      mounted.current = false
    }
  }, [reload])

  return { ...state, reload }
}
