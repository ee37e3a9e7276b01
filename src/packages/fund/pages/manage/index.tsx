import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { FundSetup } from '../../../../contracts/fund'
import { formatFen, parseYuan } from '../../../../contracts/money'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { go } from '../../../../routes'
import { request } from '../../../../services/request'
import { Money, TotalsCard } from '../../fund-ui'
import { FundPage, useFundSetup } from '../../fund-page'

/**
 * The committee's repair-fund desk: the rate of each building (an old community's cap shown and
 * enforced by the server), the 小区 totals, unpaid required deposits by building, and the ways to
 * record deposits and expenses and to publish the 财务公开.
 */
export default function FundManagePage() {
  const { communityId, name, setup } = useFundSetup()
  const ledger = useAsync(() => request('fundLedger', { communityId }), { auto: !!communityId })
  const arrears = useAsync(() => request('fundArrears', { communityId }), { auto: !!communityId })
  const publishing = useSubmit()
  const reload = () => Promise.all([setup.reload(), ledger.reload(), arrears.reload()])

  return (
    <FundPage title='维修资金管理' className='fund-manage' communityId={communityId} name={name} setup={setup} onRefresh={() => Promise.all([ledger.reload(), arrears.reload()])}>
      {(s) => (
        <>
          {ledger.data ? <TotalsCard totals={ledger.data.totals} isOld={ledger.data.isOld} /> : null}
          <View className='row'>
            <Btn className='gz-btn gz-btn--primary' onClick={() => go('fundDeposit', { communityId })}>登记交存</Btn>
            <Btn className='gz-btn' onClick={() => go('fundExpense', { communityId })}>登记支出</Btn>
          </View>
          <SchemeForm communityId={communityId} setup={s} onSaved={() => void reload()} />
          <View className='card'>
            <Text className='card-title'>未交存情况（按楼栋）</Text>
            {(arrears.data ?? []).map((b) => (
              <View key={b.buildingId} className='fund-entry'>
                <Text className='fund-entry__kind'>{b.buildingName}：{b.unpaidUnits.length} 户未交足</Text>
                <Money label='应交' fen={b.requiredFen} />
                <Money label='已交存' fen={b.depositedFen} />
                <Money label='未交' fen={b.outstandingFen} strong />
                {b.unpaidUnits.slice(0, 20).map((u) => (
                  <Text key={u.unitId} className='fund-link' onClick={() => go('fundDeposit', { communityId, unitId: u.unitId })}>
                    {u.unitLabel} 未交 {formatFen(u.outstandingFen)} › 登记
                  </Text>
                ))}
              </View>
            ))}
          </View>
          <ErrorNote message={publishing.error} />
          <Btn
            className='gz-btn fund-publish'
            loading={publishing.busy}
            disabled={publishing.busy}
            onClick={() =>
              void publishing.run(() => request('publishFundDisclosure', { communityId }), {
                confirm: { title: '发布财务公开', content: '将按台账生成维修资金收支公开，发布后不能修改或撤回，只能另发更正。确定发布吗？', confirmText: '发布' },
                success: '已发布财务公开',
              })
            }
          >
            发布财务公开
          </Btn>
        </>
      )}
    </FundPage>
  )
}

function SchemeForm({ communityId, setup, onSaved }: { communityId: string; setup: FundSetup; onSaved: () => void }) {
  const [buildingIds, setBuildingIds] = useState<string[]>([])
  const [rate, setRate] = useState('')
  const [voteId, setVoteId] = useState<string>('')
  const submit = useSubmit([buildingIds, rate, voteId])
  const raises = setup.decisions.filter((d) => d.item === 6)
  async function save() {
    const rateFen = parseYuan(rate)
    if (buildingIds.length === 0) return submit.fail('请选择楼栋', 'buildings')
    if (rateFen === null || rateFen === 0) return submit.fail('请填写每平方米的交存标准（元），最多两位小数', 'rate')
    const done = await submit.run(() => request('setFundScheme', { communityId, buildingIds, rateFen, ...(voteId ? { voteId } : {}) }), {
      confirm: { title: '设定交存标准', content: `按 ${rate} 元/㎡ 设定所选楼栋的维修资金交存标准，设定后只能经业主表决续筹。确定吗？`, confirmText: '设定' },
      success: '已设定',
    })
    if (done) {
      setRate('')
      setBuildingIds([])
      onSaved()
    }
  }
  return (
    <View className='card fund-scheme'>
      <Text className='card-title'>交存标准（按建筑面积）</Text>
      {setup.isOld ? <Text className='line muted'>{setup.communityName}是老旧小区：{setup.policyClause}</Text> : null}
      {setup.buildings.map((b) => (
        <Text key={b.id} className='line'>
          {b.name}（{b.hasElevator ? '有电梯' : '无电梯'}）：{b.schemes.length ? b.schemes.map((x) => `${formatFen(x.rateFen)}/㎡${x.kind === 'additional' ? '（续筹）' : ''}`).join(' + ') : '未设定'}
          {b.capFen !== null ? `，上限 ${formatFen(b.capFen)}/㎡` : ''}
        </Text>
      ))}
      <Chips multiple options={setup.buildings.map((b) => ({ value: b.id, label: b.name }))} value={buildingIds} onChange={setBuildingIds} />
      {submit.errorOf('buildings') ? <Text className='field-error'>{submit.errorOf('buildings')}</Text> : null}
      <TextField label='每平方米交存（元）' hint='例如 55 或 75.00' value={rate} onChange={setRate} placeholder='例如：55' type='digit' error={submit.errorOf('rate')} />
      {raises.length ? (
        <Chips options={[{ value: '', label: '首次设定' }, ...raises.map((d) => ({ value: d.voteId, label: `续筹：${d.title}` }))]} value={voteId} onChange={setVoteId} />
      ) : (
        <Text className='line muted'>已设定的楼栋要提高或续筹，须先经业主表决通过第 6 项（筹集维修资金）。</Text>
      )}
      <ErrorNote message={submit.field ? null : submit.error} />
      <Btn className='gz-btn gz-btn--primary fund-scheme__save' loading={submit.busy} disabled={submit.busy} onClick={() => void save()}>
        设定交存标准
      </Btn>
    </View>
  )
}
