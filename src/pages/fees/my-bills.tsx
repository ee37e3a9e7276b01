import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { MyBills, MyUnitBills } from '../../contracts/fees'
import { formatFen } from '../../contracts/money'
import { AsyncView } from '../../components/async-view'
import { Btn } from '../../components/btn'
import type { AsyncState } from '../../hooks/use-async'
import { go } from '../../routes'
import { BillRow, WrittenNotice } from './fee-ui'
import { TenantShares } from './tenant-share'

/** History rows shown at first per unit; 显示更多 adds this many more. */
const HISTORY_PAGE = 4

/**
 * The caller's bills in one 小区: the total owed, then each unit (unpaid first, notices, history,
 * and for the owner the tenants the bills may be shared with). A tenant sees the units whose
 * owner shares their bills, or `emptyTitle` with the server's note.
 */
export function MyBillsView({ communityId, state, emptyTitle = '暂无账单' }: { communityId: string; state: AsyncState<MyBills>; emptyTitle?: string }) {
  const data = state.data
  return (
    <AsyncView
      status={state.status === 'error' && data ? 'ready' : state.status}
      error={state.error}
      code={state.code}
      onRetry={() => void state.reload()}
      away={null}
      empty={!!data && data.units.length === 0}
      emptyTitle={emptyTitle}
      emptyHint={data?.note ?? '物业生成账单后，会按房屋显示在这里。'}
    >
      {() =>
        data ? (
          <>
            <View className='card fees__summary'>
              <Text className='card-title'>{data.totalOwedFen > 0 ? '共待缴' : '物业费'}</Text>
              <Text className={`fee-total ${data.totalOwedFen > 0 ? '' : 'fee-total--clear'}`}>{data.totalOwedFen > 0 ? formatFen(data.totalOwedFen) : '已全部缴清'}</Text>
              <Text className='line muted'>缴费请到物业服务中心，或按收费单位提供的方式转账；缴费后由收费人员登记，账单上会显示收据号。</Text>
            </View>
            {data.units.map((u) => (
              <UnitBills key={u.unitId} communityId={communityId} unit={u} onChanged={() => void state.reload()} />
            ))}
          </>
        ) : null
      }
    </AsyncView>
  )
}

function UnitBills({ communityId, unit, onChanged }: { communityId: string; unit: MyUnitBills; onChanged: () => void }) {
  const [shown, setShown] = useState(HISTORY_PAGE)
  const open = (billId: string) => go('bill', { communityId, billId })
  return (
    <View className='card fees__unit-card'>
      <View className='row'>
        <Text className='fees__unit-label'>{unit.unitLabel}</Text>
        <Text className={`badge ${unit.owedFen > 0 ? 'badge--rejected' : 'badge--approved'}`}>{unit.owedFen > 0 ? `待缴 ${formatFen(unit.owedFen)}` : '已缴清'}</Text>
      </View>
      {unit.sharedWithMe ? <Text className='line muted fees__shared-note'>业主与您共享的这套房屋的账单；缴费请与业主商量。</Text> : null}
      {unit.writtenNotices.map((n) => (
        <WrittenNotice key={n.createdAt} notice={n} />
      ))}
      {unit.unpaid.length > 0 ? <Text className='fee-section'>待缴账单（{unit.unpaid.length} 张）</Text> : null}
      {unit.unpaid.map((b) => (
        <BillRow key={b.id} bill={b} onOpen={() => open(b.id)} />
      ))}
      {unit.history.length > 0 ? <Text className='fee-section'>缴费记录</Text> : null}
      {unit.history.slice(0, shown).map((b) => (
        <BillRow key={b.id} bill={b} onOpen={() => open(b.id)} />
      ))}
      {unit.history.length > shown ? (
        <Btn className='gz-btn' onClick={() => setShown(shown + HISTORY_PAGE * 2)}>
          显示更多记录（还有 {unit.history.length - shown} 条）
        </Btn>
      ) : null}
      {unit.unpaid.length + unit.history.length === 0 ? <Text className='line muted'>这套房屋还没有账单。</Text> : null}
      {unit.sharedWithMe ? null : (
        <Btn className='gz-btn fees__statement' onClick={() => go('yearStatement', { communityId, unitId: unit.unitId })}>
          年度对账单
        </Btn>
      )}
      <TenantShares communityId={communityId} tenants={unit.tenants} onChanged={onChanged} />
    </View>
  )
}
