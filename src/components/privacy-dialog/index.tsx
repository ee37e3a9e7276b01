import { Button, Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { PRIVACY_TITLE } from '../../contracts/privacy'
import { answerPrivacy, openPrivacyGuideline, PRIVACY_AGREE_BUTTON_ID, privacyShown, registerPrivacyAuthorization, subscribePrivacy } from '../../services/privacy'
import './index.scss'

/**
 * WeChat's privacy question, asked in our words when a privacy API (photos, files, phone number)
 * waits for the person's agreement: the guideline to read, 同意 (open-type agreePrivacyAuthorization,
 * which WeChat requires) and 不同意. Every page frame mounts one; only the page on screen shows.
 */
export function PrivacyDialog() {
  const [asking, setAsking] = useState(false)

  useEffect(() => {
    registerPrivacyAuthorization()
    return subscribePrivacy(setAsking)
  }, [])
  useEffect(() => {
    if (asking) privacyShown()
  }, [asking])

  if (!asking) return null
  const agree = () => answerPrivacy(true)
  // In WeChat the agree event comes from the open-type; elsewhere (the browser, tests) a plain tap.
  const weapp = process.env.TARO_ENV === 'weapp'
  return (
    <View className='privacy-dialog'>
      <View className='privacy-dialog__card'>
        <Text className='privacy-dialog__title'>隐私保护提示</Text>
        <Text className='privacy-dialog__text'>
          使用照片、文件或微信验证手机号之前，请先阅读并同意
        </Text>
        <Text className='privacy-dialog__link' onClick={openPrivacyGuideline}>
          《{PRIVACY_TITLE}》
        </Text>
        <Text className='privacy-dialog__text'>不同意也可以继续使用其他功能。</Text>
        <Button
          id={PRIVACY_AGREE_BUTTON_ID}
          className='gz-btn gz-btn--primary privacy-dialog__agree'
          openType='agreePrivacyAuthorization'
          onAgreePrivacyAuthorization={agree}
          onClick={weapp ? undefined : agree}
        >
          同意并继续
        </Button>
        <Button className='gz-btn privacy-dialog__disagree' onClick={() => answerPrivacy(false)}>
          不同意
        </Button>
      </View>
    </View>
  )
}
