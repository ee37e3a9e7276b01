import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { useRouter } from '@tarojs/taro'
import { BODY_MAX, DEFAULT_POSTING_DAYS, IMMUTABLE_KINDS, NOTICE_KINDS, TITLE_MAX, type NoticeDetail, type PublisherOption } from '../../../../contracts/notices'
import { roleLabel } from '../../../../contracts/roles'
import { beijingDate, formatDateTime } from '../../../../contracts/time'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { DateTimePicker, Field, TextField } from '../../../../components/field'
import { NoticeView } from '../../../../components/notice-view'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSession } from '../../../../hooks/use-session'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { useSessionStore } from '../../../../stores/session'
import { confirmAction } from '../../../../utils/ui'
import { redirect, switchTo } from '../../../../routes'
import { Attachments } from './attachments'
import { EXPIRY_CHOICES, POSTING_CHOICES, canSchedule, draftFrom, emptyDraft, isScheduled, previewModel, problemOf, publishAtIso, type Composer, type Draft, type Mode } from './draft'
import './index.scss'

export { beijingToIso } from '../../../../contracts/time'

const isImmutable = (kind: string) => (IMMUTABLE_KINDS as readonly string[]).includes(kind)

/** The words of the confirmation before sending: when it goes out, and what can never be changed. */
function confirmation(c: Composer, publishAt: string) {
  const scheduled = canSchedule(c) && c.draft.schedule
  const content =
    c.mode === 'edit'
      ? '保存后住户看到的是新内容，原来的内容会保留在修改记录里，住户也能看到。确定保存吗？'
      : `${scheduled ? `将于 ${formatDateTime(publishAt)} 发布，` : '发布后'}本小区住户都能看到。${
          isImmutable(c.draft.kind) ? `${c.draft.kind}发布后不能修改或撤回，如有错误只能发布更正。` : ''
        }确定${scheduled ? '定时发布' : '发布'}吗？`
  return { title: c.mode === 'edit' ? '确认保存修改' : c.mode === 'correct' ? '确认发布更正' : '确认发布', content, confirmText: c.mode === 'edit' ? '保存' : '发布' }
}

/**
 * Compose a notice (committee subpackage): kind, title, text, up to 9 photos and PDF attachments,
 * posting period for a 公示, now or later, expiry, pinning. 预览 shows it exactly as residents will
 * read it (the same component as the detail page); publishing asks for confirmation first.
 * `?noticeId=` edits an editable notice; `?correctsId=` publishes a correction of a 公示 or 财务公开.
 */
