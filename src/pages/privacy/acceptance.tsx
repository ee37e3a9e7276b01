import { Text, View } from '@tarojs/components'
import { PRIVACY_VERSION } from '../../contracts/privacy'
import { Btn } from '../../components/btn'
import { ErrorNote } from '../../components/page-state'
import { useAsync } from '../../hooks/use-async'
import { useSubmit } from '../../hooks/use-submit'
import { request } from '../../services/request'
import { getToken } from '../../services/token'
import { formatDateTime } from '../../utils/time'

/**
 * The signed-in person's acceptance of this version: when they accepted it, or a button to accept
 * it now (recorded on the server). Before signing in there is nobody to record, so nothing shows.
 */
export function PrivacyAcceptance() {
  const signedIn = !!getToken()
  const status = useAsync(() => request('privacyStatus'), { auto: signedIn })
  const submit = useSubmit()
  if (!signedIn || status.status === 'loading') return null

  async function accept() {
    const next = await submit.run(() => request('acceptPrivacy', { version: PRIVACY_VERSION }), { success: '已记录您的同意' })
    if (next) await status.reload()
  }

  const acceptedAt = status.data?.acceptedAt
  return (
    <View className='card'>
      {acceptedAt ? (
        <Text className='privacy__accepted'>您已于 {formatDateTime(acceptedAt)} 同意本指引（版本 {PRIVACY_VERSION}）。</Text>
      ) : (
        <>
          <Text className='line'>请阅读以上内容。同意后我们会记录您同意的版本和时间。</Text>
          <Btn className='gz-btn gz-btn--primary' loading={submit.busy} disabled={submit.busy} onClick={() => void accept()}>
            我已阅读并同意
          </Btn>
        </>
      )}
      <ErrorNote message={submit.error ?? status.error} />
    </View>
  )
}
