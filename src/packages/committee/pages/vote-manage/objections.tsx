import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { ANSWER_MAX, type ObjectionForCommittee } from '../../../../contracts/objections'
import { Btn } from '../../../../components/btn'
import { TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { formatDateTime } from '../../../../utils/time'
import './objections.scss'

/**
 * 业主异议 (issue 8 item 5): owners' objections to their electorate entry, unanswered first, each
 * with who raised it and their units; the committee answers each once, and the owner sees it.
 */
export function ObjectionsCard({ ref_ }: { ref_: { communityId: string; voteId: string } }) {
  const list = useAsync(() => request('voteObjections', ref_))
  const items = list.data ?? []
  if (list.status === 'error' && !list.data) return <ErrorNote message={`没能读取业主异议：${list.error}`} />
  if (items.length === 0) return null
  const open = items.filter((o) => !o.answer).length
  return (
    <View className='card vote-objections'>
      <Text className='card-title'>业主异议（{open > 0 ? `${open} 条待答复` : '均已答复'}）</Text>
      <Text className='line muted'>业主对本人登记情况（房屋、面积、计票方式）提出的异议。答复后业主在表决页可以看到，答复不能修改。</Text>
      {items.map((o) => (
        <Objection key={o.id} o={o} ref_={ref_} onAnswered={() => list.reload()} />
      ))}
    </View>
  )
}

function Objection({ o, ref_, onAnswered }: { o: ObjectionForCommittee; ref_: { communityId: string; voteId: string }; onAnswered: () => Promise<unknown> }) {
  const [answer, setAnswer] = useState('')
  const submit = useSubmit([answer])

  async function send() {
    if (!answer.trim()) return submit.fail('请写下答复', 'answer')
    const done = await submit.run(() => request('answerObjection', { ...ref_, objectionId: o.id, answer }), {
      confirm: { title: '提交答复', content: '答复提交后不能修改，业主会在表决页看到。确定提交吗？', confirmText: '提交' },
      success: '已答复',
    })
    if (done) {
      setAnswer('')
      await onAnswered()
    }
  }

  return (
    <View className='vote-objections__item'>
      <Text className='line'>
        {o.raisedByName || '业主'}
        {o.units.length > 0 ? `（${o.units.join('、')}）` : ''} · {formatDateTime(o.raisedAt)}
      </Text>
      <Text className='line'>{o.text}</Text>
      {o.answer ? (
        <Text className='line muted'>
          已答复（{o.answeredByName ?? ''}，{formatDateTime(o.answeredAt!)}）：{o.answer}
        </Text>
      ) : (
        <View>
          <TextField label='答复' value={answer} onChange={setAnswer} multiline counter maxlength={ANSWER_MAX} placeholder='例如：已核对不动产登记，面积更正为 90.12 平方米' error={submit.errorOf('answer')} />
          <ErrorNote message={submit.field ? null : submit.error} />
          <Btn className='gz-btn gz-btn--primary' loading={submit.busy} disabled={submit.busy} onClick={() => void send()}>
            提交答复
          </Btn>
        </View>
      )}
    </View>
  )
}
