import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { formatFen } from '../../../../contracts/money'
import { beijingDate } from '../../../../contracts/time'
import { AsyncView } from '../../../../components/async-view'
import { Chips } from '../../../../components/chips'
import { Page } from '../../../../components/page'
import { useAsync } from '../../../../hooks/use-async'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { useSession } from '../../../../hooks/use-session'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { BillRow, MoneyLine } from '../../../../pages/fees/fee-ui'

/** A unit's year: what was billed, credited, paid and is still owed, each bill and each receipt. */
export default function YearStatementPage() {
  useSession()
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const unitId = params?.unitId ?? ''
  const thisYear = Number(beijingDate(new Date()).slice(0, 4))
  const [year, setYear] = useState(Number(params?.year) || thisYear)
  const st = useAsync(() => request('yearStatement', { communityId, unitId, year }), { auto: false })
  useEffect(() => {
    void st.reload({ fresh: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload() is stable and reads the latest loader; the statement is read again only when the year changes
  }, [year])
  usePullRefresh(() => st.reload())
  const s = st.data
  const years = [thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y}年` }))

  return (
    <Page title='年度对账单' subtitle={s?.unitLabel} className='statement'>
      <Chips options={years} value={year} onChange={setYear} />
      <AsyncView
        status={st.status === 'error' && s ? 'ready' : st.status}
        error={st.error}
        code={st.code}
        onRetry={() => void st.reload()}
        empty={!!s && s.bills.length === 0}
        emptyTitle={`${year}年没有账单`}
        emptyHint='换一个年份看看；账单由收费单位按账期生成。'
      >
        {() =>
          s ? (
            <>
              <View className='card'>
                <Text className='card-title'>{s.year}年合计</Text>
                <MoneyLine label='应缴' fen={s.billedFen} />
                {s.creditedFen > 0 ? <MoneyLine label='冲减' fen={s.creditedFen} /> : null}
                <MoneyLine label='已缴' fen={s.paidFen} />
                <MoneyLine label='欠缴' fen={s.owedFen} strong={s.owedFen > 0} />
              </View>
              <View className='card'>
                <Text className='card-title'>账单</Text>
                {s.bills.map((b) => (
                  <BillRow key={b.id} bill={b} onOpen={() => go('bill', { communityId, billId: b.id })} />
                ))}
              </View>
              <View className='card'>
                <Text className='card-title'>缴费与收据</Text>
                {s.payments.length === 0 ? <Text className='line muted'>这一年还没有缴费记录。</Text> : null}
                {s.payments.map((p) => (
                  <View key={p.receiptNo} className='fee-line'>
                    <View className='row'>
                      <Text className='line'>{p.paidOn}</Text>
                      <Text className='line'>{formatFen(p.amountFen)}</Text>
                    </View>
                    <Text className='line muted'>
                      收据号 {p.receiptNo} · {p.methodLabel}
                    </Text>
                  </View>
                ))}
              </View>
            </>
          ) : null
        }
      </AsyncView>
    </Page>
  )
}
