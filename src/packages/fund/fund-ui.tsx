import { Text, View } from '@tarojs/components'
import type { FundAccount, FundEntryView, FundExpenseView, FundTotals } from '../../contracts/fund'
import { formatFen } from '../../contracts/money'
import { formatArea } from '../../contracts/units'
import { DocumentLine } from './fund-files'
import './fund.scss'

/**
 * Pieces of the repair-fund screens: a money line, the 小区 totals, one ledger entry (a district
 * match says where it is held), a unit's account with its top-up flag, an expense with its approval.
 * Amounts only through formatFen.
 */
export function Money({ label, fen, strong }: { label: string; fen: number; strong?: boolean }) {
  return (
    <View className={`row fund-money ${strong ? 'fund-money--strong' : ''}`}>
      <Text className='fund-money__label'>{label}</Text>
      <Text className='fund-money__value'>{formatFen(fen)}</Text>
    </View>
  )
}

export function TotalsCard({ totals, isOld }: { totals: FundTotals; isOld: boolean }) {
  return (
    <View className='card fund-totals'>
      <Text className='card-title'>小区维修资金</Text>
      <Money label='业主交存' fen={totals.depositedFen} />
      {isOld || totals.matchedFen ? <Money label='区财政配套' fen={totals.matchedFen} /> : null}
      <Money label='利息' fen={totals.earnedFen} />
      <Money label='已使用' fen={totals.spentFen} />
      <Money label='结余' fen={totals.remainingFen} strong />
    </View>
  )
}

export function EntryLine({ e, showUnit }: { e: FundEntryView; showUnit?: boolean }) {
  return (
    <View className={`fund-entry fund-entry--${e.kind}`}>
      <View className='row'>
        <Text className='fund-entry__kind'>{e.kindLabel}</Text>
        <Text className={`fund-entry__amount ${e.amountFen < 0 ? 'fund-entry__amount--out' : ''}`}>{e.amountFen > 0 ? '+' : ''}{formatFen(e.amountFen)}</Text>
      </View>
      <Text className='line muted'>
        {e.on}
        {showUnit && e.unitLabel ? ` · ${e.unitLabel}` : ''}
        {e.receiptNo ? ` · 收据号 ${e.receiptNo}` : ''}
        {e.note && e.kind !== 'deposit' && e.kind !== 'match' ? ` · ${e.note}` : ''}
      </Text>
      {e.heldIn ? <Text className='line muted fund-entry__held'>存于{e.heldIn}</Text> : null}
    </View>
  )
}

export function AccountCard({ a, onStatement }: { a: Omit<FundAccount, 'entries'>; onStatement?: () => void }) {
  return (
    <View className={`card fund-account ${a.needsTopUp ? 'fund-account--flagged' : ''}`}>
      <Text className='card-title'>{a.unitLabel}</Text>
      <Text className='line muted'>建筑面积 {formatArea(a.areaCentiM2)} 平方米</Text>
      {a.needsTopUp ? <Text className='fund-flag'>余额已低于首次交存额的 30%，需要续交</Text> : null}
      <Money label='余额' fen={a.balanceFen} strong />
      <Money label='应交' fen={a.requiredFen} />
      <Money label='已交存' fen={a.depositedFen} />
      {a.matchedFen ? <Money label='区财政配套' fen={a.matchedFen} /> : null}
      {a.interestFen ? <Money label='利息' fen={a.interestFen} /> : null}
      {a.spentFen ? <Money label='使用分摊' fen={a.spentFen} /> : null}
      {a.outstandingFen > 0 ? <Money label='尚未交存' fen={a.outstandingFen} /> : null}
      {onStatement ? (
        <Text className='fund-link' onClick={onStatement}>
          年度对账单 ›
        </Text>
      ) : null}
    </View>
  )
}

/** An expense; with `communityId` its documents can be opened (those with a file). */
export function ExpenseCard({ x, communityId }: { x: FundExpenseView; communityId?: string }) {
  return (
    <View className='card fund-expense'>
      <View className='row'>
        <Text className='card-title'>{x.purpose}</Text>
        <Text className={`badge ${x.kind === 'emergency' ? 'badge--pending' : 'badge--approved'}`}>{x.kind === 'emergency' ? '应急' : '表决通过'}</Text>
      </View>
      <Money label='金额' fen={x.amountFen} strong />
      <Text className='line'>施工单位：{x.contractor}</Text>
      <Text className='line'>分摊楼栋：{x.buildings.join('、')}（按建筑面积）</Text>
      <Text className='line muted'>
        {x.spentOn} · {x.kind === 'emergency' ? `应急使用：${x.emergencyLabel}，委员会决定并已公告` : `依据表决：${x.voteTitle ?? ''}`}
        {x.reversed ? ' · 已冲正' : ''}
      </Text>
      {x.documents.length && communityId ? (
        <View className='fund-expense__docs'>
          <Text className='line muted'>材料：</Text>
          {x.documents.map((d, i) => (
            <DocumentLine key={d.fileId ?? `${i}`} communityId={communityId} expenseId={x.id} doc={d} />
          ))}
        </View>
      ) : x.documents.length ? (
        <Text className='line muted'>材料：{x.documents.map((d) => `${d.kind}《${d.name}》`).join('、')}</Text>
      ) : null}
    </View>
  )
}
