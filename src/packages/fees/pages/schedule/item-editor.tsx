import { Text, View } from '@tarojs/components'
import { FEE_ITEM_KIND_LABELS, FEE_ITEM_KINDS, type FeeItemKind } from '../../../../contracts/fees'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Field, TextField } from '../../../../components/field'

/** One item of the schedule as typed: the rate in yuan as text, parsed with parseYuan on saving. */
export interface ItemDraft {
  key: string
  name: string
  kind: FeeItemKind
  rateYuan: string
  buildingIds: string[]
}

const RATE_LABEL: Record<FeeItemKind, string> = {
  area: '单价（元/平方米/月）',
  fixed: '每户每月（元）',
  shared: '每月总额（元，按各户登记面积分摊）',
}
const RATE_HINT: Record<FeeItemKind, string> = {
  area: '例如 1.80；按登记建筑面积计收',
  fixed: '例如 10.00；每套房屋相同',
  shared: '例如 1200.00；公摊水电按面积分摊到各户（民法典第二百八十三条）',
}

export function ItemEditor({
  item,
  index,
  buildings,
  onChange,
  onRemove,
}: {
  item: ItemDraft
  index: number
  buildings: { id: string; name: string }[]
  onChange: (item: ItemDraft) => void
  onRemove?: () => void
}) {
  return (
    <View className='card schedule__item'>
      <Text className='card-title'>项目 {index + 1}</Text>
      <TextField label='项目名称' value={item.name} maxlength={30} placeholder='例如：物业服务费' onChange={(name) => onChange({ ...item, name })} />
      <Field label='收费方式'>
        <Chips options={FEE_ITEM_KINDS.map((k) => ({ value: k, label: FEE_ITEM_KIND_LABELS[k] }))} value={item.kind} onChange={(kind) => onChange({ ...item, kind })} />
      </Field>
      <TextField label={RATE_LABEL[item.kind]} hint={RATE_HINT[item.kind]} type='digit' value={item.rateYuan} placeholder='0.00' onChange={(rateYuan) => onChange({ ...item, rateYuan })} />
      <Field label='适用楼栋' hint={item.buildingIds.length === 0 ? '不选：全部楼栋' : `已选 ${item.buildingIds.length} 栋`}>
        <Chips<string> multiple options={buildings.map((b) => ({ value: b.id, label: b.name }))} value={item.buildingIds} onChange={(buildingIds) => onChange({ ...item, buildingIds })} />
      </Field>
      {onRemove ? (
        <Btn className='gz-btn gz-btn--danger schedule__remove' onClick={onRemove}>
          删除这个项目
        </Btn>
      ) : null}
    </View>
  )
}
