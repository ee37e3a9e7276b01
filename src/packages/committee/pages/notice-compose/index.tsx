import { useEffect, useState } from 'react'
import { Image, Input, Picker, Text, Textarea, View } from '@tarojs/components'
import Taro, { useRouter } from '@tarojs/taro'
import {
  BODY_MAX,
  DEFAULT_POSTING_DAYS,
  IMMUTABLE_KINDS,
  MAX_ATTACHMENTS,
  MAX_IMAGES,
  NOTICE_KINDS,
  TITLE_MAX,
  type NoticeDetail,
  type NoticeFileInfo,
  type NoticeKind,
  type PublisherOption,
} from '../../../../contracts/notices'
import { ROLE_LABELS } from '../../../../contracts/common'
import { Btn } from '../../../../components/btn'
import { NoticeView, type NoticeViewModel } from '../../../../components/notice-view'
import { ErrorNote, ErrorView, Loading } from '../../../../components/page-state'
import { useSession } from '../../../../hooks/use-session'
import { fileSrc, pickImages, pickPdf, uploadNoticeFile } from '../../../../services/notice-files'
import { messageOf, request } from '../../../../services/request'
import { formatDateTime, inShanghai } from '../../../../utils/time'
import { confirmAction, toastSuccess } from '../../../../utils/ui'
import './index.scss'

const DAY_MS = 86_400_000
const POSTING_CHOICES = [DEFAULT_POSTING_DAYS, 15, 30]
type Expiry = 'none' | '7' | '30' | 'date'

/** A Beijing wall-clock date and time ("2026-12-01", "08:00") as a UTC instant; China keeps UTC+8 all year. */
export function beijingToIso(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number)
  const [hh, mm] = time.split(':').map(Number)
  return new Date(Date.UTC(y, m - 1, d, hh - 8, mm)).toISOString()
}

interface Draft {
  role: PublisherOption['role'] | null
  kind: NoticeKind
  title: string
  body: string
  images: NoticeFileInfo[]
  attachments: NoticeFileInfo[]
  postingDays: number
  schedule: boolean
  date: string
  time: string
  expiry: Expiry
  expiryDate: string
  /** In an edit, the expiry is sent only when the editor changed it, so saving new text never moves it. */
  expiryTouched: boolean
  pinned: boolean
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
  const tomorrow = inShanghai(new Date(Date.now() + DAY_MS)).format('YYYY-MM-DD')

