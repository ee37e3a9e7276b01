import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import type { FundYearStatement } from '../../../../contracts/fund'
import { beijingDate } from '../../../../contracts/time'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { useSession } from '../../../../hooks/use-session'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { useSessionStore } from '../../../../stores/session'
import { AccountCard, EntryLine, ExpenseCard, Money, TotalsCard } from '../../fund-ui'

type View_ = 'accounts' | 'ledger'

/**
 * 维修资金 under 我的: each unit I own — its account (required, deposited, the district's match, interest,
 * shares of expenses, balance, the top-up flag) and every entry — a yearly statement to save or
 * share, and the 小区 ledger (totals and every expense). Tenants are not shown any account.
 */
export default function FundMinePage() {
  useSession()
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const name = useSessionStore((s) => s.me?.communities.find((c) => c.id === communityId)?.name ?? '')
  const [tab, setTab] = useState<View_>('accounts')
  const mine = useAsync(() => request('myFund', { communityId }), { auto: !!communityId })
  const ledger = useAsync(() => request('fundLedger', { communityId }), { auto: !!communityId })
  usePullRefresh(() => Promise.all([mine.reload(), ledger.reload()]))
  const [statementOf, setStatementOf] = useState<string | null>(null)

  return (
    <Page title='维修资金' subtitle={name || undefined} className='fund-mine'>
      <Chips options={[{ value: 'accounts' as View_, label: '我的账户' }, { value: 'ledger' as View_, label: '小区台账' }]} value={tab} onChange={setTab} />
      {tab === 'accounts' ? (
        <AsyncView
          status={mine.status === 'error' && mine.data ? 'ready' : mine.status}
          error={mine.error}
          code={mine.code}
          onRetry={() => void mine.reload()}
          empty={!!mine.data && mine.data.accounts.length === 0}
          emptyTitle='没有您名下的房屋账户'
          emptyHint='绑定为业主的房屋才有维修资金账户；租户不显示账户。'
        >
          {() => (
            <>
              {mine.data?.accounts.map((a) => (
                <View key={a.unitId}>
                  <AccountCard a={a} onStatement={() => setStatementOf(statementOf === a.unitId ? null : a.unitId)} />
                  {statementOf === a.unitId ? <YearStatement communityId={communityId} unitId={a.unitId} /> : null}
                  <View className='card'>
                    <Text className='card-title'>账户明细</Text>
                    {a.entries.length === 0 ? <Text className='line muted'>还没有交存记录。</Text> : null}
                    {[...a.entries].reverse().map((e) => (
                      <EntryLine key={e.id} e={e} />
                    ))}
                  </View>
                </View>
              ))}
            </>
          )}
        </AsyncView>
      ) : (
        <AsyncView status={ledger.status === 'error' && ledger.data ? 'ready' : ledger.status} error={ledger.error} code={ledger.code} onRetry={() => void ledger.reload()}>
          {() =>
            ledger.data ? (
              <>
                <TotalsCard totals={ledger.data.totals} isOld={ledger.data.isOld} />
                <Text className='line muted'>每一笔支出都须经业主表决通过（第 5 项），或属水泵、电梯停运、消防、外墙险情、严重渗漏等应急情况。</Text>
                {ledger.data.expenses.length === 0 ? <Text className='line muted'>还没有使用维修资金。</Text> : null}
                {ledger.data.expenses.map((x) => (
                  <ExpenseCard key={x.id} x={x} communityId={communityId} />
                ))}
              </>
            ) : null
          }
        </AsyncView>
      )}
    </Page>
  )
}

function YearStatement({ communityId, unitId }: { communityId: string; unitId: string }) {
  const thisYear = Number(beijingDate(new Date()).slice(0, 4))
  const [year, setYear] = useState(thisYear)
  const [s, setS] = useState<FundYearStatement | null>(null)
  const load = useSubmit([year])
  const years = [thisYear, thisYear - 1, thisYear - 2].map((y) => ({ value: y, label: `${y}年` }))
  return (
    <View className='card fund-statement'>
      <Text className='card-title'>年度对账单</Text>
      <Chips options={years} value={year} onChange={(y) => { setYear(y); setS(null) }} />
      <Btn className='gz-btn' loading={load.busy} disabled={load.busy} onClick={() => void load.run(async () => setS(await request('fundYearStatement', { communityId, unitId, year })))}>
        查看 {year} 年对账单
      </Btn>
      <ErrorNote message={load.error} />
      {s ? (
        <>
          <Money label='年初余额' fen={s.openingFen} />
          {s.entries.map((e) => (
            <EntryLine key={e.id} e={e} />
          ))}
          <Money label='年末余额' fen={s.closingFen} strong />
          <Btn className='gz-btn' onClick={() => void Taro.setClipboardData({ data: s.text })}>
            复制对账单（可粘贴保存或分享）
          </Btn>
        </>
      ) : null}
    </View>
  )
}
