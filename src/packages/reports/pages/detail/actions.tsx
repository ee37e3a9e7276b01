import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { REPORT_HANDLER_LABELS, REPORT_HANDLERS, REPORT_MESSAGE_MAX, REPORT_REOPEN_MAX, type ReportDetail, type ReportHandler, type ReportPhoto } from '../../../../contracts/reports'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Field, TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { PhotoPicker } from '../../photos'

interface Props {
  report: ReportDetail
  onDone: (report: ReportDetail) => void
}

const STARS = [1, 2, 3, 4, 5].map((n) => ({ value: n, label: `${n} 星` }))

/** The reporter, once the report is resolved: confirm with a 1–5 rating, or ask for it to be handled again with a reason. */
export function ReporterActions({ report, onDone }: Props) {
  const [rating, setRating] = useState<number | null>(null)
  const [comment, setComment] = useState('')
  const [reason, setReason] = useState('')
  const submit = useSubmit([rating, comment, reason])
  const ref = { communityId: report.communityId, reportId: report.id }
  const left = REPORT_REOPEN_MAX - report.reopenCount

  async function confirm() {
    if (!rating) return submit.fail('请先给处理结果打分（1 到 5 星）', 'rating')
    const out = await submit.run(() => request('confirmReport', { ...ref, rating, comment: comment.trim() || undefined }), {
      confirm: { title: '确认已解决', content: `评分 ${rating} 星。确认后这条报事就办结了，不能再要求重新处理。`, confirmText: '确认' },
      success: '已确认',
    })
    if (out) onDone(out)
  }
  async function reopen() {
    if (!reason.trim()) return submit.fail('请写明还有什么问题没有解决', 'reason')
    const content = left > 0 ? `将退回重新处理（还可以退回 ${left} 次）。` : '已经退回过 2 次，这次将转交社区协调处理。'
    const out = await submit.run(() => request('reopenReport', { ...ref, reason: reason.trim() }), { confirm: { title: '要求重新处理', content, confirmText: '提交' }, success: '已提交' })
    if (out) onDone(out)
  }

  return (
    <View className='card report-reporter'>
      <Text className='card-title'>问题解决了吗？</Text>
      <Text className='line muted'>7 天内没有确认的，系统会自动确认办结（不评分）。</Text>
      {report.actions.includes('confirm') ? (
        <>
          <Field label='给处理结果打分' error={submit.errorOf('rating')}>
            <Chips options={STARS} value={rating} onChange={setRating} />
          </Field>
          <TextField label='评价（可不填）' value={comment} onChange={setComment} maxlength={200} placeholder='例如：师傅很及时' />
          <Btn className='gz-btn gz-btn--primary report-reporter__confirm' loading={submit.busy} disabled={submit.busy} onClick={() => void confirm()}>
            已解决，确认办结
          </Btn>
        </>
      ) : null}
      {report.actions.includes('reopen') ? (
        <>
          <View className='divider' />
          <TextField label='没有解决？写明原因' multiline value={reason} onChange={setReason} maxlength={200} error={submit.errorOf('reason')} placeholder='例如：水管还在漏' />
          <Btn className='gz-btn gz-btn--danger' disabled={submit.busy} onClick={() => void reopen()}>
            {left > 0 ? '没解决，要求重新处理' : '没解决，转交社区'}
          </Btn>
        </>
      ) : null}
      <ErrorNote message={submit.field ? null : submit.error} />
    </View>
  )
}

const STEP_WORDS = { accept: '受理', start: '开始处理', resolve: '办结' } as const
type Step = keyof typeof STEP_WORDS

/** The body the report is routed to: accept, start, resolve (each with optional words and photos), or reply. */
export function HandlerActions({ report, onDone }: Props) {
  const [message, setMessage] = useState('')
  const [photos, setPhotos] = useState<ReportPhoto[]>([])
  const [progress, setProgress] = useState<string | null>(null)
  const submit = useSubmit([message, photos])
  const base = { communityId: report.communityId, reportId: report.id, photoIds: photos.length ? photos.map((p) => p.id) : undefined }
  const steps = (['accept', 'start', 'resolve'] as Step[]).filter((s) => report.actions.includes(s))

  async function done(out: ReportDetail | undefined) {
    if (!out) return
    setMessage('')
    setPhotos([])
    onDone(out)
  }
  const step = async (s: Step) =>
    done(
      await submit.run(
        () => request(s === 'accept' ? 'acceptReport' : s === 'start' ? 'startReport' : 'resolveReport', { ...base, message: message.trim() || undefined }),
        s === 'resolve'
          ? { confirm: { title: '办结这条报事', content: '报事人会收到确认请求，可以确认或要求重新处理。建议附上处理后的照片。', confirmText: '办结' }, success: '已办结' }
          : { success: `已${STEP_WORDS[s]}` },
      ),
    )
  async function reply() {
    if (!message.trim()) return submit.fail('请填写回复内容', 'message')
    await done(await submit.run(() => request('replyReport', { ...base, message: message.trim() }), { success: '已回复' }))
  }

  return (
    <View className='card report-handle'>
      <Text className='card-title'>处理这条报事</Text>
      <TextField label='说明或回复' multiline counter maxlength={REPORT_MESSAGE_MAX} value={message} onChange={setMessage} error={submit.errorOf('message')} placeholder='例如：已安排师傅下午上门' />
      <PhotoPicker communityId={report.communityId} photos={photos} onChange={(u) => setPhotos(u)} progress={progress} onProgress={setProgress} onError={(m) => submit.fail(m)} label='处理照片' />
      <ErrorNote message={submit.field ? null : submit.error} />
      {steps.map((s) => (
        <Btn key={s} className={`gz-btn ${s === 'resolve' || steps.length === 1 ? 'gz-btn--primary' : ''} report-handle__${s}`} loading={submit.busy} disabled={submit.busy || !!progress} onClick={() => void step(s)}>
          {STEP_WORDS[s]}
        </Btn>
      ))}
      {report.actions.includes('reply') ? (
        <Btn className='gz-btn report-handle__reply' disabled={submit.busy || !!progress} onClick={() => void reply()}>
          只回复，不改状态
        </Btn>
      ) : null}
    </View>
  )
}

/** Officers: hand the report to the property service, the committee or the community office. */
export function Reassign({ report, onDone }: Props) {
  const [handler, setHandler] = useState<ReportHandler | null>(null)
  const [message, setMessage] = useState('')
  const submit = useSubmit([handler, message])
  async function send() {
    if (!handler) return submit.fail('请选择转交给谁')
    const out = await submit.run(() => request('reassignReport', { communityId: report.communityId, reportId: report.id, handler, message: message.trim() || undefined }), {
      confirm: { title: '转交报事', content: `转交给${REPORT_HANDLER_LABELS[handler]}处理。`, confirmText: '转交' },
      success: '已转交',
    })
    if (out) onDone(out)
  }
  return (
    <View className='card report-reassign'>
      <Text className='card-title'>转交（社区工作人员）</Text>
      <Text className='line muted'>现在由{report.handlerLabel}处理。</Text>
      <Chips options={REPORT_HANDLERS.filter((h) => h !== report.handler).map((h) => ({ value: h, label: REPORT_HANDLER_LABELS[h] }))} value={handler} onChange={setHandler} />
      <TextField label='说明（可不填）' value={message} onChange={setMessage} maxlength={REPORT_MESSAGE_MAX} />
      <ErrorNote message={submit.error} />
      <Btn className='gz-btn' loading={submit.busy} disabled={submit.busy} onClick={() => void send()}>
        转交
      </Btn>
    </View>
  )
}
