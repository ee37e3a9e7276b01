import { Text, View } from '@tarojs/components'
import { SAME_OWNER_DECISION_LABELS, type RosterDuplicatePair, type RosterDuplicatePerson, type RosterDuplicateWarning, type SameOwnerDecision } from '../../../../contracts/roster-duplicates'
import { Btn } from '../../../../components/btn'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'

/** The preview's warnings: two rows of one name with different contact details, in row order. */
export function DuplicateWarnings({ warnings }: { warnings: RosterDuplicateWarning[] }) {
  if (warnings.length === 0) return null
  return (
    <View className='card roster__dups'>
      <Text className='card-title'>有 {warnings.length} 处同名业主，联系方式不同</Text>
      <Text className='line muted'>名册可以照常导入。导入后请在下方逐一确认是同一个人还是不同的人，投票时按您的确认计算人数。</Text>
      {warnings.map((w, i) => (
        <Text key={i} className='roster__dup-line'>
          {w.message}
        </Text>
      ))}
    </View>
  )
}

function Person({ p }: { p: RosterDuplicatePerson }) {
  return (
    <Text className='line'>
      {p.units.join('、')} · {p.phone ?? '没有电话'} · {p.hasIdDigits ? '有身份证后四位' : '没有身份证后四位'}
      {p.bound ? ' · 已绑定微信' : ''}
    </Text>
  )
}

/**
 * Every two roster owners of one name in the 小区, how a vote opened now would count them, and the
 * committee's decision: 同一人，合并 or 不同的人，分开 (applies to votes opened afterwards; recorded
 * in the audit log).
 */
export function DuplicatePairs({ communityId }: { communityId: string }) {
  const pairs = useAsync(() => request('listRosterDuplicates', { communityId }))
  const submit = useSubmit()

  async function decide(pair: RosterDuplicatePair, decision: SameOwnerDecision) {
    const done = await submit.run(() => request('decideRosterDuplicate', { communityId, personA: pair.a.personId, personB: pair.b.personId, decision }), {
      confirm: {
        title: SAME_OWNER_DECISION_LABELS[decision],
        content:
          decision === 'merge'
            ? `确认两处“${pair.name}”是同一个人？之后开始的表决中，这两处房屋合计一票、人数计 1 人。`
            : `确认两处“${pair.name}”是不同的人？之后开始的表决中，各计一票、人数各计 1 人。`,
        confirmText: '确认',
      },
      success: '已记录',
    })
    if (done) await pairs.reload()
  }

  const list = pairs.data ?? []
  if (pairs.status === 'error' && !pairs.data) return <ErrorNote message={`没能读取同名业主：${pairs.error}`} />
  if (list.length === 0) return null
  const undecided = list.filter((p) => !p.decision && p.automatic !== 'account').length
  return (
    <View className='card roster__dups'>
      <Text className='card-title'>同名业主（{undecided > 0 ? `${undecided} 处待确认` : '均已确认'}）</Text>
      <Text className='line muted'>同一个人的多套房屋投票时合计一票、人数计 1 人；同名的不同业主各计 1 人。您的确认只影响之后开始的表决，并记入审计记录。</Text>
      <ErrorNote message={submit.error} />
      {list.map((pair) => (
        <View key={`${pair.a.personId}+${pair.b.personId}`} className='roster__dup'>
          <Text className='roster__dup-name'>{pair.name}</Text>
          <Person p={pair.a} />
          <Person p={pair.b} />
          <Text className={`line ${pair.decision ? '' : 'muted'}`}>{pair.message}</Text>
          {pair.automatic === 'account' ? null : (
            <View className='row roster__dup-actions'>
              <Btn className={`gz-btn gz-btn--small ${pair.decision === 'merge' ? 'gz-btn--primary' : ''}`} disabled={submit.busy || pair.decision === 'merge'} onClick={() => void decide(pair, 'merge')}>
                {SAME_OWNER_DECISION_LABELS.merge}
              </Btn>
              <Btn className={`gz-btn gz-btn--small ${pair.decision === 'apart' ? 'gz-btn--primary' : ''}`} disabled={submit.busy || pair.decision === 'apart'} onClick={() => void decide(pair, 'apart')}>
                {SAME_OWNER_DECISION_LABELS.apart}
              </Btn>
            </View>
          )}
        </View>
      ))}
    </View>
  )
}
