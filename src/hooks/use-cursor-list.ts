import { useRef, useState } from 'react'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { messageOf } from '../services/errors'
import { codeOf } from './use-async'

/** One page of a list; the cursor is opaque and null after the last page. */
export interface CursorPage<T> {
  items: T[]
  nextCursor: string | null
}

export interface CursorListOptions<P> {
  /** False while there is nothing to ask for yet (no 小区 chosen): the first page is then not loaded. */
  enabled?: boolean
  /** Keep showing the list while the first page reloads (pull-down, new filter) instead of the loading state. */
  keepShown?: boolean
  /** The first page arrived (for what comes only with it, such as the pinned notices). */
  onFirstPage?: (page: P) => void
  /** A first-page load ended, answered or failed, and no newer one overtook it. */
  onFirstSettled?: () => void
}

/**
 * A list paged by cursor, for a page of the mini-program: `loadFirst` (also on pull-down) shows the
 * first page, reaching the bottom appends the next. A load overtaken by a newer `loadFirst` (the
 * filters changed meanwhile) is dropped. `fetchPage(cursor)` asks for the page after `cursor`, the
 * first one when null. Registers the page's pull-down and reach-bottom handlers: one per page.
 */
export function useCursorList<T extends { id: string }, P extends CursorPage<T> = CursorPage<T>>(
  fetchPage: (cursor: string | null) => Promise<P>,
  opts: CursorListOptions<P> = {},
) {
  const [items, setItems] = useState<T[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [state, setState] = useState<'loading' | 'ready' | 'error' | 'more'>('loading')
  const [error, setError] = useState<string | null>(null)
  const [code, setCode] = useState<string | null>(null)
  const seq = useRef(0)

  async function loadFirst() {
    if (opts.enabled === false) return
    const mine = ++seq.current
    setState((s) => (opts.keepShown && s === 'ready' ? 'ready' : 'loading'))
    setError(null)
    setCode(null)
    try {
      const page = await fetchPage(null)
      if (mine !== seq.current) return
      opts.onFirstPage?.(page)
      setItems(page.items)
      setCursor(page.nextCursor)
      setState('ready')
    } catch (err) {
      if (mine !== seq.current) return
      setError(messageOf(err))
      setCode(codeOf(err))
      setState('error')
    }
    opts.onFirstSettled?.()
  }

  async function loadMore() {
    if (!cursor || state !== 'ready') return
    const mine = seq.current
    setState('more')
    try {
      const page = await fetchPage(cursor)
      if (mine !== seq.current) return
      // The cursor never repeats an item; the filter only guards against a double tap.
      setItems((prev) => [...prev, ...page.items.filter((n) => !prev.some((p) => p.id === n.id))])
      setCursor(page.nextCursor)
    } catch (err) {
      void Taro.showToast({ title: messageOf(err), icon: 'none' })
    } finally {
      if (mine === seq.current) setState('ready')
    }
  }

  usePullDownRefresh(() => {
    void loadFirst().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => {
    void loadMore()
  })

  return { items, setItems, cursor, state, error, code, loadFirst, loadMore }
}
