import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { FeeScheduleView, FeeSetup } from '../../../../contracts/fees'
import { FEE_ITEMS_MAX } from '../../../../contracts/fees'
import { fenDigits, parseYuan } from '../../../../contracts/money'
import { beijingDate } from '../../../../contracts/time'
import { Btn } from '../../../../components/btn'
import { TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { go } from '../../../../routes'
import { FeePage, useFeeSetup } from '../../fee-page'
import { ItemEditor, type ItemDraft } from './item-editor'
import { LateFeeEditor, lateFeeDraftOf, parseLateFee } from './late-fee-editor'

let seq = 0
const blank = (): ItemDraft => ({ key: `i${++seq}`, name: '', kind: 'area', rateYuan: '', buildingIds: [] })
const draftsOf = (s: FeeScheduleView | null): ItemDraft[] =>
  s ? s.items.map((i) => ({ key: `i${++seq}`, name: i.name, kind: i.kind, rateYuan: fenDigits(i.rateFen).replace(/,/g, ''), buildingIds: i.buildingIds })) : [blank()]

/**
 * The fee schedule (收费标准): the version in force, and a form for a new version. Saving publishes
 * the fee standard's 公示 at once (明码标价); a 公示 cannot be edited, so it asks first.
 */
export default function FeeSchedulePage() {
  const { communityId, name, setup } = useFeeSetup()
  return (
    <FeePage title='收费标准' className='schedule' communityId={communityId} name={name} setup={setup}>
      {(s) => <ScheduleBody communityId={communityId} setup={s} onSaved={() => void setup.reload()} />}
    </FeePage>
  )
}

function ScheduleBody({ communityId, setup, onSaved }: { communityId: string; setup: FeeSetup; onSaved: () => void }) {
  const [editing, setEditing] = useState(!setup.schedule)
  const [from, setFrom] = useState(beijingDate(new Date()).slice(0, 7))
  const [items, setItems] = useState<ItemDraft[]>(() => draftsOf(setup.schedule))
  const [lateFee, setLateFee] = useState(() => lateFeeDraftOf(setup.schedule?.lateFee ?? null))
  const submit = useSubmit([from, items, lateFee])
  const current = setup.schedule

  async function save() {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(from.trim())) return submit.fail('执行月份请写成 2026-01 这样的格式')
    const parsed: { name: string; kind: ItemDraft['kind']; rateFen: number; buildingIds: string[] }[] = []
    for (const [n, i] of items.entries()) {
      if (!i.name.trim()) return submit.fail(`请填写项目 ${n + 1} 的名称`)
      const rateFen = parseYuan(i.rateYuan)
      if (rateFen === null) return submit.fail(`项目 ${n + 1}“${i.name}”的金额不正确，最多两位小数，例如 1.80`)
      parsed.push({ name: i.name.trim(), kind: i.kind, rateFen, buildingIds: i.buildingIds })
    }
    const late = parseLateFee(lateFee)
    if (!late.ok) return submit.fail(late.message)
    const saved = await submit.run(() => request('saveFeeSchedule', { communityId, effectiveFrom: from.trim(), items: parsed, lateFee: late.value }), {
      confirm: { title: '保存并公示', content: `保存后将立即发布《物业收费标准公示》，${from} 起执行。公示发布后不能修改或撤回，只能再发新版本。确定吗？`, confirmText: '发布公示' },
      success: '已发布公示',
    })
    if (saved) {
      setEditing(false)
      onSaved()
    }
  }

  return (
    <>
      {current ? (
        <View className='card'>
          <Text className='card-title'>现行标准（第 {current.version} 版）</Text>
          <Text className='line muted'>{current.effectiveFrom} 起执行 · 收费单位：{setup.payeeName}</Text>
          {current.items.map((i) => (
            <View key={i.name} className='fee-line'>
              <Text className='fee-item'>{i.name}</Text>
              <Text className='line'>{i.rateText}</Text>
              <Text className='line muted'>{i.scopeText}</Text>
            </View>
          ))}
          <Text className='line schedule__late-current'>
            {current.lateFee ? `违约金（合同约定）：${current.lateFee.text}。依据：${current.lateFee.clause}` : '不收取违约金（服务合同未约定）'}
          </Text>
          {current.noticeId ? (
            <Btn className='gz-btn' onClick={() => go('noticeDetail', { id: current.noticeId!, communityId })}>
              查看收费标准公示
            </Btn>
          ) : null}
        </View>
      ) : (
        <Text className='line muted'>还没有收费标准。请先设置收费项目，保存后才能生成账单。</Text>
      )}
      {!editing ? (
        <Btn className='gz-btn gz-btn--primary' onClick={() => setEditing(true)}>
          调整收费标准
        </Btn>
      ) : (
        <>
          <TextField label='执行月份' hint='从这个月的账单起按新标准计算，例如 2026-01' inputClassName='schedule__from' value={from} maxlength={7} onChange={setFrom} />
          {items.map((item, i) => (
            <ItemEditor
              key={item.key}
              item={item}
              index={i}
              buildings={setup.buildings}
              onChange={(next) => setItems(items.map((x) => (x.key === item.key ? next : x)))}
              onRemove={items.length > 1 ? () => setItems(items.filter((x) => x.key !== item.key)) : undefined}
            />
          ))}
          {items.length < FEE_ITEMS_MAX ? (
            <Btn className='gz-btn' onClick={() => setItems([...items, blank()])}>
              增加一个收费项目
            </Btn>
          ) : null}
          <LateFeeEditor draft={lateFee} onChange={setLateFee} />
          <ErrorNote message={submit.error} />
          <Btn className='gz-btn gz-btn--primary schedule__save' loading={submit.busy} disabled={submit.busy} onClick={() => void save()}>
            保存并发布公示
          </Btn>
        </>
      )}
    </>
  )
}
