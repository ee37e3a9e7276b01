import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { OBJECTION_MAX, type ElectorateKind, type MyElectorate } from '../../contracts/objections'
import { formatArea } from '../../contracts/units'
import { Btn } from '../../components/btn'
import { TextField } from '../../components/field'
import { ErrorNote } from '../../components/page-state'
import { useAsync } from '../../hooks/use-async'
import { useSubmit } from '../../hooks/use-submit'
import { request } from '../../services/request'
import { formatDateTime } from '../../utils/time'
import './my-electorate.scss'

const KIND: Record<ElectorateKind, string> = { sole: '本人单独所有', co_owned: '与他人共有', developer: '开发商未售房屋', unknown: '未登记业主的房屋' }

/**
 * 我的表决权: from the announcement on, the owner's own units, area and how they are counted (as
 * the roster stands before opening, as frozen after), the electorate's totals, and before opening
 * a 提出异议 form; the committee's answers below.
 */
export function MyElectorateCard({ ref_ }: { ref_: { communityId: string; voteId: string } }) {
  const data = useAsync(() => request('myElectorate', ref_))
  const [text, setText] = useState('')
  const submit = useSubmit([text])

  async function raise() {
    if (!text.trim()) return submit.fail('请写下您的异议', 'text')
    const done = await submit.run(() => request('raiseObjection', { ...ref_, text }), {
      confirm: { title: '提交异议', content: '异议将交给业委会答复，提交后不能撤回。确定提交吗？', confirmText: '提交' },
      success: '已提交',
    })
    if (done) {
      setText('')
      await data.reload()
    }
  }

  const me: MyElectorate | undefined = data.data
  if (!me) return data.status === 'error' ? <ErrorNote message={`没能读取我的表决权：${data.error}`} /> : null
  if (me.basis === 'none') return null
  return (
    <View className='card my-electorate'>
      <Text className='card-title'>我的表决权</Text>
      <Text className='line muted'>{me.basis === 'forecast' ? '按现在的业主名册计算，开始投票时以当时的名册为准并冻结。' : '开始投票时已按业主名册冻结，之后名册的变动不影响本次表决。'}</Text>
      {me.voters.map((v, i) => (
        <View key={i} className='my-electorate__voter'>
          <Text className='line'>
            {KIND[v.kind]}：{v.units.map((u) => `${u.label}（${formatArea(u.areaCentiM2)} 平方米）`).join('、')}
          </Text>
          <Text className='line'>
            合计 {formatArea(v.areaCentiM2)} 平方米，计 {v.headcount} 人
          </Text>
          <Text className='line muted'>{v.howCounted}</Text>
        </View>
      ))}
      {me.note ? <Text className='line'>{me.note}</Text> : null}
      {me.totals ? (
        <Text className='line muted'>
          全体：专有部分 {me.totals.units} 套，总面积 {formatArea(me.totals.areaCentiM2)} 平方米，业主 {me.totals.headcount} 人。
        </Text>
      ) : null}

      {me.objections.length > 0 ? (
        <View className='my-electorate__objections'>
          <Text className='field-label'>我提出的异议</Text>
          {me.objections.map((o) => (
            <View key={o.id} className='my-electorate__objection'>
              <Text className='line'>
                {formatDateTime(o.raisedAt)}：{o.text}
              </Text>
              <Text className={`line ${o.answer ? '' : 'muted'}`}>{o.answer ? `业委会答复（${formatDateTime(o.answeredAt!)}）：${o.answer}` : '等待业委会答复'}</Text>
            </View>
          ))}
        </View>
      ) : null}

      {me.canObject ? (
        <View className='my-electorate__form'>
          <TextField
            label='提出异议'
            hint={me.objectionNote}
            value={text}
            onChange={setText}
            multiline
            counter
            maxlength={OBJECTION_MAX}
            placeholder='例如：1栋1单元102室的面积应为 90.12 平方米'
            error={submit.errorOf('text')}
          />
          <ErrorNote message={submit.field ? null : submit.error} />
          <Btn className='gz-btn gz-btn--primary' loading={submit.busy} disabled={submit.busy} onClick={() => void raise()}>
            提交异议
          </Btn>
        </View>
      ) : (
        <Text className='line muted'>{me.objectionNote}</Text>
      )}
    </View>
  )
}
