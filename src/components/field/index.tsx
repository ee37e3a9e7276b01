import { Input, Picker, Text, Textarea, View } from '@tarojs/components'
import type { ComponentProps, ReactNode } from 'react'
import './index.scss'

export interface FieldProps {
  label: ReactNode
  /** What to type or choose, in a line below. */
  hint?: ReactNode
  /** This field's problem, shown under it in red until it is edited. */
  error?: string | null
  className?: string
  children?: ReactNode
}

/** One form field: its label, the control, a hint and its own error. */
export function Field({ label, hint, error, className, children }: FieldProps) {
  return (
    <View className={`field ${error ? 'field--error' : ''} ${className ?? ''}`}>
      <Text className='field-label'>{label}</Text>
      {children}
      {error ? <Text className='field-error'>{error}</Text> : null}
      {hint ? <Text className='field-hint'>{hint}</Text> : null}
    </View>
  )
}

type InputProps = ComponentProps<typeof Input>

export interface TextFieldProps extends Omit<FieldProps, 'children' | 'hint'> {
  hint?: string
  value: string
  onChange: (value: string) => void
  placeholder?: string
  maxlength?: number
  type?: InputProps['type']
  /** Shows "12 / 60 字" under the box (with maxlength). */
  counter?: boolean
  /** A box for paragraphs instead of one line. */
  multiline?: boolean
  /** The box's own class (its height, say). */
  inputClassName?: string
  onConfirm?: () => void
}

/** A labelled text box (one line, or paragraphs with `multiline`). */
export function TextField({ value, onChange, placeholder, maxlength, type, counter, multiline, inputClassName, onConfirm, hint, ...field }: TextFieldProps) {
  const count = counter && maxlength ? `${value.length} / ${maxlength} 字` : null
  return (
    <Field {...field} hint={count && hint ? `${count} · ${hint}` : (count ?? hint)}>
      {multiline ? (
        <Textarea className={`gz-textarea ${inputClassName ?? ''}`} value={value} maxlength={maxlength} placeholder={placeholder} onInput={(e) => onChange(e.detail.value)} />
      ) : (
        <Input
          className={`gz-input ${inputClassName ?? ''}`}
          value={value}
          maxlength={maxlength}
          placeholder={placeholder}
          type={type}
          onInput={(e) => onChange(e.detail.value)}
          onConfirm={onConfirm ? () => onConfirm() : undefined}
        />
      )}
    </Field>
  )
}

/**
 * A date (and, when `time` is given, a time) in Beijing time with the platform's own pickers: the
 * WeChat picker in the mini-program, a wheel in the browser. Values are "2026-12-01" and "08:00".
 */
export function DateTimePicker({
  date,
  time,
  start,
  onChange,
  dateText,
  className,
}: {
  date: string
  time?: string
  /** The earliest day that can be chosen. */
  start?: string
  onChange: (date: string, time: string | undefined) => void
  /** The words in the date box (default "日期：2026-12-01"). */
  dateText?: ReactNode
  className?: string
}) {
  return (
    <View className={`datetime ${className ?? ''}`}>
      <Picker mode='date' value={date} start={start} onChange={(e) => onChange(String(e.detail.value), time)}>
        <View className='gz-input datetime__box'>{dateText ?? `日期：${date}`}</View>
      </Picker>
      {time !== undefined ? (
        <Picker mode='time' value={time} onChange={(e) => onChange(date, String(e.detail.value))}>
          <View className='gz-input datetime__box'>时间：{time}（北京时间）</View>
        </Picker>
      ) : null}
    </View>
  )
}
