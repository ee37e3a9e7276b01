import { Text, View } from '@tarojs/components'
import { Btn } from '../../../../components/btn'
import { go } from '../../../../routes'
import { FeePage, useFeeSetup } from '../../fee-page'

type Tool = { page: 'feeSchedule' | 'feeGenerate' | 'feeDesk' | 'feeBank' | 'feeArrears' | 'feeOverview'; text: string; hint: string; when: 'bill' | 'decide' | 'all' }

const TOOLS: Tool[] = [
  { page: 'feeSchedule', text: '收费标准', hint: '收费项目和单价；保存后自动发布公示', when: 'bill' },
  { page: 'feeGenerate', text: '生成账单', hint: '按月、季度或年度为每套房屋生成账单', when: 'bill' },
  { page: 'feeDesk', text: '登记收款和催缴', hint: '找到房屋，登记现金、转账、微信支付；记录催缴', when: 'bill' },
  { page: 'feeBank', text: '导入银行流水', hint: '上传 .xlsx 银行流水，全部匹配才入账', when: 'bill' },
  { page: 'feeArrears', text: '欠费公示和减免', hint: '书面催缴期限已过的房屋，可以公示（只显示打码的房号）', when: 'decide' },
  { page: 'feeOverview', text: '收缴情况', hint: '按账期和楼栋的收缴率、欠费房屋、导出表格', when: 'all' },
]

/** 收费工作台: the fee tools this person may use in this 小区. */
export default function FeeHomePage() {
  const { communityId, name, setup } = useFeeSetup()
  return (
    <FeePage title='收费工作台' className='fee-home' communityId={communityId} name={name} setup={setup}>
      {(s) => (
        <>
          <View className='card'>
            <Text className='line'>收费单位：{s.payeeName}</Text>
            <Text className='line muted'>{s.schedule ? `现行收费标准：第 ${s.schedule.version} 版，${s.schedule.effectiveFrom} 起执行` : '还没有设置收费标准'}</Text>
            <Text className='line muted'>{s.periods.length > 0 ? `已生成 ${s.periods.length} 个账期，最近：${s.periods[0].label}` : '还没有生成账单'}</Text>
          </View>
          {TOOLS.filter((t) => t.when === 'all' || (t.when === 'bill' ? s.canBill : s.canDecide)).map((t) => (
            <View key={t.page} className='card'>
              <Btn className='gz-btn gz-btn--primary' onClick={() => go(t.page, { communityId })}>
                {t.text}
              </Btn>
              <Text className='line muted'>{t.hint}</Text>
            </View>
          ))}
          {!s.canBill ? <Text className='line muted'>本小区的收费由{s.payeeName}办理；您可以查看收缴情况。</Text> : null}
        </>
      )}
    </FeePage>
  )
}
