import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { CHOICE_LABELS, PAPER_CHOICES, type BallotChoice, type ElectorateVoter, type VoteDetail } from '../../contracts/votes'
import { beijingDate, beijingToIso, formatDateTime } from '../../contracts/time'
import { Btn } from '../../components/btn'
import { Chips } from '../../components/chips'
import { DateTimePicker, TextField } from '../../components/field'
import { messageOf } from '../../services/request'
import { pickAndUploadEvidence } from '../../services/vote-files'
import { confirmAction } from '../../utils/ui'

/** What enterPaperBallot takes besides the vote. */
export interface PaperEntry {
  voterKey: string
  kind: 'ballot' | 'proxy'
  proxyName?: string
  signedAt?: string
  choices: { matterId: string; choice: BallotChoice }[]
  evidenceRef: string
}

const KIND_OPTIONS = [
  { value: 'ballot' as const, label: '签字的表决票' },
  { value: 'proxy' as const, label: '书面委托（委托书）' },
]
const CHOICE_OPTIONS = PAPER_CHOICES.map((c) => ({ value: c, label: c === 'invalid' ? '无效（空白或无法辨认）' : CHOICE_LABELS[c] }))

/**
 * Entering one paper for one voter (committee): a signed ballot or a written proxy (委托书, with the
 * proxy's name), each matter's choice as written (a blank or spoiled one is 无效, never 弃权), when
 * it was signed (in counting: only papers signed before the close count), and the photo. Confirmed
 * before it is sent; final once entered.
 */
export function PaperForm({ vote, voter, communityId, busy, onSave, onCancel }: { vote: VoteDetail; voter: ElectorateVoter; communityId: string; busy: boolean; onSave: (entry: PaperEntry) => Promise<void>; onCancel: () => void }) {
  const counting = vote.status === 'counting'
  const [kind, setKind] = useState<'ballot' | 'proxy'>('ballot')
  const [proxyName, setProxyName] = useState('')
  const [choices, setChoices] = useState<Record<string, BallotChoice>>({})
  const [evidence, setEvidence] = useState<{ ref: string; name: string } | null>(null)
  // A paper usually carries a date: the closing day at 00:00 unless the paper says otherwise.
  const [signedOn, setSignedOn] = useState(beijingDate(vote.closesAt))
  const [signedTime, setSignedTime] = useState('00:00')
  const [error, setError] = useState<string | null>(null)

  const complete = vote.matters.every((m) => choices[m.id]) && !!evidence && (kind === 'ballot' || !!proxyName.trim())

  async function attachPhoto() {
    setError(null)
    try {
      const up = await pickAndUploadEvidence(communityId, vote.id)
      if (up) setEvidence({ ref: up.evidenceRef, name: up.name })
    } catch (err) {
      setError(messageOf(err))
    }
  }

  async function save() {
    if (!evidence) return
    const signedAt = counting ? beijingToIso(signedOn, signedTime) : undefined
    // Each line ends with punctuation: the browser build's modal shows line breaks as spaces.
    const summary = vote.matters.map((m, i) => `${m.position}. ${m.title}：${CHOICE_LABELS[choices[m.id]]}${i === vote.matters.length - 1 ? '。' : '；'}`).join('\n')
    const who = kind === 'proxy' ? `委托书，受托人 ${proxyName.trim()}；` : ''
    const when = signedAt ? `签署于 ${formatDateTime(signedAt)}；` : ''
    const ok = await confirmAction({ title: kind === 'proxy' ? '录入书面委托' : '录入纸质表决票', content: `${voter.units.join('、')}：${who}${when}\n${summary}\n\n请与纸质票核对无误。录入后不能更改。`, confirmText: '确认录入' })
    if (!ok) return
    await onSave({
      voterKey: voter.voterKey,
      kind,
      ...(kind === 'proxy' ? { proxyName: proxyName.trim() } : {}),
      ...(signedAt ? { signedAt } : {}),
      choices: vote.matters.map((m) => ({ matterId: m.id, choice: choices[m.id] })),
      evidenceRef: evidence.ref,
    })
  }

  return (
    <View className='vote-manage__paper'>
      <Chips options={KIND_OPTIONS} value={kind} onChange={setKind} />
      {kind === 'proxy' ? <TextField label='受托人姓名' value={proxyName} maxlength={40} placeholder='委托书上写的受托人' onChange={setProxyName} /> : null}
      {vote.matters.map((m) => (
        <View key={m.id}>
          <Text className='line'>
            {m.position}. {m.title}
          </Text>
          <Chips options={CHOICE_OPTIONS} value={choices[m.id] ?? null} onChange={(c) => setChoices({ ...choices, [m.id]: c })} />
        </View>
      ))}
      <Btn className='gz-btn' onClick={() => setChoices(Object.fromEntries(vote.matters.map((m) => [m.id, 'invalid' as const])))}>
        整张无效（空白或无法辨认）
      </Btn>
      {counting ? (
        <View className='field'>
          <Text className='field-label'>签署时间（按纸质票填写；只写了日期的，时间填 00:00）</Text>
          <DateTimePicker date={signedOn} time={signedTime} onChange={(d, t) => (setSignedOn(d), setSignedTime(t ?? signedTime))} dateText={`签署日期：${signedOn}`} />
          <Text className='field-hint'>只计入投票结束（{formatDateTime(vote.closesAt)}）之前签署的纸质票。</Text>
        </View>
      ) : null}
      <Btn className='gz-btn vote-manage__photo' onClick={() => void attachPhoto()}>
        {evidence ? `已附照片：${evidence.name}（重拍）` : kind === 'proxy' ? '拍摄或选择委托书照片' : '拍摄或选择签字表决票照片'}
      </Btn>
      {error ? <Text className='field-error'>{error}</Text> : null}
      <Btn className='gz-btn gz-btn--primary vote-manage__save-paper' disabled={!complete || busy} onClick={() => void save()}>
        {complete ? (kind === 'proxy' ? '录入这份委托书' : '录入这张纸质票') : kind === 'proxy' && !proxyName.trim() ? '请填写受托人姓名' : '请选择每个事项并附照片'}
      </Btn>
      <Btn className='gz-btn' onClick={onCancel}>
        取消
      </Btn>
    </View>
  )
}
