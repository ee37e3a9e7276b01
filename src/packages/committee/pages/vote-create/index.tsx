import { useEffect, useState } from 'react'
import { Input, Picker, Text, Textarea, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { ART278_ITEMS, COUNTING_MAX_DAYS, MAX_MATTERS, isSpecialItem, type VoteDetail, type VoteSetup } from '../../../../contracts/votes'
import { Btn } from '../../../../components/btn'
import { ErrorNote, ErrorView, Loading } from '../../../../components/page-state'
import { useSession } from '../../../../hooks/use-session'
import { messageOf, request } from '../../../../services/request'
import { codeOf } from '../../../../hooks/use-async'
import { DAY_MS, addDays, addDaysIso, beijingDate, beijingToIso, formatDateTime } from '../../../../contracts/time'
import { TextField } from '../../../../components/field'
import { confirmAction, toastSuccess } from '../../../../utils/ui'
import { redirect } from '../../../../routes'
import { Page } from '../../../../components/page'
import './index.scss'

/** Short names for the nine art. 278 items, for the chips; the full wording is shown once chosen. */
export const ITEM_SHORT: Record<number, string> = {
  1: '议事规则',
  2: '管理规约',
  3: '选举业委会',
  4: '选聘解聘物业',
  5: '使用维修资金',
  6: '筹集维修资金',
  7: '改建重建',
  8: '共有部分改用途',
  9: '其他重大事项',
}
const WINDOWS = [7, 15, 30]

/** A Beijing wall-clock date at a given hour as a UTC instant (src/contracts/time). */
export const beijingDateAt = (date: string, hour: number): string => beijingToIso(date, hour)

interface MatterDraft {
  item: number | null
  title: string
  description: string
}

/**
 * Start a vote (committee subpackage): title, what it is about, the scope (whole 小区 or chosen
 * buildings), one or more matters each naming its art. 278 item (the 3/4 or majority rule follows
 * from it), when voting opens (no earlier than the 小区's notice period allows) and how long it
 * runs, and whether paper ballots are taken (then a counting stage of 1–3 days follows the close).
 * Save as a draft (rough is fine: a title is enough), or publish the announcement at once after
 * confirming. The same form edits a draft (mode edit) and corrects an announced vote (mode
 * correct: with the reason, a 更正公告 is published and the notice period starts again).
 */
export default function VoteCreatePage() {
  useSession()
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const voteId = params?.voteId ?? ''
  const mode: 'create' | 'edit' | 'correct' = params?.mode === 'edit' || params?.mode === 'correct' ? params.mode : 'create'

  const [setup, setSetup] = useState<VoteSetup | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [loadCode, setLoadCode] = useState<string | null>(null)
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [scope, setScope] = useState<'whole' | 'buildings'>('whole')
  const [buildingIds, setBuildingIds] = useState<string[]>([])
  const [matters, setMatters] = useState<MatterDraft[]>([{ item: null, title: '', description: '' }])
  const [openDate, setOpenDate] = useState('')
  const [windowDays, setWindowDays] = useState(WINDOWS[0])
  const [acceptsPaper, setAcceptsPaper] = useState(false)
  const [countingDays, setCountingDays] = useState(COUNTING_MAX_DAYS)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function load() {
    setLoadError(null)
    try {
      const s = await request('voteSetup', { communityId })
      // The earliest whole day the notice period allows, if announced (or corrected) today.
      const earliest = beijingDate(addDays(Date.now(), s.noticeDays + 1))
      setOpenDate(earliest)
      if (voteId) fill(await request('getVote', { communityId, voteId }), earliest)
      setSetup(s)
    } catch (err) {
      setLoadError(messageOf(err))
      setLoadCode(codeOf(err))
    }
  }
  /** The form filled from the vote being edited or corrected. */
  function fill(v: VoteDetail, earliest: string) {
    setTitle(v.title)
    setDescription(v.description)
    setScope(v.scope)
    setBuildingIds(v.buildings.map((b) => b.id))
    if (v.matters.length > 0) setMatters(v.matters.map((m) => ({ item: m.item, title: m.title, description: m.description })))
    if (v.opensAt) {
      const day = beijingDate(v.opensAt)
      // A correction restarts the notice period: an opening now too close moves to the earliest allowed.
      setOpenDate(day < earliest ? earliest : day)
    }
    if (v.opensAt && v.closesAt) setWindowDays(Math.round((new Date(v.closesAt).getTime() - new Date(v.opensAt).getTime()) / DAY_MS))
    setAcceptsPaper(v.acceptsPaper)
    if (v.acceptsPaper) setCountingDays(v.countingDays)
  }

  useEffect(() => {
    if (communityId) void load()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load() is a plain function of this render; it runs again only when the 小区 changes
  }, [communityId])

  if (!setup) {
    return <Page title='发起表决'>{loadError ? <ErrorView message={loadError} code={loadCode} onRetry={() => void load()} /> : <Loading />}</Page>
  }

  const opensAt = beijingDateAt(openDate, 8)
  const closesAt = addDaysIso(opensAt, windowDays)
  const setMatter = (i: number, patch: Partial<MatterDraft>) => setMatters((ms) => ms.map((m, j) => (j === i ? { ...m, ...patch } : m)))
  const complete = matters.filter((m) => m.item !== null && m.title.trim())
  const missing = !title.trim()
    ? '请填写表决标题'
    : matters.some((m) => m.item === null)
      ? '请为每个事项选择《民法典》第二百七十八条的类别'
      : matters.some((m) => !m.title.trim())
        ? '请填写每个事项的内容'
        : scope === 'buildings' && buildingIds.length === 0
          ? '请选择楼栋'
          : null

  /** Removes a matter; one with text typed in is removed only after asking. */
  async function removeMatter(i: number) {
    const m = matters[i]
    if ((m.title.trim() || m.description.trim()) && !(await confirmAction({ title: `删除事项 ${i + 1}`, content: '已填写的内容会一并删除。', confirmText: '删除' }))) return
    setMatters((ms) => ms.filter((_, j) => j !== i))
  }

  const fields = () => ({
    communityId,
    title: title.trim(),
    description: description.trim(),
    scope,
    buildingIds: scope === 'buildings' ? buildingIds : [],
    opensAt,
    closesAt,
    matters: complete.map((m) => ({ item: m.item ?? 0, title: m.title.trim(), description: m.description.trim() })),
    acceptsPaper,
    ...(acceptsPaper ? { countingDays } : {}),
  })

  async function correct() {
    if (missing) return setError(missing)
    if (reason.trim().length < 2) return setError('请写明更正原因（会写在更正公告里）')
    const ok = await confirmAction({
      title: '发布更正公告',
      content: `原公告作废，公告期从今天重新计算：表决改为 ${formatDateTime(opensAt)} 开始、${formatDateTime(closesAt)} 截止。确定发布吗？`,
      confirmText: '确定更正',
    })
    if (!ok) return
    setBusy(true)
    setError(null)
    try {
      await request('correctVote', { ...fields(), voteId, reason: reason.trim() })
      toastSuccess('已发布更正公告')
      await redirect('voteDetail', { communityId, voteId })
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  async function submit(announce: boolean) {
    // A draft may be rough (a title is enough); announcing needs everything.
    if (announce ? missing : !title.trim()) return setError(missing)
    if (announce) {
      const ok = await confirmAction({
        title: '发布表决公告',
        content: `公告发布后，表决将于 ${formatDateTime(opensAt)} 开始、${formatDateTime(closesAt)} 截止，事项和时间不能再修改。确定发布吗？`,
        confirmText: '确定发布',
      })
      if (!ok) return
    }
    setBusy(true)
    setError(null)
    try {
      const vote = mode === 'edit' ? await request('updateDraft', { ...fields(), voteId }) : await request('createVote', fields())
      if (announce) await request('announceVote', { communityId, voteId: vote.id })
      toastSuccess(announce ? '已发布公告' : '已保存草稿')
      await redirect('voteDetail', { communityId, voteId: vote.id })
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Page title={mode === 'correct' ? '更正表决公告' : mode === 'edit' ? '修改草稿' : '发起表决'} className='vote-create'>
      <View className='notice-box'>
        表决须在公告发布 {setup.noticeDays} 天后开始，投票期 5–60 天。参与表决的专有部分面积和人数都达到三分之二，表决才有效。
      </View>

      <View className='field'>
        <Text className='field-label'>表决标题</Text>
        <Input className='gz-input' value={title} maxlength={60} placeholder='例如：续聘物业服务企业' onInput={(e) => setTitle(e.detail.value)} />
      </View>
      <View className='field'>
        <Text className='field-label'>说明（可选）</Text>
        <Textarea className='gz-textarea vote-create__text' value={description} maxlength={2000} placeholder='背景、方案、费用等' onInput={(e) => setDescription(e.detail.value)} />
      </View>

      <View className='field'>
        <Text className='field-label'>表决范围</Text>
        <View className='chips'>
          <View className={`chip ${scope === 'whole' ? 'chip--active' : ''}`} onClick={() => setScope('whole')}>
            全体业主
          </View>
          <View className={`chip ${scope === 'buildings' ? 'chip--active' : ''}`} onClick={() => setScope('buildings')}>
            指定楼栋
          </View>
        </View>
        {scope === 'buildings' ? (
          <View className='chips'>
            {setup.buildings.map((b) => (
              <View
                key={b.id}
                className={`chip ${buildingIds.includes(b.id) ? 'chip--active' : ''}`}
                onClick={() => setBuildingIds((ids) => (ids.includes(b.id) ? ids.filter((x) => x !== b.id) : [...ids, b.id]))}
              >
                {b.name}
              </View>
            ))}
          </View>
        ) : null}
      </View>

      {matters.map((m, i) => (
        <View key={i} className='card vote-create__matter'>
          <View className='row'>
            <Text className='card-title'>事项 {i + 1}</Text>
            {matters.length > 1 ? (
              <Text className='vote-create__remove' onClick={() => void removeMatter(i)}>
                删除
              </Text>
            ) : null}
          </View>
          <Text className='field-label'>类别（《民法典》第二百七十八条）</Text>
          <View className='chips'>
            {Object.keys(ITEM_SHORT).map(Number).map((item) => (
              <View key={item} className={`chip vote-create__item ${m.item === item ? 'chip--active' : ''}`} onClick={() => setMatter(i, { item })}>
                {item}. {ITEM_SHORT[item]}
              </View>
            ))}
          </View>
          {m.item !== null ? (
            <Text className='field-hint'>
              第{m.item}项：{ART278_ITEMS[m.item]}。{isSpecialItem(m.item) ? '特别事项：同意的面积和人数都须达到参与表决的四分之三以上。' : '一般事项：同意的面积和人数都须超过参与表决的半数。'}
            </Text>
          ) : null}
          <View className='field'>
            <Text className='field-label'>表决内容</Text>
            <Input className='gz-input' value={m.title} maxlength={60} placeholder='例如：续聘安居物业，服务期三年' onInput={(e) => setMatter(i, { title: e.detail.value })} />
          </View>
          <View className='field'>
            <Text className='field-label'>补充说明（可选）</Text>
            <Textarea className='gz-textarea vote-create__text' value={m.description} maxlength={2000} onInput={(e) => setMatter(i, { description: e.detail.value })} />
          </View>
        </View>
      ))}
      {matters.length < MAX_MATTERS ? (
        <Btn className='gz-btn' onClick={() => setMatters((ms) => [...ms, { item: null, title: '', description: '' }])}>
          增加一个事项
        </Btn>
      ) : null}

      <View className='field vote-create__when'>
        <Text className='field-label'>开始投票</Text>
        <Picker mode='date' value={openDate} start={beijingDate(addDays(Date.now(), setup.noticeDays))} onChange={(e) => setOpenDate(String(e.detail.value))}>
          <View className='gz-input vote-create__picker'>{openDate} 08:00（北京时间）</View>
        </Picker>
        <Text className='field-label vote-create__window'>投票期</Text>
        <View className='chips'>
          {[...new Set([...WINDOWS, windowDays])].sort((a, b) => a - b).map((d) => (
            <View key={d} className={`chip ${d === windowDays ? 'chip--active' : ''}`} onClick={() => setWindowDays(d)}>
              {d} 天
            </View>
          ))}
        </View>
        <Text className='field-hint'>
          {formatDateTime(opensAt)} 开始，{formatDateTime(closesAt)} 截止。截止时自动结束并发布表决结果公告。
        </Text>
      </View>

      <View className='field'>
        <Text className='field-label'>纸质表决票和书面委托</Text>
        <View className='chips'>
          <View className={`chip ${!acceptsPaper ? 'chip--active' : ''}`} onClick={() => setAcceptsPaper(false)}>
            只在线投票
          </View>
          <View className={`chip vote-create__paper ${acceptsPaper ? 'chip--active' : ''}`} onClick={() => setAcceptsPaper(true)}>
            也收纸质票和委托书
          </View>
        </View>
        {acceptsPaper ? (
          <View>
            <Text className='field-label'>计票期</Text>
            <View className='chips'>
              {[1, 2, 3].map((d) => (
                <View key={d} className={`chip ${d === countingDays ? 'chip--active' : ''}`} onClick={() => setCountingDays(d)}>
                  {d} 天
                </View>
              ))}
            </View>
            <Text className='field-hint'>投票截止后进入计票期：业委会录入截止前签署的纸质票和委托书，计票结束后发布结果。空白或无法辨认的纸质票计为无效票，不计为弃权。</Text>
          </View>
        ) : null}
      </View>

      {mode === 'correct' ? <TextField label='更正原因' value={reason} maxlength={500} multiline placeholder='会写在更正公告里' onChange={setReason} /> : null}

      <ErrorNote message={error} />
      {mode === 'correct' ? (
        <Btn className='gz-btn gz-btn--primary vote-create__correct' loading={busy} disabled={busy} onClick={() => void correct()}>
          发布更正公告
        </Btn>
      ) : (
        <>
          <Btn className='gz-btn gz-btn--primary vote-create__announce' loading={busy} disabled={busy} onClick={() => void submit(true)}>
            发布表决公告
          </Btn>
          <Btn className='gz-btn vote-create__save' disabled={busy} onClick={() => void submit(false)}>
            保存草稿
          </Btn>
        </>
      )}
    </Page>
  )
}