export default function NoticeComposePage() {
  useSession()
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const editId = params?.noticeId ?? ''
  const correctsId = params?.correctsId ?? ''
  const mode: Mode = editId ? 'edit' : correctsId ? 'correct' : 'new'
  const governance = useSessionStore((s) => s.me?.communities.find((c) => c.id === communityId)?.governance)

  const [draft, setDraft] = useState<Draft>(() => emptyDraft(Date.now()))
  const [previewing, setPreviewing] = useState(false)
  const [uploading, setUploading] = useState<string | null>(null)
  const submit = useSubmit([draft])
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))

  const loaded = useAsync(
    async (): Promise<{ options: PublisherOption[]; original: NoticeDetail | null }> => {
      const options = await request('noticePublisherOptions', { communityId })
      const baseId = editId || correctsId
      const original = baseId ? await request('getNotice', { communityId, noticeId: baseId }) : null
      setDraft((d) => draftFrom(d, options, original, mode, Date.now()))
      return { options, original }
    },
    { auto: false },
  )
  useEffect(() => {
    if (communityId) void loaded.reload({ fresh: true })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [communityId, editId, correctsId])

  const pageTitle = mode === 'edit' ? '修改公告' : mode === 'correct' ? '发布更正' : '发布公告'
  if (!communityId || !loaded.data) {
    return (
      <Page title={pageTitle}>
        {communityId ? (
          <AsyncView status={loaded.status} error={loaded.error} code={loaded.code} onRetry={() => void loaded.reload()} />
        ) : (
          <AsyncView status='error' error='没有指定小区，请从公告页进入。' away={{ text: '去公告', onClick: () => switchTo('notices') }} />
        )}
      </Page>
    )
  }

  const { options, original } = loaded.data
  const publisher = options.find((o) => o.role === draft.role) ?? options[0]
  const composer = (): Composer => ({ draft, mode, original, publisherName: publisher?.name ?? '', now: Date.now() })
  const schedulable = canSchedule(composer())
  const stillScheduled = mode === 'edit' && !!original && isScheduled(original, Date.now())

  async function send() {
    const c = composer()
    const problem = problemOf(c)
    if (problem) return submit.fail(problem)
    const model = previewModel(c)
    const scheduled = schedulable && draft.schedule
    if (!(await confirmAction(confirmation(c, publishAtIso(c))))) return
    const files = { title: draft.title.trim(), body: draft.body.trim(), imageIds: draft.images.map((f) => f.id), attachmentIds: draft.attachments.map((f) => f.id) }
    const id = await submit.run(
      async () => {
        if (mode === 'edit' && original) {
          await request('editNotice', {
            communityId,
            noticeId: original.id,
            expectedVersion: original.version,
            ...files,
            ...(draft.expiryTouched ? { expiresAt: model.expiresAt } : {}),
            ...(stillScheduled ? { publishAt: model.publishAt } : {}),
          })
          return original.id
        }
        const res = await request('publishNotice', {
          communityId,
          kind: draft.kind,
          ...files,
          ...(scheduled ? { publishAt: model.publishAt } : {}),
          // The minimum period is counted by the server from its own publish time: sending our clock's
          // "now + 7 days" would fall a moment short of it. Only a longer period or a scheduled one is sent.
          ...(draft.kind === '公示' && (scheduled || draft.postingDays > DEFAULT_POSTING_DAYS) ? { postingEndsAt: model.postingEndsAt! } : {}),
          ...(model.expiresAt ? { expiresAt: model.expiresAt } : {}),
          pinned: draft.pinned,
          ...(mode === 'correct' ? { correctsNoticeId: correctsId } : {}),
          ...(publisher ? { asRole: publisher.role } : {}),
        })
        return res.id
      },
      { success: mode === 'edit' ? '已保存' : scheduled ? '已定时' : '已发布' },
    )
    // A refusal is shown on the form, where it can be fixed.
    if (id) await redirect('noticeDetail', { id, communityId })
    else setPreviewing(false)
  }

  if (previewing) {
    return (
      <Page title='预览' subtitle='住户看到的就是下面这样：' className='compose'>
        <NoticeView notice={previewModel(composer())} />
        <ErrorNote message={submit.error} />
        <Btn className='gz-btn gz-btn--primary' loading={submit.busy} disabled={submit.busy} onClick={() => void send()}>
          {mode === 'edit' ? '保存修改' : schedulable && draft.schedule ? '定时发布' : '发布'}
        </Btn>
        <Btn className='gz-btn' disabled={submit.busy} onClick={() => setPreviewing(false)}>
          返回修改
        </Btn>
      </Page>
    )
  }

  const today = beijingDate(Date.now())
  return (
    <Page title={pageTitle} className='compose' subtitle={options.length <= 1 && publisher ? `发布单位：${publisher.name}` : undefined}>
      {mode === 'correct' && original ? (
        <View className='notice-box'>
          更正《{original.title}》：发布后原{original.kind}会显示“已被更正”并链接到这条更正，原内容保持不变。
        </View>
      ) : null}

      {options.length > 1 ? (
        <Field label='以谁的名义发布'>
          <Chips options={options.map((o) => ({ value: o.role, label: `${o.name}（${roleLabel(o.role, governance)}）` }))} value={draft.role} onChange={(role) => set({ role })} />
        </Field>
      ) : null}

      <Field label='类型' hint={isImmutable(draft.kind) ? <Text className='compose__warn'>{draft.kind}发布后不能修改或撤回，只能发布更正。请仔细核对。</Text> : undefined}>
        <Chips options={NOTICE_KINDS.filter((k) => mode === 'new' || k === draft.kind)} value={draft.kind} onChange={(kind) => set({ kind })} disabled={mode !== 'new'} />
      </Field>

      <TextField label='标题' value={draft.title} maxlength={TITLE_MAX} counter placeholder='例如：关于外墙维修方案的公示' onChange={(title) => set({ title })} />
      <TextField
        label='正文'
        multiline
        inputClassName='compose__body'
        value={draft.body}
        maxlength={BODY_MAX}
        counter
        hint='不能出现住户姓名、手机号或身份证号'
        placeholder='换行即分段。不要写住户姓名和手机号。'
        onChange={(body) => set({ body })}
      />

      <Attachments
        communityId={communityId}
        images={draft.images}
        attachments={draft.attachments}
        onImages={(update) => setDraft((d) => ({ ...d, images: update(d.images) }))}
        onAttachments={(update) => setDraft((d) => ({ ...d, attachments: update(d.attachments) }))}
        onUploading={setUploading}
        onError={(message) => submit.fail(message)}
        uploading={!!uploading}
      />
      {uploading ? <View className='notice-box'>{uploading}</View> : null}

      {draft.kind === '公示' && mode !== 'edit' ? (
        <Field label='公示期' hint={`公示期不少于 ${DEFAULT_POSTING_DAYS} 天，期间不会下架。`}>
          <Chips options={POSTING_CHOICES.map((days) => ({ value: days, label: `${days} 天` }))} value={draft.postingDays} onChange={(postingDays) => set({ postingDays })} />
        </Field>
      ) : null}

      {schedulable ? (
        <Field label='发布时间'>
          {/* A correction is never scheduled (canSchedule is false for it): it must stand beside the original at once. */}
          <Chips
            options={[
              { value: false, label: '立即发布' },
              { value: true, label: '定时发布' },
            ]}
            value={draft.schedule}
            onChange={(schedule) => set({ schedule })}
          />
          {draft.schedule ? <DateTimePicker className='compose__when' date={draft.date} time={draft.time} start={today} onChange={(date, time) => set({ date, time: time ?? draft.time })} /> : null}
        </Field>
      ) : null}

      <Field label='有效期' hint={`过期后不再出现在公告列表，仍可在“已过期”里查到。${draft.kind === '欠费公示' ? '欠费公示不选时默认 30 天。' : ''}`}>
        <Chips options={EXPIRY_CHOICES} value={draft.expiry} onChange={(expiry) => set({ expiry, expiryTouched: true })} />
        {draft.expiry === 'date' ? (
          <DateTimePicker date={draft.expiryDate} start={today} dateText={`到 ${draft.expiryDate} 当天结束`} onChange={(expiryDate) => set({ expiryDate, expiryTouched: true })} />
        ) : null}
      </Field>

      {mode === 'new' ? (
        <Field label='置顶' hint='最多同时置顶 3 条。'>
          <Chips
            options={[
              { value: false, label: '不置顶' },
              { value: true, label: '置顶' },
            ]}
            value={draft.pinned}
            onChange={(pinned) => set({ pinned })}
          />
        </Field>
      ) : null}

      <ErrorNote message={submit.error} />
      <Btn className='gz-btn gz-btn--primary' disabled={submit.busy || !!uploading} onClick={() => setPreviewing(true)}>
        预览
      </Btn>
      <Btn className='gz-btn' loading={submit.busy} disabled={submit.busy || !!uploading} onClick={() => void send()}>
        {mode === 'edit' ? '保存修改' : '直接发布'}
      </Btn>
    </Page>
  )
}
