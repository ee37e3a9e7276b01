import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { Btn } from '../../../../components/btn'
import type { RosterImportResult, RosterPreview, RosterRowError } from '../../../../contracts/rosters'
import { ErrorNote, ErrorView, Loading } from '../../../../components/page-state'
import { useSession } from '../../../../hooks/use-session'
import { useCommunityParam } from '../../../../hooks/use-community-param'
import { isApiError, messageOf } from '../../../../services/request'
import { requestWithFile } from '../../../../services/upload'
import { pickRosterFile, type PickedFile } from '../../../../services/pick-file'
import { confirmAction } from '../../../../utils/ui'
import { Page } from '../../../../components/page'
import { switchTo } from '../../../../routes'
import { DuplicatePairs, DuplicateWarnings } from './duplicates'
import './index.scss'

type Step =
  | { kind: 'idle' }
  | { kind: 'checking'; file: PickedFile }
  | { kind: 'preview'; file: PickedFile; preview: RosterPreview }
  | { kind: 'importing'; file: PickedFile; preview: RosterPreview }
  | { kind: 'done'; result: RosterImportResult }

/** Row errors may also arrive as the details of a RosterInvalid error. */
function rowErrorsOf(err: unknown): RosterRowError[] {
  if (!isApiError(err) || err.code !== 'RosterInvalid') return []
  const d = err.details as { errors?: RosterRowError[] } | RosterRowError[] | undefined
  const list = Array.isArray(d) ? d : d?.errors
  return Array.isArray(list) ? list.filter((e) => typeof e?.line === 'number') : []
}

/**
 * Roster import for the committee: pick an .xlsx or .csv, see a preview (counts, and every bad
 * row as "第 N 行：原因"), then confirm. The server writes all rows or none.
 */
