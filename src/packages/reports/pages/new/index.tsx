import { useEffect, useRef, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, REPORT_DESCRIPTION_MAX, REPORT_TARGETS_NOTE, type ReportCategory } from '../../../../contracts/reports'
import { AsyncView } from '../../../../components/async-view'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { Field, TextField } from '../../../../components/field'
import { Page } from '../../../../components/page'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useCommunityParam } from '../../../../hooks/use-community-param'
import { useSubmit } from '../../../../hooks/use-submit'
import { request } from '../../../../services/request'
import { go, redirect } from '../../../../routes'
import { TARGETS_TEXT } from '../../../../utils/reports'
import { PhotoPicker } from '../../photos'
import { clearDraft, emptyDraft, loadDraft, saveDraft, toInput, type ReportDraft } from '../../../../utils/report-draft'
import '../../reports.scss'

const CATEGORY_HINTS: Record<ReportCategory, string> = {
  cleaning: '垃圾、卫生', security: '门禁、巡逻、消防', greening: '树木、草坪', repair: '水电、门窗、电梯',
  parking: '占道、乱停车', complaint: '对物业或邻里的投诉', suggestion: '对小区的意见和建议',
}

/**
 * 我要报事: the category first, then where, what (with photos) and whether to stay anonymous. The
 * draft is kept in the phone's storage after every change and comes back when the page is opened
 * again; it goes once the report is sent.
 */
export default function ReportNewPage() {
  const { communityId } = useCommunityParam()
  const [stored, setDraft] = useState<ReportDraft>(() => loadDraft(communityId, Date.now()) ?? emptyDraft())
  const restored = useRef(stored.savedAt > 0)
  const [progress, setProgress] = useState<string | null>(null)
  const options = useAsync(() => request('reportPlaceOptions', { communityId }))
  const submit = useSubmit([stored])

  useEffect(() => {
    if (communityId) saveDraft(communityId, stored, Date.now())
  }, [communityId, stored])

  // One own unit is the usual place of a repair: chosen for the person until they choose another place.
  const units = options.data?.units ?? []
  const draft = units.length === 1 && (stored.placeKind ?? 'unit') === 'unit' && !stored.unitId ? { ...stored, placeKind: 'unit' as const, unitId: units[0].id } : stored

  const set = (patch: Partial<ReportDraft>) => setDraft((d) => ({ ...d, ...patch }))

  async function send() {
    const input = toInput(communityId, draft)
    if ('problem' in input) return submit.fail(input.problem, input.field)
    const report = await submit.run(() => request('createReport', input), { success: '已提交' })
    if (!report) return
    clearDraft(communityId)
    await redirect('reportDetail', { communityId, reportId: report.id })
  }

  function discard() {
    clearDraft(communityId)
    restored.current = false
    setDraft(emptyDraft())
  }

  const opts = options.data
  const placeChoices = [
    ...(opts && opts.units.length ? [{ value: 'unit' as const, label: '我家' }] : []),
    { value: 'building' as const, label: '楼栋' },
    { value: 'area' as const, label: '公共区域' },
  ]

  return (
    <Page title='我要报事' className='report-new'>
      <AsyncView status={options.status} error={options.error} code={options.code} onRetry={() => void options.reload()}>
        {() => (
          <>
            {restored.current ? (
              <View className='card report-new__restored'>
                <Text className='line'>已恢复上次没有提交的内容。</Text>
                <Btn className='gz-btn gz-btn--small' onClick={discard}>
                  清空重填
                </Btn>
              </View>
            ) : null}
            <Field label='第一步：选择类别' error={submit.errorOf('category')}>
              <Chips
                className='report-new__categories'
                options={REPORT_CATEGORIES.map((c) => ({ value: c, label: REPORT_CATEGORY_LABELS[c] }))}
                value={draft.category}
                onChange={(category) => set({ category })}
              />
              {draft.category ? <Text className='field-hint'>{CATEGORY_HINTS[draft.category]}</Text> : null}
            </Field>
            {draft.category === 'repair' ? (
              <Field label='紧急程度'>
                <Chips
                  options={[{ value: 'urgent' as const, label: '紧急' }, { value: 'ordinary' as const, label: '一般' }]}
                  value={draft.urgency}
                  onChange={(urgency) => set({ urgency })}
                />
                <Text className='field-hint'>漏水、停电、电梯困人等请选“紧急”，物业优先处理。</Text>
              </Field>
            ) : null}
            <Field label='第二步：问题在哪里' error={submit.errorOf('place')}>
              <Chips options={placeChoices} value={draft.placeKind} onChange={(placeKind) => set({ placeKind })} />
              {draft.placeKind === 'unit' && opts && opts.units.length > 1 ? (
                <Chips options={opts.units.map((u) => ({ value: u.id, label: u.label }))} value={draft.unitId} onChange={(unitId) => set({ unitId })} />
              ) : null}
              {draft.placeKind === 'building' && opts ? (
                <Chips options={opts.buildings.map((b) => ({ value: b.id, label: b.name }))} value={draft.buildingId} onChange={(buildingId) => set({ buildingId })} />
              ) : null}
              {draft.placeKind === 'area' && opts ? (
                opts.commonAreas.length ? (
                  <Chips options={opts.commonAreas} value={draft.area} onChange={(area) => set({ area })} />
                ) : (
                  <Text className='field-hint'>本小区还没有设置公共区域，请选“楼栋”，在描述里写清楚位置。</Text>
                )
              ) : null}
            </Field>
            <TextField
              label='第三步：描述问题'
              multiline
              counter
              maxlength={REPORT_DESCRIPTION_MAX}
              value={draft.description}
              onChange={(description) => set({ description })}
              placeholder='例如：厨房水管漏水，地面有积水'
              error={submit.errorOf('description')}
            />
            <PhotoPicker
              communityId={communityId}
              photos={draft.photos}
              onChange={(update) => setDraft((d) => ({ ...d, photos: update(d.photos) }))}
              progress={progress}
              onProgress={setProgress}
              onError={(m) => submit.fail(m)}
            />
            <Field label='是否匿名' hint='匿名时，物业和业委会看不到您的姓名和房号；社区工作人员可以看到，以便核实。'>
              <Chips
                options={[{ value: false, label: '署名' }, { value: true, label: '匿名' }]}
                value={draft.anonymous}
                onChange={(anonymous) => set({ anonymous })}
              />
            </Field>
            <Text className='line muted report-new__targets'>{TARGETS_TEXT}。{REPORT_TARGETS_NOTE}。</Text>
            <ErrorNote message={submit.field ? null : submit.error} />
            <Btn className='gz-btn gz-btn--primary report-new__send' loading={submit.busy} disabled={submit.busy || !!progress} onClick={() => void send()}>
              提交报事
            </Btn>
            <Btn className='gz-btn' onClick={() => go('reportContact', { communityId })}>
              紧急情况？联系我们
            </Btn>
          </>
        )}
      </AsyncView>
    </Page>
  )
}
