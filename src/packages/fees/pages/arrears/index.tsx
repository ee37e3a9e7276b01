import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { ArrearsPostingResult, BillDecision } from '../../../../contracts/fees'
import { addDaysIso, beijingDate } from '../../../../contracts/time'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { DateTimePicker, Field } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { FeePage, useFeeSetup } from '../../fee-page'
import { ArrearsWaive } from './waive-ref-form'

const SHOWN = 30

/**
 * The committee's 欠费公示, in the policy's order: only units whose written 催缴 deadline has passed
 * may be listed, as masked rooms (3栋2单元**1室) with no name, phone or amount, inside the 小区, with
 * an end date. The server refuses anything earlier, and its reason is shown as it is.
 */
export default function FeeArrearsPage() {
  const { communityId, name, setup } = useFeeSetup()
  const list = useAsync(() => request('arrearsList', { communityId }), { auto: !!communityId })
  const [endsOn, setEndsOn] = useState(beijingDate(addDaysIso(new Date(), 15)))
  const [posted, setPosted] = useState<ArrearsPostingResult | null>(null)
  const [waived, setWaived] = useState<BillDecision | null>(null)
  const [shown, setShown] = useState(SHOWN)
  const submit = useSubmit([endsOn])
  const units = list.data?.units ?? []
  const postable = units.filter((u) => u.postable)

  async function publish() {
    const r = await submit.run(() => request('publishArrearsPosting', { communityId, endsOn }), {
      confirm: {
        title: '发布欠费公示',
        content: `将在本小区公示书面催缴期限已过仍未缴清的房屋（只显示打码的房号，不显示姓名、电话和金额），公示到 ${endsOn}。公示发布后不能修改或撤回。确定发布吗？`,
        confirmText: '发布公示',
        danger: true,
      },
      success: '已发布',
    })
    if (r) {
      setPosted(r)
      void list.reload()
    }
  }

  return (
    <FeePage title='欠费公示和减免' className='arrears' communityId={communityId} name={name} setup={setup} onRefresh={() => list.reload()}>
      {(s) => (
        <>
          <View className='card'>
            <Text className='card-title'>发布欠费公示</Text>
            <Text className='line'>按政策，先上门或电话催缴，再发书面催缴通知并给出期限；期限过后仍未缴清，才可以公示。</Text>
            <Text className='line muted'>可公示的房屋：{list.data ? `${postable.length} 户` : '…'}</Text>
            <Field label='公示截止日期'>
              <DateTimePicker date={endsOn} start={beijingDate(addDaysIso(new Date(), 1))} onChange={(d) => setEndsOn(d)} dateText={`公示到：${endsOn}`} />
            </Field>
            <ErrorNote message={submit.error} />
            {s.canDecide ? (
              <Btn className='gz-btn gz-btn--danger arrears__publish' loading={submit.busy} disabled={submit.busy} onClick={() => void publish()}>
                发布欠费公示
              </Btn>
            ) : (
              <Text className='line muted'>欠费公示由业委会（物管会）决定发布。</Text>
            )}
          </View>
          {posted ? (
            <View className='card arrears__posted'>
              <Text className='card-title'>欠费公示已发布</Text>
              <Text className='line'>公示了 {posted.roomCount} 户，只显示打码的房号。</Text>
              <Btn className='gz-btn' onClick={() => go('noticeDetail', { id: posted.noticeId, communityId })}>
                查看公示
              </Btn>
            </View>
          ) : null}
          {waived ? (
            <View className='card arrears__waived'>
              <Text className='line'>
                已减免：{waived.unitLabel} {waived.periodLabel}
              </Text>
            </View>
          ) : null}
          <AsyncView
            status={list.status === 'error' && list.data ? 'ready' : list.status}
            error={list.error}
            code={list.code}
            onRetry={() => void list.reload()}
            empty={units.length === 0}
            emptyTitle='没有欠费的房屋'
          >
            {() => (
              <View className='card'>
                <Text className='card-title'>欠费房屋（{units.length} 户）</Text>
                {list.data?.masked ? <Text className='line muted'>房号已打码；完整房号和金额只有收费人员能看到。</Text> : null}
                {units.slice(0, shown).map((u) => (
                  <View key={u.unitId ?? `${u.unitLabel}:${u.openBills[0]?.ref ?? ''}`} className='fee-line arrears__unit'>
                    <View className='row' onClick={() => u.unitId && go('feeUnit', { communityId, unitId: u.unitId })}>
                      <Text className='fee-item'>{u.unitLabel}</Text>
                      <Text className={`badge ${u.postable ? 'badge--rejected' : 'badge--pending'}`}>{u.postable ? '期限已过' : '未到公示条件'}</Text>
                    </View>
                    <Text className='line muted'>
                      {u.billCount} 张待缴{u.unitId && s.canBill ? ' · 点按房号查看账单' : ''}
                    </Text>
                    {s.canDecide ? (
                      <ArrearsWaive
                        communityId={communityId}
                        unit={u}
                        onDone={(d) => {
                          setWaived(d)
                          void list.reload()
                        }}
                      />
                    ) : null}
                  </View>
                ))}
                {units.length > shown ? (
                  <Btn className='gz-btn' onClick={() => setShown(shown + SHOWN)}>
                    显示更多（还有 {units.length - shown} 户）
                  </Btn>
                ) : null}
              </View>
            )}
          </AsyncView>
        </>
      )}
    </FeePage>
  )
}
