import { Button, Text, View } from '@tarojs/components'
import { DEMO_PHONE_CODE } from '../../contracts/privacy'
import { Btn } from '../../components/btn'
import { isPrivacyDenied, privacyDeclined } from '../../services/privacy'

export interface VerifyPhoneProps {
  disabled?: boolean
  /** WeChat's code for the verified number (or the demo's stand-in): the server asks WeChat for the phone. */
  onCode: (code: string) => void
  /** The person declined (the number, or the privacy guideline): the typed way remains. */
  onRefused: (message: string) => void
}

const WAY_ON = '可以在下面手动填写手机号或身份证后四位，由业委会核对后绑定。'

/**
 * 微信验证手机号: WeChat's quick phone verification (open-type getPhoneNumber). A verified phone
 * that the roster gives the owner binds at once; the browser demo has a stand-in that goes the
 * same way through the server.
 */
export function VerifyPhone({ disabled, onCode, onRefused }: VerifyPhoneProps) {
  const weapp = process.env.TARO_ENV === 'weapp'
  return (
    <View className='field'>
      <Text className='line'>推荐：用微信验证手机号。与名册上的手机号一致时立即绑定，不用等审核。</Text>
      {weapp ? (
        <Button
          className='gz-btn gz-btn--primary'
          openType='getPhoneNumber'
          disabled={disabled}
          onGetPhoneNumber={(e) => {
            const detail = e.detail as { code?: string; errMsg?: string; errno?: number }
            if (detail.code) return onCode(detail.code)
            if (isPrivacyDenied(detail)) return onRefused(privacyDeclined('验证手机号', WAY_ON).message)
            onRefused(`没有验证手机号。${WAY_ON}`)
          }}
        >
          微信验证手机号
        </Button>
      ) : (
        <Btn className='gz-btn gz-btn--primary' disabled={disabled} onClick={() => onCode(DEMO_PHONE_CODE)}>
          演示：模拟微信验证手机号
        </Btn>
      )}
    </View>
  )
}
