import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { formatAreaCenti, formatFen } from '../../../../contracts/money'
import { AsyncView } from '../../../../components/async-view'
import { Page } from '../../../../components/page'
import { useAsync } from '../../../../hooks/use-async'
import { usePullRefresh } from '../../../../hooks/use-pull-refresh'
import { useSession } from '../../../../hooks/use-session'
import { request } from '../../../../services/request'
import { BillStatusBadge, MoneyLine, WrittenNotice } from '../../../../pages/fees/fee-ui'
import { formatDate } from '../../../../utils/time'
import './index.scss'

/**
 * One bill as a fee notice must read (明码标价): the room and period, who is paid, each item with
 * its rate and how it was computed, the due date, the price-complaint number 12358, and every
 * payment with its receipt number. Owners of the unit and the fee staff read it.
 */
export default function BillPage() {
  useSession()
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const billId = params?.billId ?? ''
  const bill = useAsync(() => request('getBill', { communityId, billId }))
  usePullRefresh(() => bill.reload())
  const b = bill.data

  return (
    <Page title='账单详情' className='bill'>
      <AsyncView status={bill.status === 'error' && b ? 'ready' : bill.status} error={bill.error} code={bill.code} onRetry={() => void bill.reload()}>
        {() =>
          b ? (
            <>
              <View className='card'>
                <View className='row'>
                  <Text className='card-title'>{b.periodLabel}</Text>
                  <BillStatusBadge status={b.status} label={b.statusLabel} />
                </View>
                <Text className='bill__unit'>{b.unitLabel}</Text>
                <Text className='line muted'>登记面积 {formatAreaCenti(b.areaCentiM2)} 平方米{b.payer === 'developer' ? ' · 未售房屋，由开发建设单位缴纳' : ''}</Text>
                <MoneyLine label='账单金额' fen={b.amountFen} />
                {b.creditedFen > 0 ? <MoneyLine label='冲减' fen={b.creditedFen} /> : null}
                <MoneyLine label='已缴' fen={b.paidFen} />
                <MoneyLine label='待缴' fen={b.owedFen} strong={b.owedFen > 0} />
                <Text className='bill__due'>缴费期限：{b.dueOn}</Text>
                <Text className='line'>收费单位：{b.payeeName}</Text>
                {b.closedReason ? <Text className='line'>{b.statusLabel}原因：{b.closedReason}</Text> : null}
              </View>

              {b.writtenNotices.map((n) => (
                <WrittenNotice key={n.createdAt} notice={n} />
              ))}

              <View className='card'>
                <Text className='card-title'>收费项目</Text>
                {b.lines.map((l) => (
                  <View key={l.itemName} className='fee-line'>
                    <View className='row'>
                      <Text className='fee-item'>{l.itemName}</Text>
                      <Text className='fee-item'>{formatFen(l.amountFen)}</Text>
                    </View>
                    <Text className='line muted'>{l.basis}</Text>
                  </View>
                ))}
                <Text className='line muted bill__rule'>{b.lateFee ? '每项金额按标准计算后四舍五入到分。' : '每项金额按标准计算后四舍五入到分；未经服务合同约定，不收取滞纳金。'}</Text>
              </View>

              {b.lateFee ? (
                <View className='card bill__late-fee'>
                  <View className='row'>
                    <Text className='card-title'>{b.lateFee.label}</Text>
                    <Text className='fee-item'>{formatFen(b.lateFee.amountFen)}</Text>
                  </View>
                  <Text className='line'>{b.lateFee.basis}</Text>
                  <Text className='line muted'>计算到 {b.lateFee.asOf}；只按未缴的物业费计算，不计复利。</Text>
                  <Text className='line muted'>依据：{b.lateFee.clause}</Text>
                </View>
              ) : null}

              <View className='card'>
                <Text className='card-title'>缴费记录</Text>
                {b.payments.length === 0 ? <Text className='line muted'>还没有缴费记录。</Text> : null}
                {b.payments.map((p) => (
                  <View key={p.receiptNo} className='fee-line'>
                    <View className='row'>
                      <Text className='fee-item'>{formatFen(p.amountFen)}</Text>
                      <Text className='line'>{p.methodLabel}</Text>
                    </View>
                    <Text className='line'>收据号：{p.receiptNo}</Text>
                    <Text className='line muted'>
                      {p.paidOn} 缴纳{p.reference ? ` · 流水号 ${p.reference}` : ''}
                    </Text>
                  </View>
                ))}
                {b.credits.map((c) => (
                  <View key={c.createdAt} className='fee-line'>
                    <Text className='line'>冲减 {formatFen(c.amountFen)}：{c.reason}</Text>
                    <Text className='line muted'>{formatDate(c.createdAt)}</Text>
                  </View>
                ))}
              </View>

              <View className='card bill__complaint'>
                <Text className='line'>对收费有异议，可拨打价格举报电话</Text>
                <Text className='bill__phone'>{b.priceComplaintPhone}</Text>
              </View>
            </>
          ) : null
        }
      </AsyncView>
    </Page>
  )
}
