import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { EMERGENCY_CATEGORIES, type EmergencyCategory, type ExpenseResult } from '../../../../contracts/fund'
import { formatFen, parseYuan } from '../../../../contracts/money'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { DocumentUploader, type DraftDocument } from '../../fund-files'
import { ExpenseCard } from '../../fund-ui'
import { FundPage, todayText, useFundSetup } from '../../fund-page'

type Basis = 'vote' | 'emergency'

/**
 * Recording an expense: by a passed owners' vote on item 5 covering the paying buildings, or an
 * emergency the committee approves alone (published as a notice at once). Shared by area.
 */
export default function FundExpensePage() {
  const { communityId, name, setup } = useFundSetup()
  const [purpose, setPurpose] = useState('')
  const [contractor, setContractor] = useState('')
  const [amount, setAmount] = useState('')
  const [spentOn, setSpentOn] = useState(todayText())
  const [buildingIds, setBuildingIds] = useState<string[]>([])
  const [basis, setBasis] = useState<Basis>('vote')
  const [voteId, setVoteId] = useState('')
  const [emergency, setEmergency] = useState<EmergencyCategory>('pump')
  const [docs, setDocs] = useState<DraftDocument[]>([])
  const [uploading, setUploading] = useState<string | null>(null)
  const [done, setDone] = useState<ExpenseResult | null>(null)
  const submit = useSubmit([purpose, contractor, amount, spentOn, buildingIds, basis, voteId, emergency])

  async function save() {
    const amountFen = parseYuan(amount)
    if (amountFen === null || amountFen === 0) return submit.fail('请填写金额（元），最多两位小数', 'amount')
    if (buildingIds.length === 0) return submit.fail('请选择分摊的楼栋')
    if (basis === 'vote' && !voteId) return submit.fail('请选择已通过的“使用维修资金”表决')
    if (uploading) return submit.fail('材料还在上传，请稍候')
    const documents = docs.map((d) => ({ kind: d.kind, name: d.name, fileId: d.fileId }))
    const r = await submit.run(
      () => request('recordFundExpense', { communityId, purpose, contractor, amountFen, spentOn, buildingIds, documents, ...(basis === 'vote' ? { voteId } : { emergency }) }),
      {
        confirm: {
          title: '登记支出',
          content: `从维修资金支出 ${formatFen(amountFen)}，按建筑面积分摊到所选楼栋的各户${basis === 'emergency' ? '，并立即发布应急使用公告' : ''}。登记后不能修改。确定吗？`,
          confirmText: '登记',
        },
        success: '已登记',
      },
    )
    if (r) {
      setDone(r)
      setDocs([])
    }
  }

  return (
    <FundPage title='登记支出' className='fund-expense-page' communityId={communityId} name={name} setup={setup}>
      {(s) => {
        const uses = s.decisions.filter((d) => d.item === 5)
        return (
          <>
            <TextField label='用途' value={purpose} onChange={setPurpose} placeholder='例如：1栋屋面防水' />
            <TextField label='施工单位' value={contractor} onChange={setContractor} placeholder='例如：章贡建筑公司' />
            <TextField label='金额（元）' value={amount} onChange={setAmount} type='digit' error={submit.errorOf('amount')} />
            <TextField label='支出日期' hint='写作 2026-01-31' value={spentOn} onChange={setSpentOn} />
            <View className='card'>
              <Text className='card-title'>分摊楼栋</Text>
              <Chips multiple options={s.buildings.map((b) => ({ value: b.id, label: b.name }))} value={buildingIds} onChange={setBuildingIds} />
            </View>
            <View className='card'>
              <Text className='card-title'>依据</Text>
              <Chips options={[{ value: 'vote' as Basis, label: '业主表决通过' }, { value: 'emergency' as Basis, label: '应急使用' }]} value={basis} onChange={setBasis} />
              {basis === 'vote' ? (
                uses.length ? (
                  <Chips options={uses.map((d) => ({ value: d.voteId, label: `${d.title}（${d.closedAt.slice(0, 10)}）` }))} value={voteId} onChange={setVoteId} />
                ) : (
                  <Text className='line muted'>还没有通过的“使用维修资金”（第 5 项）表决。请先在“议事”发起表决。</Text>
                )
              ) : (
                <Chips options={(Object.keys(EMERGENCY_CATEGORIES) as EmergencyCategory[]).map((k) => ({ value: k, label: EMERGENCY_CATEGORIES[k] }))} value={emergency} onChange={setEmergency} />
              )}
            </View>
            <DocumentUploader communityId={communityId} docs={docs} onChange={setDocs} onError={(m) => submit.fail(m)} progress={uploading} onProgress={setUploading} />
            <ErrorNote message={submit.field ? null : submit.error} />
            <Btn className='gz-btn gz-btn--primary' loading={submit.busy} disabled={submit.busy} onClick={() => void save()}>
              登记支出
            </Btn>
            {done ? <ExpenseCard x={done.expense} communityId={communityId} /> : null}
            {done ? (
              <View className='card'>
                <Text className='card-title'>分摊明细</Text>
                {done.shares.map((x) => (
                  <Text key={x.unitId} className='line'>{x.unitLabel}：{formatFen(x.amountFen)}</Text>
                ))}
              </View>
            ) : null}
          </>
        )
      }}
    </FundPage>
  )
}