  const [options, setOptions] = useState<PublisherOption[]>([])
  const [original, setOriginal] = useState<NoticeDetail | null>(null)
  const [loadState, setLoadState] = useState<'loading' | 'ready' | 'error'>('loading')
  const [loadError, setLoadError] = useState<string | null>(null)
  const [draft, setDraft] = useState<Draft>({
    role: null,
    kind: '公告',
    title: '',
    body: '',
    images: [],
    attachments: [],
    postingDays: DEFAULT_POSTING_DAYS,
    schedule: false,
    date: tomorrow,
    time: '08:00',
    expiry: 'none',
    expiryDate: inShanghai(new Date(Date.now() + 30 * DAY_MS)).format('YYYY-MM-DD'),
    expiryTouched: false,
    pinned: false,
  })
  const [previewing, setPreviewing] = useState(false)
  const [uploading, setUploading] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))

  async function load() {
    setLoadState('loading')
    setLoadError(null)
    try {
      const opts = await request('noticePublisherOptions', { communityId })
      setOptions(opts)
      const baseId = editId || correctsId
      const base = baseId ? await request('getNotice', { communityId, noticeId: baseId }) : null
      setOriginal(base)
      // A notice still scheduled keeps its time unless the editor changes it: saving new words must not publish it early.
      const scheduledAt = editId && base && new Date(base.publishAt).getTime() > Date.now() ? inShanghai(base.publishAt) : null
      setDraft((d) => ({
        ...d,
        role: (opts.find((o) => o.name === base?.publisherName) ?? opts[0])?.role ?? null,
        ...(base
          ? {
              kind: base.kind,
              title: correctsId ? `${base.title}（更正）`.slice(0, TITLE_MAX) : base.title,
              body: base.body,
              images: editId ? base.images : [],
              attachments: editId ? base.attachments : [],
              pinned: base.pinned,
              expiry: base.expiresAt ? 'date' : 'none',
              expiryDate: base.expiresAt ? inShanghai(base.expiresAt).format('YYYY-MM-DD') : d.expiryDate,
              ...(scheduledAt ? { schedule: true, date: scheduledAt.format('YYYY-MM-DD'), time: scheduledAt.format('HH:mm') } : {}),
            }
          : {}),
      }))
      setLoadState('ready')
    } catch (err) {
      setLoadError(messageOf(err))
      setLoadState('error')
    }
  }

  useEffect(() => {
    if (communityId) void load()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load() is a plain function of this render; it runs again only when the notice being composed changes
  }, [communityId, editId, correctsId])

  const mode: 'new' | 'edit' | 'correct' = editId ? 'edit' : correctsId ? 'correct' : 'new'
  const stillScheduled = mode === 'edit' && !!original && new Date(original.publishAt).getTime() > Date.now()
  const canSchedule = mode === 'new' || stillScheduled
  const publisher = options.find((o) => o.role === draft.role) ?? options[0]

  function publishAtIso(): string {
    if (mode === 'edit' && original && !stillScheduled) return original.publishAt
    if (!canSchedule || !draft.schedule) return new Date().toISOString()
    // The pickers hold minutes: an untouched date and time keep the original instant to the millisecond.
    if (mode === 'edit' && original) {
      const was = inShanghai(original.publishAt)
      if (was.format('YYYY-MM-DD') === draft.date && was.format('HH:mm') === draft.time) return original.publishAt
    }
    return beijingToIso(draft.date, draft.time)
  }

  function expiresAtIso(publishAt: string): string | null {
    if (mode === 'edit' && original && !draft.expiryTouched) return original.expiresAt
    // The server gives a 欠费公示 without an end date one of 30 days; the preview says so too.
    if (draft.expiry === 'none') return draft.kind === '欠费公示' ? new Date(new Date(publishAt).getTime() + 30 * DAY_MS).toISOString() : null
    if (draft.expiry === 'date') return beijingToIso(draft.expiryDate, '23:59')
    return new Date(new Date(publishAt).getTime() + Number(draft.expiry) * DAY_MS).toISOString()
  }

  /** The draft as residents will see it. */
  function previewModel(): NoticeViewModel {
    const publishAt = publishAtIso()
    return {
      kind: draft.kind,
      title: draft.title.trim() || '（未填写标题）',
      body: draft.body.trim() || '（未填写正文）',
      publisherName: publisher?.name ?? '',
      publishAt,
      postingEndsAt:
        draft.kind === '公示' ? (mode === 'edit' && original?.postingEndsAt ? original.postingEndsAt : new Date(new Date(publishAt).getTime() + draft.postingDays * DAY_MS).toISOString()) : null,
      expiresAt: expiresAtIso(publishAt),
      pinned: draft.pinned,
      images: draft.images,
      attachments: draft.attachments,
      version: 1,
      corrects: mode === 'correct' && original ? { id: original.id, title: original.title } : null,
      correctedBy: null,
      revisions: [],
    }
  }

  async function addImages() {
    setError(null)
    try {
      const picked = await pickImages(MAX_IMAGES - draft.images.length)
      for (const [i, f] of picked.entries()) {
        setUploading(`正在上传第 ${i + 1} / ${picked.length} 张图片…`)
        const info = await uploadNoticeFile(communityId, 'image', f)
        setDraft((d) => ({ ...d, images: [...d.images, info].slice(0, MAX_IMAGES) }))
      }
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setUploading(null)
    }
  }

  async function addPdf() {
    setError(null)
    try {
      const picked = await pickPdf()
      if (!picked) return
      setUploading('正在上传 PDF…')
      const info = await uploadNoticeFile(communityId, 'attachment', picked)
      setDraft((d) => ({ ...d, attachments: [...d.attachments, info] }))
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setUploading(null)
    }
  }

  function validate(): string | null {
    if (!draft.title.trim()) return '请填写标题'
    if (!draft.body.trim()) return '请填写正文'
    if (canSchedule && draft.schedule && new Date(beijingToIso(draft.date, draft.time)).getTime() <= Date.now()) return '定时发布的时间必须晚于现在'
    return null
  }

  async function submit() {
    const problem = validate()
    if (problem) {
      setError(problem)
      return
    }
    const model = previewModel()
    const scheduled = canSchedule && draft.schedule
    const immutable = (IMMUTABLE_KINDS as readonly string[]).includes(draft.kind)
    const content =
      mode === 'edit'
        ? '保存后住户看到的是新内容，原来的内容会保留在修改记录里，住户也能看到。确定保存吗？'
        : `${scheduled ? `将于 ${formatDateTime(model.publishAt)} 发布，` : '发布后'}本小区住户都能看到。${
            immutable ? `${draft.kind}发布后不能修改或撤回，如有错误只能发布更正。` : ''
          }确定${scheduled ? '定时发布' : '发布'}吗？`
    const ok = await confirmAction({ title: mode === 'edit' ? '确认保存修改' : mode === 'correct' ? '确认发布更正' : '确认发布', content, confirmText: mode === 'edit' ? '保存' : '发布' })
    if (!ok) return
    setBusy(true)
    setError(null)
    try {
      let id: string
      if (mode === 'edit' && original) {
        await request('editNotice', {
          communityId,
          noticeId: original.id,
          expectedVersion: original.version,
          title: draft.title.trim(),
          body: draft.body.trim(),
          imageIds: draft.images.map((f) => f.id),
          attachmentIds: draft.attachments.map((f) => f.id),
          ...(draft.expiryTouched ? { expiresAt: model.expiresAt } : {}),
          ...(stillScheduled ? { publishAt: model.publishAt } : {}),
        })
        id = original.id
      } else {
        const res = await request('publishNotice', {
          communityId,
          kind: draft.kind,
          title: draft.title.trim(),
          body: draft.body.trim(),
          imageIds: draft.images.map((f) => f.id),
          attachmentIds: draft.attachments.map((f) => f.id),
          ...(scheduled ? { publishAt: model.publishAt } : {}),
          // The minimum period is counted by the server from its own publish time: sending our clock's
          // "now + 7 days" would fall a moment short of it. Only a longer period or a scheduled one is sent.
          ...(draft.kind === '公示' && (scheduled || draft.postingDays > DEFAULT_POSTING_DAYS) ? { postingEndsAt: model.postingEndsAt! } : {}),
          ...(model.expiresAt ? { expiresAt: model.expiresAt } : {}),
          pinned: draft.pinned,
          ...(mode === 'correct' ? { correctsNoticeId: correctsId } : {}),
          ...(publisher ? { asRole: publisher.role } : {}),
        })
        id = res.id
      }
      toastSuccess(mode === 'edit' ? '已保存' : scheduled ? '已定时' : '已发布')
      await Taro.redirectTo({ url: `/pages/notice-detail/index?id=${encodeURIComponent(id)}&communityId=${encodeURIComponent(communityId)}` })
    } catch (err) {
      setError(messageOf(err))
      setPreviewing(false)
    } finally {
      setBusy(false)
    }
  }

  const pageTitle = mode === 'edit' ? '修改公告' : mode === 'correct' ? '发布更正' : '发布公告'
  if (!communityId) {
    return (
      <View className='page'>
        <Text className='page-title'>{pageTitle}</Text>
        <ErrorView message='没有指定小区，请从公告页进入。' />
      </View>
    )
  }
  if (loadState !== 'ready') {
    return (
      <View className='page'>
        <Text className='page-title'>{pageTitle}</Text>
        {loadState === 'error' ? <ErrorView message={loadError ?? ''} onRetry={() => void load()} /> : <Loading />}
      </View>
    )
  }

  if (previewing) {
    return (
      <View className='page compose'>
        <Text className='page-title'>预览</Text>
        <Text className='page-subtitle'>住户看到的就是下面这样：</Text>
        <NoticeView notice={previewModel()} />
        <ErrorNote message={error} />
        <Btn className='gz-btn gz-btn--primary' loading={busy} disabled={busy} onClick={() => void submit()}>
          {mode === 'edit' ? '保存修改' : canSchedule && draft.schedule ? '定时发布' : '发布'}
        </Btn>
        <Btn className='gz-btn' disabled={busy} onClick={() => setPreviewing(false)}>
          返回修改
        </Btn>
      </View>
    )
  }

  const kindLocked = mode !== 'new'
  return (
    <View className='page compose'>
      <Text className='page-title'>{pageTitle}</Text>
      {mode === 'correct' && original ? (
        <View className='notice-box'>
          更正《{original.title}》：发布后原{original.kind}会显示“已被更正”并链接到这条更正，原内容保持不变。
        </View>
      ) : null}

      {options.length > 1 ? (
        <View className='field'>
          <Text className='field-label'>以谁的名义发布</Text>
          <View className='chips'>
            {options.map((o) => (
              <View key={o.role} className={`chip ${o.role === draft.role ? 'chip--active' : ''}`} onClick={() => set({ role: o.role })}>
                {o.name}（{ROLE_LABELS[o.role]}）
              </View>
            ))}
          </View>
        </View>
      ) : publisher ? (
        <Text className='page-subtitle'>发布单位：{publisher.name}</Text>
      ) : null}

      <View className='field'>
        <Text className='field-label'>类型</Text>
        <View className='chips'>
          {NOTICE_KINDS.filter((k) => !kindLocked || k === draft.kind).map((k) => (
            <View key={k} className={`chip ${k === draft.kind ? 'chip--active' : ''}`} onClick={() => !kindLocked && set({ kind: k })}>
              {k}
            </View>
          ))}
        </View>
        {(IMMUTABLE_KINDS as readonly string[]).includes(draft.kind) ? (
          <Text className='field-hint compose__warn'>{draft.kind}发布后不能修改或撤回，只能发布更正。请仔细核对。</Text>
        ) : null}
      </View>

      <View className='field'>
        <Text className='field-label'>标题</Text>
        <Input className='gz-input' value={draft.title} maxlength={TITLE_MAX} placeholder='例如：关于外墙维修方案的公示' onInput={(e) => set({ title: e.detail.value })} />
        <Text className='field-hint'>
          {draft.title.length} / {TITLE_MAX} 字
        </Text>
      </View>

      <View className='field'>
        <Text className='field-label'>正文</Text>
        <Textarea className='gz-textarea compose__body' value={draft.body} maxlength={BODY_MAX} placeholder='换行即分段。不要写住户姓名和手机号。' onInput={(e) => set({ body: e.detail.value })} />
        <Text className='field-hint'>
          {draft.body.length} / {BODY_MAX} 字 · 不能出现住户姓名、手机号或身份证号
        </Text>
      </View>

      <View className='field'>
        <Text className='field-label'>
          图片（{draft.images.length} / {MAX_IMAGES}）
        </Text>
        <View className='compose__images'>
          {draft.images.map((f) => (
            <View key={f.id} className='compose__thumb'>
              <Image className='compose__thumb-img' src={fileSrc(f.url)} mode='aspectFill' />
              <Text className='compose__thumb-remove' onClick={() => set({ images: draft.images.filter((x) => x.id !== f.id) })}>
                删除
              </Text>
            </View>
          ))}
        </View>
        {draft.images.length < MAX_IMAGES ? (
          <Btn className='gz-btn' disabled={!!uploading} onClick={() => void addImages()}>
            添加图片
          </Btn>
        ) : null}
        <Text className='field-hint'>JPEG、PNG 或 WebP，每张不超过 5 MB</Text>
      </View>

      <View className='field'>
        <Text className='field-label'>PDF 附件（{draft.attachments.length} / {MAX_ATTACHMENTS}）</Text>
        {draft.attachments.map((f) => (
          <View key={f.id} className='row compose__file'>
            <Text className='compose__file-name'>{f.fileName}</Text>
            <Text className='compose__thumb-remove' onClick={() => set({ attachments: draft.attachments.filter((x) => x.id !== f.id) })}>
              删除
            </Text>
          </View>
        ))}
        {draft.attachments.length < MAX_ATTACHMENTS ? (
          <Btn className='gz-btn' disabled={!!uploading} onClick={() => void addPdf()}>
            添加 PDF
          </Btn>
        ) : null}
        <Text className='field-hint'>PDF 文件，不超过 20 MB</Text>
      </View>
      {uploading ? <View className='notice-box'>{uploading}</View> : null}

      {draft.kind === '公示' && mode !== 'edit' ? (
        <View className='field'>
          <Text className='field-label'>公示期</Text>
          <View className='chips'>
            {POSTING_CHOICES.map((days) => (
              <View key={days} className={`chip ${days === draft.postingDays ? 'chip--active' : ''}`} onClick={() => set({ postingDays: days })}>
                {days} 天
              </View>
            ))}
          </View>
          <Text className='field-hint'>公示期不少于 {DEFAULT_POSTING_DAYS} 天，期间不会下架。</Text>
        </View>
      ) : null}

      {canSchedule ? (
        <View className='field'>
          <Text className='field-label'>发布时间</Text>
          <View className='chips'>
            <View className={`chip ${!draft.schedule ? 'chip--active' : ''}`} onClick={() => set({ schedule: false })}>
              立即发布
            </View>
            {/* A correction is never scheduled (canSchedule is false for it): it must stand beside the original at once. */}
            <View className={`chip ${draft.schedule ? 'chip--active' : ''}`} onClick={() => set({ schedule: true })}>
              定时发布
            </View>
          </View>
          {draft.schedule ? (
            <View className='compose__when'>
              <Picker mode='date' value={draft.date} start={inShanghai(new Date()).format('YYYY-MM-DD')} onChange={(e) => set({ date: String(e.detail.value) })}>
                <View className='gz-input compose__picker'>日期：{draft.date}</View>
              </Picker>
              <Picker mode='time' value={draft.time} onChange={(e) => set({ time: String(e.detail.value) })}>
                <View className='gz-input compose__picker'>时间：{draft.time}（北京时间）</View>
              </Picker>
            </View>
          ) : null}
        </View>
      ) : null}

      <View className='field'>
        <Text className='field-label'>有效期</Text>
        <View className='chips'>
          {(
            [
              ['none', '长期有效'],
              ['7', '7 天'],
              ['30', '30 天'],
              ['date', '指定日期'],
            ] as [Expiry, string][]
          ).map(([v, label]) => (
            <View key={v} className={`chip ${v === draft.expiry ? 'chip--active' : ''}`} onClick={() => set({ expiry: v, expiryTouched: true })}>
              {label}
            </View>
          ))}
        </View>
        {draft.expiry === 'date' ? (
          <Picker mode='date' value={draft.expiryDate} start={inShanghai(new Date()).format('YYYY-MM-DD')} onChange={(e) => set({ expiryDate: String(e.detail.value), expiryTouched: true })}>
            <View className='gz-input compose__picker'>到 {draft.expiryDate} 当天结束</View>
          </Picker>
        ) : null}
        <Text className='field-hint'>过期后不再出现在公告列表，仍可在“已过期”里查到。{draft.kind === '欠费公示' ? '欠费公示不选时默认 30 天。' : ''}</Text>
      </View>

      {mode === 'new' ? (
        <View className='field'>
          <Text className='field-label'>置顶</Text>
          <View className='chips'>
            <View className={`chip ${!draft.pinned ? 'chip--active' : ''}`} onClick={() => set({ pinned: false })}>
              不置顶
            </View>
            <View className={`chip ${draft.pinned ? 'chip--active' : ''}`} onClick={() => set({ pinned: true })}>
              置顶
            </View>
          </View>
          <Text className='field-hint'>最多同时置顶 3 条。</Text>
        </View>
      ) : null}

      <ErrorNote message={error} />
      <Btn className='gz-btn gz-btn--primary' disabled={busy || !!uploading} onClick={() => setPreviewing(true)}>
        预览
      </Btn>
      <Btn className='gz-btn' loading={busy} disabled={busy || !!uploading} onClick={() => void submit()}>
        {mode === 'edit' ? '保存修改' : '直接发布'}
      </Btn>
    </View>
  )
}
