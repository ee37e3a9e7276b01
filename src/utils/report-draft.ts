import Taro from '@tarojs/taro'
import type { CreateReportInput, ReportCategory, ReportPhoto, ReportUrgency } from '../contracts/reports'

/**
 * The report being written, kept in the phone's storage per 小区 after every change, so leaving
 * the page (a call, the camera, another tab) loses nothing; it goes when the report is sent.
 */
export interface ReportDraft {
  category: ReportCategory | null
  urgency: ReportUrgency
  placeKind: 'unit' | 'building' | 'area' | null
  unitId: string
  buildingId: string
  area: string
  description: string
  anonymous: boolean
  /** Photos already uploaded (the server keeps an unsent photo for a day). */
  photos: ReportPhoto[]
  savedAt: number
}

/** Uploaded photos not sent within this long are dropped from a restored draft: the server purges them after a day. */
const PHOTO_KEEP_MS = 20 * 3_600_000

export const draftKey = (communityId: string) => `gongzhi.reportDraft.${communityId}`

export const emptyDraft = (): ReportDraft => ({
  category: null, urgency: 'ordinary', placeKind: null, unitId: '', buildingId: '', area: '', description: '', anonymous: false, photos: [], savedAt: 0,
})

/** Whether the person has written or chosen anything worth keeping. */
export const hasContent = (d: ReportDraft) => !!(d.category || d.description.trim() || d.photos.length || d.placeKind)

export function loadDraft(communityId: string, now: number): ReportDraft | null {
  try {
    const raw = Taro.getStorageSync(draftKey(communityId)) as Partial<ReportDraft> | string
    if (!raw || typeof raw !== 'object') return null
    const d = { ...emptyDraft(), ...raw }
    if (now - d.savedAt > PHOTO_KEEP_MS) d.photos = []
    return hasContent(d) ? d : null
  } catch {
    return null
  }
}

export function saveDraft(communityId: string, d: ReportDraft, now: number): void {
  try {
    if (hasContent(d)) Taro.setStorageSync(draftKey(communityId), { ...d, savedAt: now })
    else Taro.removeStorageSync(draftKey(communityId))
  } catch {
    // Storage full or unavailable: the form still works, only the draft is not kept.
  }
}

export function clearDraft(communityId: string): void {
  try {
    Taro.removeStorageSync(draftKey(communityId))
  } catch {
    // nothing to clear
  }
}

/** The input of createReport, or what is missing (with the field it is about). */
export function toInput(communityId: string, d: ReportDraft): CreateReportInput | { problem: string; field: string } {
  if (!d.category) return { problem: '请先选择报事类别', field: 'category' }
  const place =
    d.placeKind === 'unit' && d.unitId ? { kind: 'unit' as const, unitId: d.unitId }
    : d.placeKind === 'building' && d.buildingId ? { kind: 'building' as const, buildingId: d.buildingId }
    : d.placeKind === 'area' && d.area ? { kind: 'area' as const, area: d.area }
    : null
  if (!place) return { problem: '请选择问题所在的地点', field: 'place' }
  const description = d.description.trim()
  if (description.length < 5) return { problem: '请把问题描述清楚（至少 5 个字）', field: 'description' }
  return {
    communityId,
    category: d.category,
    description,
    place,
    urgency: d.category === 'repair' ? d.urgency : undefined,
    anonymous: d.anonymous,
    photoIds: d.photos.map((p) => p.id),
  }
}
