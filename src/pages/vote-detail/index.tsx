import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import { ART278_ITEMS, CHOICES, CHOICE_LABELS, VOTE_STATUS_LABELS, type Choice, type MyBallot, type MyVoteStatus, type MyVoter, type ReceiptLookup, type VoteDetail } from '../../contracts/votes'
import { formatArea } from '../../contracts/units'
import { governingBody } from '../../contracts/roles'
import { AsyncView } from '../../components/async-view'
import { Btn } from '../../components/btn'
import { Chips } from '../../components/chips'
import { Page } from '../../components/page'
import { ErrorNote } from '../../components/page-state'
import { MatterBars } from '../../components/vote-bars'
import { useAsync } from '../../hooks/use-async'
import { usePullRefresh } from '../../hooks/use-pull-refresh'
import { useSession } from '../../hooks/use-session'
import { useSubmit } from '../../hooks/use-submit'
import { useVoteRoute } from '../../hooks/use-vote-route'
import { messageOf, request } from '../../services/request'
import { useSessionStore } from '../../stores/session'
import { formatDateTime } from '../../utils/time'
import { confirmAction } from '../../utils/ui'
import { STATUS_BADGE, whenText } from '../../utils/votes'
import { go, switchTo } from '../../routes'
import { MyElectorateCard } from './my-electorate'
import './index.scss'

const VOTER_KIND: Record<MyVoter['kind'], string> = { sole: '本人名下房屋', co_owned: '共有房屋（共有人投一票）', developer: '开发商未售房屋（合计一票）' }
const CHOICE_OPTIONS = CHOICES.map((c) => ({ value: c, label: CHOICE_LABELS[c] }))
/** A vote that is not found stays so however often one retries: the way back to 议事. */
const TO_VOTES = { text: '返回议事', onClick: () => switchTo('votes') }

function Receipt({ ballot, coOwned }: { ballot: MyBallot; coOwned: boolean }) {
  // A co-owned unit has one ballot: the co-owner who did not cast it sees that the unit has voted, and when.
  const title = ballot.channel === 'paper' ? '已录入纸质表决票' : ballot.castByMe === false && coOwned ? '这套共有房屋已由共有人投票' : '您已投票'
  return (
    <View className='vote-receipt'>
      <Text className='vote-receipt__title'>{title}</Text>
      <Text className='line'>回执码</Text>
      <Text className='vote-receipt__code'>{ballot.receiptCode}</Text>
      <Text className='line muted'>{formatDateTime(ballot.castAt)} 提交。表决结果公告会列出全部回执码和选择（不含姓名），您可以凭回执码核对自己的票已被计入。</Text>
      <Btn className='gz-btn gz-btn--small' onClick={() => void Taro.setClipboardData({ data: ballot.receiptCode })}>
        复制回执码
      </Btn>
    </View>
  )
}

/**
 * One vote: what is decided and by which rule, my units and my ballot (one choice per matter,
 * confirmed before it is sent, final once cast, with a receipt), live progress against the
 * quorum and the pass line by area and by headcount, and after the close the result.
 */
