import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { formatFen } from '../../../../contracts/money'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { TextField } from '../../../../components/field'
import { useAsync } from '../../../../hooks/use-async'
import { go } from '../../../../routes'
import { FeePage, useFeeSetup } from '../../fee-page'
import { request } from '../../../../services/request'

const PAGE = 20

/**
 * The fee counter: every unit with unpaid bills, found by typing part of the room (3栋, 501);
 * tapping one opens its bills to record a payment or a 催缴.
 */
export default function FeeDeskPage() {
  const { communityId, name, setup } = useFeeSetup()
  const list = useAsync(() => request('arrearsList', { communityId }), { auto: !!communityId })
  const [query, setQuery] = useState('')
  const [shown, setShown] = useState(PAGE)
  const words = query.trim().split(/\s+/).filter(Boolean)
  const units = (list.data?.units ?? []).filter((u) => words.every((w) => u.unitLabel.includes(w)))

  return (
    <FeePage title='登记收款和催缴' className='desk' communityId={communityId} name={name} setup={setup} onRefresh={() => list.reload()}>
      {() => (
        <>
          <TextField label='查找房屋' hint='输入楼栋或房号，例如 2栋 501' value={query} placeholder='例如：2栋 501' onChange={(q) => {
              setQuery(q)
              setShown(PAGE)
            }} />
          <AsyncView
            status={list.status === 'error' && list.data ? 'ready' : list.status}
            error={list.error}
            code={list.code}
            onRetry={() => void list.reload()}
            empty={units.length === 0}
            emptyTitle={words.length ? '没有找到待缴费的房屋' : '没有待缴费的房屋'}
            emptyHint='这里只列出有待缴账单的房屋。'
          >
            {() => (
              <>
                <Text className='line muted'>共 {units.length} 户有待缴账单</Text>
                {units.slice(0, shown).map((u) => (
                  <View key={u.unitLabel} className='card desk__unit' onClick={() => u.unitId && go('feeUnit', { communityId, unitId: u.unitId })}>
                    <View className='row'>
                      <Text className='fee-item'>{u.unitLabel}</Text>
                      <Text className='fee-item desk__owed'>{u.owedFen !== null ? formatFen(u.owedFen) : ''}</Text>
                    </View>
                    <Text className='line muted'>
                      {u.billCount} 张待缴{u.lastReminder ? ` · 最近催缴：${u.lastReminder.kindLabel} ${u.lastReminder.createdAt.slice(0, 10)}` : ''}
                    </Text>
                  </View>
                ))}
                {units.length > shown ? (
                  <Btn className='gz-btn' onClick={() => setShown(shown + PAGE)}>
                    显示更多（还有 {units.length - shown} 户）
                  </Btn>
                ) : null}
              </>
            )}
          </AsyncView>
        </>
      )}
    </FeePage>
  )
}
