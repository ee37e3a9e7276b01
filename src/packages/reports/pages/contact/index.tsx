import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { AsyncView } from '../../../../components/async-view'
import { Page } from '../../../../components/page'
import { useAsync } from '../../../../hooks/use-async'
import { useCommunityParam } from '../../../../hooks/use-community-param'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { request } from '../../../../services/request'
import '../../reports.scss'

/** A public number, tapped to call (in the browser the phone's dialer opens through tel:). */
function Phone({ phone }: { phone: string | null }) {
  if (!phone) return <Text className='line muted'>电话：暂未公布</Text>
  const call = () => {
    if (process.env.TARO_ENV === 'h5') window.location.href = `tel:${phone}`
    else void Promise.resolve(Taro.makePhoneCall({ phoneNumber: phone })).catch(() => undefined)
  }
  return (
    <Text className='report-contact__phone' onClick={call}>
      {phone}
    </Text>
  )
}

/**
 * 联系我们: the property service centre's and the committee's public numbers and hours, the
 * community office, and the 12345 and 12358 hotlines. Only public numbers: the server refuses a
 * mobile in the settings, so no person's phone is ever shown here.
 */
export default function ReportContactPage() {
  const { communityId } = useCommunityParam()
  const state = useAsync(() => request('reportContacts', { communityId }))
  usePullRefresh(() => state.reload())
  const c = state.data
  return (
    <Page title='联系我们' subtitle={c?.communityName} className='report-contact'>
      <AsyncView status={state.status} error={state.error} code={state.code} onRetry={() => void state.reload()}>
        {() =>
          c ? (
            <>
              {c.property ? (
                <View className='card'>
                  <Text className='card-title'>物业服务中心</Text>
                  <Text className='line'>{c.property.name}</Text>
                  <Phone phone={c.property.phone} />
                  {c.property.hours ? <Text className='line muted'>服务时间：{c.property.hours}</Text> : null}
                </View>
              ) : null}
              <View className='card'>
                <Text className='card-title'>{c.committee.name}</Text>
                <Phone phone={c.committee.phone} />
                {c.committee.hours ? <Text className='line muted'>接待时间：{c.committee.hours}</Text> : null}
              </View>
              <View className='card'>
                <Text className='card-title'>{c.office.name}</Text>
                <Phone phone={c.office.phone} />
                {c.office.address ? <Text className='line muted'>地址：{c.office.address}</Text> : null}
              </View>
              <View className='card'>
                <Text className='card-title'>政府服务热线</Text>
                {c.hotlines.map((h) => (
                  <View key={h.phone} className='report-contact__hotline'>
                    <Text className='line'>{h.name}</Text>
                    <Phone phone={h.phone} />
                  </View>
                ))}
              </View>
              <Text className='line muted'>以上均为公开电话，不含任何个人手机号。</Text>
            </>
          ) : null
        }
      </AsyncView>
    </Page>
  )
}