export default function VoteDetailPage() {
  useSession()
  const { communityId, voteId, ref } = useVoteRoute()
  const data = useAsync(
    async () => {
      const [vote, progress, mine] = await Promise.all([request('getVote', ref), request('voteProgress', ref), request('myVote', ref)])
      return { vote, progress, mine }
    },
    { auto: !!communityId && !!voteId },
  )
  usePullRefresh(() => data.reload())
  const body = governingBody(useSessionStore((s) => s.me?.communities.find((c) => c.id === communityId)?.governance))

  async function openPrintable() {
    try {
      const sheet = await request('voteResult', ref)
      if (process.env.TARO_ENV === 'h5') {
        const w = window.open('', '_blank')
        if (w) {
          w.document.write(sheet.html)
          w.document.close()
        }
      } else {
        void Taro.showModal({ title: '打印结果', content: `请在电脑浏览器中登录后打开本页打印，或由${body}导出 Excel 表格。`, showCancel: false })
      }
    } catch (err) {
      void Taro.showToast({ title: messageOf(err), icon: 'none' })
    }
  }

  if (!data.data) {
    return (
      <Page>
        <AsyncView status={data.status} error={data.error} code={data.code} onRetry={() => void data.reload()} away={TO_VOTES} />
      </Page>
    )
  }
  const { vote, progress, mine } = data.data
  const scope = vote.scope === 'whole' ? '全体业主' : `${vote.buildings.map((b) => b.name).join('、')}业主`
  return (
    <Page className='vote-detail'>
      <View className='row'>
        <Text className={`badge ${STATUS_BADGE[vote.status]}`}>{VOTE_STATUS_LABELS[vote.status]}</Text>
        {vote.canManage ? (
          <Text className='vote-detail__manage' onClick={() => go('voteManage', ref)}>
            管理表决 ›
          </Text>
        ) : null}
      </View>
      <Text className='page-title'>{vote.title}</Text>
      {/* A failed refresh keeps the last figures on screen, and says they could not be updated. */}
      <ErrorNote message={data.status === 'error' ? `没能刷新：${data.error}` : null} />
      <Text className='line muted'>{whenText(vote)}</Text>
      <Text className='line muted'>表决范围：{scope}</Text>
      {vote.description ? <Text className='line'>{vote.description}</Text> : null}

      <View className='card'>
        <Text className='card-title'>表决事项</Text>
        {vote.matters.map((m) => (
          <View key={m.id} className='vote-detail__matter'>
            <Text className='vote-detail__matter-title'>
              {m.position}. {m.title}
            </Text>
            <Text className='line muted'>
              《民法典》第二百七十八条第{m.item}项（{ART278_ITEMS[m.item]}）· {m.class === 'special' ? '特别事项，须四分之三同意' : '一般事项，须过半数同意'}
            </Text>
            {m.description ? <Text className='line'>{m.description}</Text> : null}
          </View>
        ))}
      </View>

      {vote.status !== 'draft' ? <MyElectorateCard ref_={ref} /> : null}

      {vote.status === 'counting' ? (
        <View className='notice-box vote-detail__counting'>
          计票中：投票已于 {formatDateTime(vote.closesAt)} 结束，{vote.countingEndsAt ? `最晚 ${formatDateTime(vote.countingEndsAt)} ` : ''}
          公布结果。业委会正在录入投票结束前签署的纸质表决票和委托书，下面的进度还不是最终结果。
        </View>
      ) : null}
      {vote.status === 'cancelled' ? (
        <View className='notice-box'>
          这次表决已撤销，不再投票。
          {vote.cancelNoticeId ? (
            <Text className='vote-detail__link' onClick={() => go('noticeDetail', { id: vote.cancelNoticeId!, communityId })}>
              查看撤销公告 ›
            </Text>
          ) : null}
        </View>
      ) : vote.status === 'open' || vote.status === 'counting' || vote.status === 'closed' ? (
        <MyBallots vote={vote} mine={mine} ref_={ref} onCast={() => data.reload()} />
      ) : (
        <View className='notice-box'>
          表决公告期内，{formatDateTime(vote.opensAt)} 开始投票。{vote.correctionNoticeId ? '公告已更正，以更正公告为准。' : ''}
          {vote.acceptsPaper ? `也可交纸质表决票或书面委托，投票结束后有 ${vote.countingDays} 天计票期。` : ''}
        </View>
      )}

      {progress.matters.length > 0 ? (
        <View className='card vote-detail__progress'>
          <Text className='card-title'>{progress.final ? '表决结果' : vote.status === 'counting' ? '计票进度（未最终）' : '投票进度'}</Text>
          <Text className='line muted'>
            {progress.final ? `${formatDateTime(progress.asOf)} 结束时的最终结果` : `截至 ${formatDateTime(progress.asOf)}`}
            。面积按登记面积；一户多套计 1 人，开发商未售房屋合计 1 人。
          </Text>
          {progress.matters.map((m) => (
            <MatterBars key={m.matterId} m={m} final={progress.final} />
          ))}
          {progress.conflicts > 0 ? <Text className='line muted'>{progress.conflicts} 户同时提交了纸质票和线上票，按线上票计。</Text> : null}
          {vote.resultNoticeId ? (
            <Btn className='gz-btn' onClick={() => go('noticeDetail', { id: vote.resultNoticeId!, communityId })}>
              查看表决结果公告
            </Btn>
          ) : null}
          {vote.status === 'closed' ? (
            <Btn className='gz-btn' onClick={() => void openPrintable()}>
              打印结果（张贴用）
            </Btn>
          ) : null}
        </View>
      ) : null}

      {vote.status === 'open' || vote.status === 'counting' || vote.status === 'closed' ? <ReceiptCheck ref_={ref} /> : null}
    </Page>
  )
}

