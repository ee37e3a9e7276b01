/**
 * @tarojs/components as plain DOM elements, keeping the props the app uses: onClick, className,
 * disabled, and Taro's input events (`e.detail.value`).
 */
import type { ReactNode } from 'react'

type Common = { className?: string; children?: ReactNode; onClick?: (e: unknown) => void; hoverClass?: string; userSelect?: boolean; style?: object }

export function View({ className, children, onClick }: Common) {
  return (
    <div className={className} onClick={onClick}>
      {children}
    </div>
  )
}

export function Text({ className, children, onClick }: Common) {
  return (
    <span className={className} onClick={onClick}>
      {children}
    </span>
  )
}

export function Button({ className, children, onClick, disabled, loading }: Common & { disabled?: boolean; loading?: boolean }) {
  return (
    <button className={className} disabled={disabled} data-loading={loading ? 'true' : undefined} onClick={onClick}>
      {children}
    </button>
  )
}

type InputProps = {
  className?: string
  value?: string
  placeholder?: string
  type?: string
  maxlength?: number
  onInput?: (e: { detail: { value: string } }) => void
  onConfirm?: (e: { detail: { value: string } }) => void
  confirmType?: string
}

export function Input({ className, value, placeholder, maxlength, onInput, onConfirm }: InputProps) {
  return (
    <input
      className={className}
      value={value}
      placeholder={placeholder}
      maxLength={maxlength}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onConfirm?.({ detail: { value: (e.target as HTMLInputElement).value } })
      }}
    />
  )
}

export function Textarea({ className, value, placeholder, maxlength, onInput }: InputProps) {
  return (
    <textarea
      className={className}
      value={value}
      placeholder={placeholder}
      maxLength={maxlength}
      onChange={(e) => onInput?.({ detail: { value: e.target.value } })}
    />
  )
}

export function ScrollView({ className, children }: Common) {
  return <div className={className}>{children}</div>
}

export function Image({ className, src }: { className?: string; src?: string }) {
  return <img className={className} src={src} alt='' />
}
