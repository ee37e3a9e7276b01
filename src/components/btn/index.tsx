import type { ComponentProps } from 'react'
import { Button } from '@tarojs/components'

/**
 * Taro's Button, passing `disabled` and `loading` only when true. The H5 build renders
 * <taro-button-core disabled="false">, and its stylesheet's `[disabled]` rule matches any value,
 * which turned enabled buttons' text pale white; omitting the attribute avoids that.
 */
export function Btn({ disabled, loading, ...rest }: ComponentProps<typeof Button>) {
  return <Button {...rest} {...(disabled ? { disabled: true } : {})} {...(loading ? { loading: true } : {})} />
}