export default function RosterImportPage() {
  const { status, error: sessionError, refresh } = useSession()
  const { communityId, community } = useCommunityParam()
  const [step, setStep] = useState<Step>({ kind: 'idle' })
  const [error, setError] = useState<string | null>(null)
  const [rowErrors, setRowErrors] = useState<RosterRowError[]>([])

  async function choose() {
    setError(null)
    setRowErrors([])
    let file: PickedFile | null
    try {
      file = await pickRosterFile()
    } catch (err) {
      setError(messageOf(err))
      return
    }
    if (!file) return
    setStep({ kind: 'checking', file })
    try {
      const preview = await requestWithFile('previewRoster', { communityId, fileName: file.name }, file, 'fileBase64')
      setStep({ kind: 'preview', file, preview })
    } catch (err) {
      setRowErrors(rowErrorsOf(err))
      setError(messageOf(err))
      setStep({ kind: 'idle' })
    }
  }

  async function runImport(file: PickedFile, preview: RosterPreview) {
    const ok = await confirmAction({
      title: '确认导入',
      content: `将导入 ${preview.unitCount} 套房屋、${preview.ownerCount} 位业主到「${community?.name ?? '本小区'}」。确定导入吗？`,
      confirmText: '导入',
    })
    if (!ok) return
    setError(null)
    setStep({ kind: 'importing', file, preview })
    try {
      const result = await requestWithFile('importRoster', { communityId, fileName: file.name }, file, 'fileBase64')
      setStep({ kind: 'done', result })
    } catch (err) {
      setRowErrors(rowErrorsOf(err))
      setError(messageOf(err))
      setStep({ kind: 'preview', file, preview })
    }
  }

  if (!communityId) {
    return (
      <Page title='导入业主名册'>
        <ErrorView message='没有指定小区，请从“我的”页的工作台进入。' away={{ text: '去“我的”', onClick: () => switchTo('mine') }} />
      </Page>
    )
  }
  if (status === 'error') {
    return (
      <Page title='导入业主名册'>
        <ErrorView message={sessionError ?? ''} onRetry={() => void refresh()} />
      </Page>
    )
  }

  const errorsToShow = step.kind === 'preview' || step.kind === 'importing' ? step.preview.errors : rowErrors

  return (
    <Page title='导入业主名册' className='roster'>
      {community ? <Text className='page-subtitle'>{community.name}</Text> : null}

      {step.kind === 'done' ? (
        <View className='card roster__done'>
          <Text className='roster__done-title'>导入成功</Text>
          <Text className='line'>
            共导入 {step.result.unitCount} 套房屋、{step.result.ownerCount} 位业主。
          </Text>
          {typeof step.result.unitsAdded === 'number' && typeof step.result.unitsUpdated === 'number' ? (
            <Text className='line muted'>
              其中新增 {step.result.unitsAdded} 套，更新 {step.result.unitsUpdated} 套。
            </Text>
          ) : null}
          <Text className='line muted'>业主现在可以在“我的 → 绑定房屋”中绑定自己的房屋。</Text>
          {step.result.warnings.length > 0 ? <Text className='line'>名册中有 {step.result.warnings.length} 处同名业主联系方式不同，请在下方逐一确认。</Text> : null}
          <Btn className='gz-btn' onClick={() => setStep({ kind: 'idle' })}>
            再导入一份
          </Btn>
        </View>
      ) : (
        <View className='card'>
          <Text className='card-title'>名册文件</Text>
          <Text className='line muted'>支持 .xlsx 或 .csv 文件，列为：楼栋、单元、房号、面积、电梯、业主姓名、手机号、身份证后四位。</Text>
          {step.kind !== 'idle' ? <Text className='roster__file'>已选择：{step.file.name}</Text> : null}
          <Btn className='gz-btn gz-btn--primary' disabled={step.kind === 'checking' || step.kind === 'importing'} onClick={() => void choose()}>
            {step.kind === 'idle' ? '选择名册文件' : '重新选择文件'}
          </Btn>
        </View>
      )}

      {step.kind === 'checking' ? <Loading text='正在检查名册，请稍候…' /> : null}
      {step.kind === 'importing' ? <Loading text='正在导入，请不要离开…' /> : null}

      <ErrorNote message={error} />

      {errorsToShow.length > 0 ? (
        <View className='card roster__errors'>
          <Text className='card-title roster__errors-title'>发现 {errorsToShow.length} 处问题，名册没有导入</Text>
          <Text className='line muted'>请在表格中改正下面这些行，然后重新选择文件。</Text>
          {errorsToShow.map((e, i) => (
            <Text key={`${e.line}-${i}`} className='roster__error-line'>
              第 {e.line} 行：{e.reason}
            </Text>
          ))}
        </View>
      ) : null}

      {step.kind === 'preview' || step.kind === 'importing' ? <DuplicateWarnings warnings={step.preview.warnings} /> : null}

      {step.kind === 'preview' || step.kind === 'importing' ? (
        <View className='card'>
          <Text className='card-title'>名册概况</Text>
          <View className='roster__stats'>
            <Stat label='数据行' value={step.preview.rowCount} />
            <Stat label='房屋' value={step.preview.unitCount} />
            <Stat label='楼栋' value={step.preview.buildingCount} />
            <Stat label='业主' value={step.preview.ownerCount} />
            <Stat label='共有房屋' value={step.preview.coOwnedUnits} />
            <Stat label='未售房屋' value={step.preview.unsoldUnits} />
          </View>
          {step.preview.sample.length > 0 ? (
            <View className='roster__sample'>
              <Text className='field-label'>前几行（手机号已隐去中间几位）</Text>
              {step.preview.sample.map((r) => (
                <View key={r.line} className='roster__sample-row'>
                  <Text className='line'>
                    第 {r.line} 行：{r.building}
                    {r.stair}
                    {r.room}室 · {r.area} 平方米{r.elevator ? ' · 有电梯' : ''}
                  </Text>
                  <Text className='line muted'>
                    {r.owners || '（未售）'} {r.phone}
                  </Text>
                </View>
              ))}
            </View>
          ) : null}
          {step.preview.errors.length === 0 ? (
            <Btn
              className='gz-btn gz-btn--primary'
              loading={step.kind === 'importing'}
              disabled={step.kind === 'importing'}
              onClick={() => void runImport(step.file, step.preview)}
            >
              确认导入
            </Btn>
          ) : null}
        </View>
      ) : null}

      {/* Same-name pairs already in the 小区's roster, to decide now or any time later (reloaded after an import). */}
      {step.kind === 'idle' || step.kind === 'done' ? <DuplicatePairs key={step.kind === 'done' ? step.result.importId : 'idle'} communityId={communityId} /> : null}
    </Page>
  )
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <View className='roster__stat'>
      <Text className='roster__stat-value'>{value}</Text>
      <Text className='roster__stat-label'>{label}</Text>
    </View>
  )
}