/** My voters (my own units, a co-owned unit, the developer's) with a ballot form or the receipt of the ballot cast. */
function MyBallots({ vote, mine, ref_, onCast }: { vote: VoteDetail; mine: MyVoteStatus; ref_: { communityId: string; voteId: string }; onCast: () => Promise<unknown> }) {
  const [choices, setChoices] = useState<Record<string, Record<string, Choice>>>({})
  const [casting, setCasting] = useState<string | null>(null)
  const submit = useSubmit()

  async function cast(voter: MyVoter) {
    const picked = choices[voter.voterKey] ?? {}
    // Each matter ends with its own punctuation: the browser build's modal shows line breaks as spaces.
    const summary = vote.matters.map((m, i) => `${m.position}. ${m.title}：${CHOICE_LABELS[picked[m.id]]}${i === vote.matters.length - 1 ? '。' : '；'}`).join('\n')
    const ok = await confirmAction({
      title: '确认提交表决票',
      content: `${summary}\n\n这张票计入 ${voter.units.length} 套房屋（合计 ${formatArea(voter.areaCentiM2)} 平方米）。提交后不能更改。`,
      confirmText: '确认提交',
    })
    if (!ok) return
    setCasting(voter.voterKey)
    await submit.run(
      () =>
        request('castBallot', {
          ...ref_,
          ...(mine.voters.length > 1 ? { voterKey: voter.voterKey } : {}),
          confirmed: true,
          choices: vote.matters.map((m) => ({ matterId: m.id, choice: picked[m.id] })),
        }),
      { success: '投票成功' },
    )
    // Cast, or refused because it was already cast (another device, a co-owner): show the ballot that counts.
    await onCast()
    setCasting(null)
  }

  return (
    <View className='card vote-detail__mine'>
      <Text className='card-title'>我的表决票</Text>
      {mine.voters.length === 0 ? <Text className='line muted'>您在本次表决范围内没有登记的房屋（以开始投票时的业主名册为准）。</Text> : null}
      <ErrorNote message={submit.error} />
      {mine.voters.map((voter) => {
        const picked = choices[voter.voterKey] ?? {}
        const complete = vote.matters.every((m) => picked[m.id])
        return (
          <View key={voter.voterKey} className='vote-detail__voter'>
            <Text className='line'>
              {VOTER_KIND[voter.kind]}：{voter.units.map((u) => u.label).join('、')}
            </Text>
            <Text className='line muted'>
              共 {voter.units.length} 套，合计 {formatArea(voter.areaCentiM2)} 平方米，计 1 人
            </Text>
            {voter.ballot ? (
              <Receipt ballot={voter.ballot} coOwned={voter.kind === 'co_owned'} />
            ) : vote.status === 'open' ? (
              <View className='vote-detail__form'>
                {vote.matters.map((m) => (
                  <View key={m.id} className='vote-detail__choice'>
                    <Text className='line'>
                      {m.position}. {m.title}
                    </Text>
                    <Chips
                      chipClassName='vote-detail__chip'
                      options={CHOICE_OPTIONS}
                      value={picked[m.id] ?? null}
                      onChange={(c) => setChoices((all) => ({ ...all, [voter.voterKey]: { ...picked, [m.id]: c } }))}
                    />
                  </View>
                ))}
                <Btn className='gz-btn gz-btn--primary vote-detail__submit' disabled={!complete || casting !== null} loading={casting === voter.voterKey} onClick={() => void cast(voter)}>
                  {complete ? '提交表决票' : '请为每个事项选择'}
                </Btn>
              </View>
            ) : (
              <Text className='line muted'>未投票。</Text>
            )}
          </View>
        )
      })}
    </View>
  )
}

/** Anyone can check that a receipt code was counted, and with which choices (never whose it is). */
function ReceiptCheck({ ref_ }: { ref_: { communityId: string; voteId: string } }) {
  const [code, setCode] = useState('')
  const [lookup, setLookup] = useState<ReceiptLookup | null>(null)
  const submit = useSubmit([code])

  async function check() {
    setLookup(null)
    const found = await submit.run(() => request('lookupReceipt', { ...ref_, receiptCode: code.trim() }))
    if (found) setLookup(found)
  }

  return (
    <View className='card'>
      <Text className='card-title'>查询回执</Text>
      <Input className='gz-input' value={code} placeholder='输入回执码，如 7K2QM-9XHDA' maxlength={11} onInput={(e) => setCode(e.detail.value)} onConfirm={() => void check()} />
      <Btn className='gz-btn' disabled={code.trim().length < 10} onClick={() => void check()}>
        查询
      </Btn>
      <ErrorNote message={submit.error} />
      {lookup ? (
        <View className='vote-detail__lookup'>
          <Text className='line'>
            {lookup.receiptCode}（{lookup.channel === 'online' ? '线上' : '纸质'}，{lookup.castOn}）{lookup.counted ? '已计入' : '未计入：该户的线上票已计入'}
          </Text>
          {lookup.choices.map((c) => (
            <Text key={c.matterId} className='line'>
              {c.position}. {c.title}：{CHOICE_LABELS[c.choice]}
            </Text>
          ))}
        </View>
      ) : null}
    </View>
  )
}
