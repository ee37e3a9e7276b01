import { useEffect, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import {
  VOTE_STATUS_LABELS,
  type ConflictInfo,
  type ElectorateVoter,
  type VoteDetail,
  type VoteProgress,
} from '../../../../contracts/votes'
import { formatArea } from '../../../../contracts/units'
import { Btn } from '../../../../components/btn'
import { ErrorNote, ErrorView, Loading } from '../../../../components/page-state'
import { MatterBars } from '../../../../components/vote-bars'
import { useSession } from '../../../../hooks/use-session'
import { useVoteRoute } from '../../../../hooks/use-vote-route'
import { messageOf, request } from '../../../../services/request'
import { codeOf } from '../../../../hooks/use-async'
import { saveExport } from '../../../../services/vote-files'
import { formatDateTime } from '../../../../utils/time'
import { confirmAction, toastSuccess } from '../../../../utils/ui'
import { STATUS_BADGE, whenText } from '../../../../utils/votes'
import { Page } from '../../../../components/page'
import { go, redirect, switchTo } from '../../../../routes'
import { TextField } from '../../../../components/field'
import { PaperForm, type PaperEntry } from '../../vote-paper-form'
import { ObjectionsCard } from './objections'
import './index.scss'

/** Voters shown at a time: a large 小区 has thousands; more come at the bottom or with the button. */
export const VOTERS_PAGE = 30

const KIND_LABEL: Record<ElectorateVoter['kind'], string> = { sole: '业主', co_owned: '共有', developer: '开发商未售', unknown: '名册无业主' }

/**
 * Running a vote (committee subpackage): edit, delete or announce a draft; correct or cancel an
 * announced vote; follow turnout by voter (who has voted, never how); enter a signed paper ballot,
 * a written proxy or an invalid paper with its photo (while open, and in the counting stage for
 * papers signed before the close); finish counting; see online/paper conflicts; and after the
 * close export the result as Excel or print it for the notice board.
 */
export default function VoteManagePage() {
  useSession()
  const { communityId, voteId, ref } = useVoteRoute()

  const [vote, setVote] = useState<VoteDetail | null>(null)
  const [progress, setProgress] = useState<VoteProgress | null>(null)
  const [voters, setVoters] = useState<ElectorateVoter[]>([])
  const [conflicts, setConflicts] = useState<ConflictInfo[]>([])
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loadCode, setLoadCode] = useState<string | null>(null)
  const [filter, setFilter] = useState('')
  const [onlyPending, setOnlyPending] = useState(true)
  const [limit, setLimit] = useState(VOTERS_PAGE)
  const [paperFor, setPaperFor] = useState<string | null>(null)
  const [cancelling, setCancelling] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function load() {
    setLoadError(null)
    try {
      const [v, p, e, c] = await Promise.all([
        request('getVote', ref),
        request('voteProgress', ref),
        request('voteElectorate', ref),
        request('voteConflicts', ref),
      ])
      setVote(v)
      setProgress(p)
      setVoters(e)
      setConflicts(c)
    } catch (err) {
      setLoadError(messageOf(err))
      setLoadCode(codeOf(err))
    }
  }
  useEffect(() => {
    if (communityId && voteId) void load()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load() is a plain function of this render; it runs again only when the vote changes
  }, [communityId, voteId])
  usePullDownRefresh(() => {
    void load().finally(() => Taro.stopPullDownRefresh())
  })
  useReachBottom(() => setLimit((l) => l + VOTERS_PAGE))
  // A new search or filter starts again from the top of the list.
  useEffect(() => setLimit(VOTERS_PAGE), [filter, onlyPending])

  async function run(label: string, fn: () => Promise<unknown>) {
    setBusy(true)
    setError(null)
    try {
      await fn()
      toastSuccess(label)
      await load()
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  async function announce() {
    if (!vote) return
    const ok = await confirmAction({ title: '发布表决公告', content: `表决将于 ${formatDateTime(vote.opensAt)} 开始。公告发布后事项和时间不能再修改。`, confirmText: '确定发布' })
    if (ok) await run('已发布公告', () => request('announceVote', ref))
  }

  async function savePaper(entry: PaperEntry) {
    await run(entry.kind === 'proxy' ? '已录入委托书' : '已录入', async () => {
      const res = await request('enterPaperBallot', { ...ref, ...entry })
      setPaperFor(null)
      if (res.conflict) void Taro.showModal({ title: '该户已在线投票', content: `纸质票已保存（回执码 ${res.receiptCode}），但按线上票计入。`, showCancel: false })
    })
  }

  async function removeDraft() {
    const ok = await confirmAction({ title: '删除草稿', content: `删除草稿「${vote?.title}」？业主从未看到过它，删除记录会留在审计日志中。`, confirmText: '删除' })
    if (!ok) return
    setBusy(true)
    setError(null)
    try {
      await request('deleteDraft', ref)
      toastSuccess('已删除草稿')
      await redirect('votes')
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  async function cancelVote() {
    if (reason.trim().length < 2) return setError('请写明撤销原因（会写在撤销公告里）')
    const ok = await confirmAction({ title: '撤销表决', content: `将发布撤销公告，表决「${vote?.title}」不再进行。撤销后不能恢复。`, confirmText: '确定撤销' })
    if (ok) await run('已撤销并发布公告', () => request('cancelVote', { ...ref, reason: reason.trim() }).then(() => setCancelling(false)))
  }

  async function finishCounting() {
    const ok = await confirmAction({
      title: '结束计票并公布结果',
      content: '请确认投票结束前签署的纸质票和委托书已全部录入。结束后不能再录入，表决结果公告会立即发布。',
      confirmText: '结束计票',
    })
    if (ok) await run('已结束计票并公布结果', () => request('finishCounting', ref))
  }

  async function exportXlsx() {
    await run('已导出', async () => saveExport(await request('exportVoteResult', ref)))
  }

  async function print() {
    try {
      const sheet = await request('voteResult', ref)
      if (process.env.TARO_ENV === 'h5') {
        const w = window.open('', '_blank')
        w?.document.write(sheet.html)
        w?.document.close()
        w?.print()
      } else {
        void Taro.showModal({ title: '打印结果', content: '请导出 Excel 后打印，或在电脑浏览器中打开本页打印。', showCancel: false })
      }
    } catch (err) {
      setError(messageOf(err))
    }
  }

  if (!vote || !progress) {
    return (
      <Page>
        {loadError ? (
          <ErrorView message={loadError} code={loadCode} onRetry={() => void load()} away={{ text: '返回议事', onClick: () => switchTo('votes') }} />
        ) : (
          <Loading />
        )}
      </Page>
    )
  }

  const now = Date.now()
  const shown = voters.filter((v) => (!onlyPending || (!v.online && !v.paper)) && (!filter || v.units.some((u) => u.includes(filter)) || v.names.some((n) => n.includes(filter))))
  const voted = voters.filter((v) => v.online || v.paper).length
  const paperOpen = vote.status === 'open' || vote.status === 'counting'

  return (
    <Page className='vote-manage'>
      <Text className={`badge ${STATUS_BADGE[vote.status]}`}>{VOTE_STATUS_LABELS[vote.status]}</Text>
      <Text className='page-title'>{vote.title}</Text>
      <Text className='line muted'>{whenText(vote)}</Text>
      {/* A failed refresh keeps the last figures on screen, and says they could not be updated. */}
      <ErrorNote message={loadError ? `没能刷新：${loadError}` : null} />
      <ErrorNote message={error} />

      {/* Before voting starts there is no turnout yet: say what will be here and when. */}
      {vote.status === 'draft' ? (
        <View className='notice-box'>
          这是草稿，业主还看不到。
          {vote.missing?.length ? `发布前还需要填写：${vote.missing.join('、')}。` : `发布表决公告后，表决于 ${formatDateTime(vote.opensAt)} 开始。`}
        </View>
      ) : null}
      {vote.status === 'counting' ? (
        <View className='notice-box vote-manage__counting'>
          计票中：请录入投票结束（{formatDateTime(vote.closesAt)}）前签署的纸质表决票和委托书。{vote.countingEndsAt ? `${formatDateTime(vote.countingEndsAt)} 自动结束计票并公布结果；` : ''}全部录入后也可以现在结束计票。
        </View>
      ) : null}
      {vote.status === 'cancelled' ? <View className='notice-box'>这次表决已撤销，撤销公告已发布。</View> : null}
      {vote.status === 'announced' ? (
        <View className='notice-box'>公告期内。{formatDateTime(vote.opensAt)} 开始投票后，这里会显示每户是否已投票，并可录入纸质表决票。</View>
      ) : null}
      {vote.status === 'draft' ? (
        <View>
          <Btn className='gz-btn gz-btn--primary' disabled={busy || !!vote.missing?.length} onClick={() => void announce()}>
            发布表决公告
          </Btn>
          <Btn className='gz-btn vote-manage__edit' disabled={busy} onClick={() => go('voteCreate', { communityId, voteId, mode: 'edit' })}>
            修改草稿
          </Btn>
          <Btn className='gz-btn vote-manage__delete' disabled={busy} onClick={() => void removeDraft()}>
            删除草稿
          </Btn>
        </View>
      ) : null}
      {vote.status === 'announced' ? (
        <View>
          <Btn className='gz-btn vote-manage__correct' disabled={busy} onClick={() => go('voteCreate', { communityId, voteId, mode: 'correct' })}>
            更正表决公告（公告期重新计算）
          </Btn>
          {cancelling ? (
            <View className='card'>
              <TextField label='撤销原因' value={reason} maxlength={500} multiline placeholder='会写在撤销公告里' onChange={setReason} />
              <Btn className='gz-btn gz-btn--primary vote-manage__cancel-confirm' disabled={busy} onClick={() => void cancelVote()}>
                发布撤销公告
              </Btn>
              <Btn className='gz-btn' onClick={() => setCancelling(false)}>
                不撤销
              </Btn>
            </View>
          ) : (
            <Btn className='gz-btn vote-manage__cancel' disabled={busy} onClick={() => setCancelling(true)}>
              撤销表决
            </Btn>
          )}
        </View>
      ) : null}
      {vote.status === 'announced' && new Date(vote.opensAt).getTime() <= now ? (
        <Btn className='gz-btn gz-btn--primary' disabled={busy} onClick={() => void run('已开始投票', () => request('openVote', ref))}>
          开始投票
        </Btn>
      ) : null}
      {vote.status === 'open' && new Date(vote.closesAt).getTime() <= now ? (
        <Btn className='gz-btn gz-btn--primary' disabled={busy} onClick={() => void run(vote.acceptsPaper ? '已结束投票，开始计票' : '已结束并公布结果', () => request('closeVote', ref))}>
          {vote.acceptsPaper ? '结束投票，开始计票' : '结束投票并公布结果'}
        </Btn>
      ) : null}
      {vote.status === 'counting' ? (
        <Btn className='gz-btn gz-btn--primary vote-manage__finish' disabled={busy} onClick={() => void finishCounting()}>
          结束计票并公布结果
        </Btn>
      ) : null}
      {vote.status === 'closed' ? (
        <View>
          <Btn className='gz-btn gz-btn--primary vote-manage__export' disabled={busy} onClick={() => void exportXlsx()}>
            导出 Excel
          </Btn>
          <Btn className='gz-btn' onClick={() => void print()}>
            打印结果（张贴用）
          </Btn>
        </View>
      ) : null}

      {vote.status !== 'draft' ? <ObjectionsCard ref_={ref} /> : null}

      {progress.matters.length > 0 ? (
        <View className='card'>
          <Text className='card-title'>{progress.final ? '表决结果' : '投票进度'}</Text>
          {progress.matters.map((m) => (
            <MatterBars key={m.matterId} m={m} final={progress.final} />
          ))}
        </View>
      ) : null}

      {conflicts.length > 0 ? (
        <View className='card'>
          <Text className='card-title'>重复提交（{conflicts.length} 户）</Text>
          <Text className='line muted'>这些户既有纸质票又在线投票，按线上票计入；纸质票保留备查。</Text>
          {conflicts.map((c) => (
            <Text key={c.voterKey} className='line'>
              {c.units.join('、')}：{c.paperReceipt ? `纸质回执 ${c.paperReceipt}` : '纸质票在线上票之后，不计入'}
            </Text>
          ))}
        </View>
      ) : null}

      {voters.length > 0 ? (
        <View className='card'>
          <Text className='card-title'>
            投票情况（已投 {voted} / 共 {voters.length} 人）
          </Text>
          <Text className='line muted'>只显示是否已投，不显示选择。开始投票时的业主名册为准。</Text>
          <Input className='gz-input' value={filter} placeholder='按房号或姓名查找' onInput={(e) => setFilter(e.detail.value.trim())} />
          <View className='chips'>
            <View className={`chip ${onlyPending ? 'chip--active' : ''}`} onClick={() => setOnlyPending(true)}>
              未投票
            </View>
            <View className={`chip ${!onlyPending ? 'chip--active' : ''}`} onClick={() => setOnlyPending(false)}>
              全部
            </View>
          </View>
          {shown.slice(0, limit).map((v) => (
            <View key={v.voterKey} className='vote-manage__voter'>
              <View className='row'>
                <Text className='vote-manage__units'>{v.units.join('、')}</Text>
                <Text className={`badge ${v.online || v.paper ? 'badge--approved' : 'badge--pending'}`}>
                  {v.online && v.paper ? '线上+纸质' : v.online ? '已线上投票' : v.paper ? '已录纸质票' : '未投票'}
                </Text>
              </View>
              <Text className='line muted'>
                {KIND_LABEL[v.kind]}
                {v.names.length ? `：${v.names.join('、')}` : ''} · {formatArea(v.areaCentiM2)} ㎡
              </Text>
              {paperOpen && !v.paper ? (
                paperFor === v.voterKey ? (
                  <PaperForm vote={vote} voter={v} communityId={communityId} busy={busy} onSave={savePaper} onCancel={() => setPaperFor(null)} />
                ) : (
                  <Btn className='gz-btn gz-btn--small vote-manage__enter-paper' onClick={() => setPaperFor(v.voterKey)}>
                    录入纸质票或委托书
                  </Btn>
                )
              ) : null}
            </View>
          ))}
          {shown.length === 0 ? <Text className='line muted'>没有符合条件的业主。</Text> : null}
          {shown.length > limit ? (
            <Btn className='gz-btn vote-manage__more' onClick={() => setLimit((l) => l + VOTERS_PAGE)}>
              再显示 {Math.min(VOTERS_PAGE, shown.length - limit)} 户（还有 {shown.length - limit} 户）
            </Btn>
          ) : null}
        </View>
      ) : null}
    </Page>
  )
}
