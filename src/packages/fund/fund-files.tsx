import { useState } from 'react'
import { Image, Text, View } from '@tarojs/components'
import { FUND_DOCUMENT_LABELS, type FundDocumentData, type FundDocumentKind, type FundExpenseDocument } from '../../contracts/fund'
import { Btn } from '../../components/btn'
import { Chips } from '../../components/chips'
import { Field } from '../../components/field'
import { messageOf } from '../../services/errors'
import { pickImages, pickPdf } from '../../services/notice-files'
import type { PickedFile } from '../../services/pick-file'
import { request } from '../../services/request'
import { requestWithFile } from '../../services/upload'
import { saveFile } from '../../services/save-file'

/**
 * An expense's documents on the client: opening one (a photo shown in place, a PDF downloaded in
 * the browser or opened by WeChat), and the uploader of the expense form (photos or PDFs, one kind
 * at a time, with a line saying how far it got).
 */

const sizeText = (bytes: number | null) => (bytes === null ? '' : bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`)
const typeText = (mime: string | null) => (mime === 'application/pdf' ? 'PDF' : mime ? '照片' : '')

/** Opens a PDF: a download in the browser; a file WeChat opens (and can forward or print) in the mini-program. */
function openPdf(file: FundDocumentData): Promise<void> {
  return saveFile(file, 'pdf')
}

/** One document of an expense: its kind and name; tapped, a photo appears below it, a PDF opens. */
export function DocumentLine({ communityId, expenseId, doc }: { communityId: string; expenseId: string; doc: FundExpenseDocument }) {
  const [photo, setPhoto] = useState<string | null>(null)
  const [state, setState] = useState<'idle' | 'busy' | string>('idle')
  async function open() {
    if (!doc.fileId || state === 'busy') return
    setState('busy')
    try {
      const file = await request('fundDocument', { communityId, expenseId, fileId: doc.fileId })
      if (file.mime === 'application/pdf') await openPdf(file)
      else setPhoto(`data:${file.mime};base64,${file.base64}`)
      setState('idle')
    } catch (err) {
      setState(messageOf(err))
    }
  }
  return (
    <View className='fund-doc'>
      <View className='row'>
        <Text className='line'>
          {doc.kind}《{doc.name}》{doc.fileId ? ` ${typeText(doc.mime)} ${sizeText(doc.sizeBytes)}` : '（仅登记名称，无文件）'}
        </Text>
        {doc.fileId && !photo ? (
          <Btn className='gz-btn gz-btn--small fund-doc__open' disabled={state === 'busy'} onClick={() => void open()}>
            {state === 'busy' ? '打开中…' : '查看'}
          </Btn>
        ) : null}
      </View>
      {photo ? <Image className='fund-doc__photo' src={photo} mode='widthFix' /> : null}
      {state !== 'idle' && state !== 'busy' ? <Text className='line fund-doc__error'>{state}</Text> : null}
    </View>
  )
}

/** A document uploaded in the expense form, not yet recorded. */
export interface DraftDocument {
  kind: FundDocumentKind
  name: string
  fileId: string
  mime: string
  sizeBytes: number
}

const KINDS: FundDocumentKind[] = ['quote', 'contract', 'acceptance', 'other']

/** The name a document gets: its kind (报价, 合同…), numbered when there are several of that kind. */
function nameFor(kind: FundDocumentKind, docs: readonly DraftDocument[]): string {
  const n = docs.filter((d) => d.kind === kind).length
  return n === 0 ? FUND_DOCUMENT_LABELS[kind] : `${FUND_DOCUMENT_LABELS[kind]} ${n + 1}`
}

/**
 * The expense form's documents: choose what kind, then photos (album or camera) or a PDF; each is
 * uploaded at once (the server keeps a photo without its location and refuses a PDF that could run
 * anything) and listed, removable before the expense is recorded.
 */
export function DocumentUploader({ communityId, docs, onChange, onError, progress, onProgress }: {
  communityId: string
  docs: DraftDocument[]
  onChange: (update: (docs: DraftDocument[]) => DraftDocument[]) => void
  onError: (message: string) => void
  progress: string | null
  onProgress: (what: string | null) => void
}) {
  const [kind, setKind] = useState<FundDocumentKind>('quote')
  async function send(pick: () => Promise<PickedFile[]>) {
    try {
      const picked = await pick()
      for (const [i, f] of picked.entries()) {
        onProgress(`正在上传第 ${i + 1} / ${picked.length} 个文件…`)
        const up = await requestWithFile('uploadFundDocument', { communityId, fileName: f.name }, f, 'dataBase64')
        onChange((list) => [...list, { kind, name: nameFor(kind, list), fileId: up.id, mime: up.mime, sizeBytes: up.sizeBytes }])
      }
    } catch (err) {
      onError(messageOf(err))
    } finally {
      onProgress(null)
    }
  }
  return (
    <Field label={`材料（${docs.length} 份，可不传）`} hint='报价单、合同可拍照或选 PDF，验收请拍照；每份不超过 10 MB。照片会去掉拍摄地点等信息后保存。'>
      {docs.map((d) => (
        <View key={d.fileId} className='row fund-doc'>
          <Text className='line'>
            {d.name} · {typeText(d.mime)} {sizeText(d.sizeBytes)}
          </Text>
          <Btn className='gz-btn gz-btn--small' disabled={!!progress} onClick={() => onChange((list) => list.filter((x) => x.fileId !== d.fileId))}>
            删除
          </Btn>
        </View>
      ))}
      <Chips options={KINDS.map((k) => ({ value: k, label: FUND_DOCUMENT_LABELS[k] }))} value={kind} onChange={setKind} />
      {progress ? <Text className='line fund-doc__progress'>{progress}</Text> : null}
      <View className='row'>
        <Btn className='gz-btn fund-doc__photos' disabled={!!progress} onClick={() => void send(() => pickImages(9))}>
          拍照或选照片
        </Btn>
        <Btn className='gz-btn fund-doc__pdf' disabled={!!progress} onClick={() => void send(async () => ((f) => (f ? [f] : []))(await pickPdf()))}>
          选择 PDF 文件
        </Btn>
      </View>
    </Field>
  )
}
