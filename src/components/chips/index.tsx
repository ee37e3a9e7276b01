import { View } from '@tarojs/components'
import type { ReactNode } from 'react'

export interface ChipOption<T> {
  value: T
  label: ReactNode
}

type One<T> = { multiple?: false; value: T | null; onChange: (value: T) => void }
type Many<T> = { multiple: true; value: readonly T[]; onChange: (value: T[]) => void }

interface ChipsBase<T> {
  /** Options as { value, label }, or plain strings shown as they are. */
  options: readonly (ChipOption<T> | (T & string))[]
  className?: string
  /** Extra class of every chip (a wider chip for long labels). */
  chipClassName?: string
  /** Shown but not changeable (a kind that an edit keeps). */
  disabled?: boolean
}

export type ChipsProps<T> = ChipsBase<T> & (One<T> | Many<T>)

function asOption<T>(o: ChipOption<T> | (T & string)): ChipOption<T> {
  return typeof o === 'string' ? { value: o as T, label: o } : o
}

/**
 * Big choice buttons in a row that wraps: one choice (a status, a building, 同意/反对/弃权), or
 * several with `multiple` (the buildings a vote covers). The chosen ones are filled.
 */
export function Chips<T>(props: ChipsBase<T> & Many<T>): JSX.Element
export function Chips<T>(props: ChipsBase<T> & One<T>): JSX.Element
export function Chips<T>(props: ChipsProps<T>): JSX.Element {
  const { options, className, chipClassName, disabled } = props
  const chosen = (v: T) => (props.multiple ? props.value.includes(v) : props.value === v)
  function pick(v: T) {
    if (disabled) return
    if (props.multiple) props.onChange(props.value.includes(v) ? props.value.filter((x) => x !== v) : [...props.value, v])
    else props.onChange(v)
  }
  return (
    <View className={`chips ${className ?? ''}`}>
      {options.map(asOption).map((o) => (
        <View key={String(o.value)} className={`chip ${chipClassName ?? ''} ${chosen(o.value) ? 'chip--active' : ''}`} onClick={() => pick(o.value)}>
          {o.label}
        </View>
      ))}
    </View>
  )
}
