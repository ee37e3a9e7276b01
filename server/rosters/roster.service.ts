/**
 * Roster import rules: what a preview shows, what an import writes, and what re-importing does.
 *
 * Re-importing into a 小区 that already has units (the committee uploads a corrected roster):
 * - buildings are matched by name (the elevator flag is updated), units by building + stair + room
 *   (area and sold are updated); units missing from the file are left as they are, never deleted,
 *   so a roster of one building can be imported on its own and no unit with bills, ballots or
 *   tenancies disappears;
 * - the owners of every unit in the file are replaced by the file's owners;
 * - a roster person already in the 小区 is reused when the name matches and the phone, the ID
 *   digits or one of the units matches; a person bound to a WeChat user is preferred, so a
 *   resident's binding survives a re-import. Persons no longer owning anything are kept (bindings
 *   and history point at them); owning nothing, they carry no vote.
 *
 * Unsold developer units (开发商（未售）): units.sold = 0, owned by the one developer person of the
 * 小区 (persons.is_developer = 1). All unsold units together therefore count as one voter, the
 * developer person, exactly as the SPC interpretation art. 9 counts them.
 *
 * ID last-4 digits are stored only as HMAC-SHA256(idHashSecret, communityId + ':' + digits).
 */
import { createHmac, randomUUID } from 'node:crypto'
import type { CommunityDirectoryEntry, RosterImportResult, RosterPreview } from '../../src/contracts/rosters'
import { formatArea } from '../../src/contracts/units'
import { revokeCommunityRole } from '../communities/membership.repository'
import { requireActor, withTx, type Ctx } from '../context'
import { AppError } from '../errors'
import { readUploadedFile } from '../uploads/uploaded-file'
import { duplicateWarnings } from './roster.duplicates'
import { parseRosterFile, type ParsedRoster } from './roster.parser'
import * as repo from './roster.repository'

/** The developer person's name as registers write it. */
export const DEVELOPER_NAME = '开发商（未售）'
/** Decoded bytes a roster may have; the contract's base64 bound lets a little more through. */
export const MAX_ROSTER_BYTES = 5 * 1024 * 1024
const SAMPLE_ROWS = 10

/** Keyed per 小区, so equal digits in two 小区 do not hash alike and a leaked dump cannot be joined. */
export function hashId4(secret: string, communityId: string, digits: string): string {
  return createHmac('sha256', secret).update(`${communityId}:${digits}`).digest('hex')
}

/** 13912345678 → 139****5678. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****'
}

/** The roster's own limit, on the bytes however they came (base64 or a cloud upload). */
export function checkRosterSize(buf: Buffer): Buffer {
  if (buf.length > MAX_ROSTER_BYTES) throw new AppError('PayloadTooLarge', '名册文件超过 5 MB')
  return buf
}

/** A roster file as uploaded (base64 or a cloud upload), within the roster's size limit, parsed; bad rows are in `errors`. */
export async function readRosterFile(ctx: Ctx, input: { fileName: string; fileBase64?: string; cloudFileId?: string }): Promise<ParsedRoster> {
  const bytes = checkRosterSize(await readUploadedFile(ctx, { base64: input.fileBase64, cloudFileId: input.cloudFileId }))
  return parseRosterFile(input.fileName, bytes)
}

/**
 * What the committee sees before importing: counts, every bad row, the first rows as they will be
 * written, and every two rows of one name with different contact details (one owner or two?).
 */
export function previewOf(parsed: ParsedRoster): RosterPreview {
  const persons = new Map(parsed.persons.map((p) => [p.key, p]))
  return {
    rowCount: parsed.rowCount,
    unitCount: parsed.units.length,
    buildingCount: parsed.buildings.length,
    // Owners as persons: one owner of several units counts once; the developer is not an owner here.
    ownerCount: parsed.persons.length,
    coOwnedUnits: parsed.units.filter((u) => u.ownerKeys.length > 1).length,
    unsoldUnits: parsed.units.filter((u) => !u.sold).length,
    errors: parsed.errors,
    warnings: duplicateWarnings(parsed),
    sample: parsed.units.slice(0, SAMPLE_ROWS).map((u) => {
      const owners = u.ownerKeys.map((k) => persons.get(k)!)
      return {
        line: u.line,
        building: u.building,
        stair: u.stair,
        room: u.room,
        area: formatArea(u.areaCentiM2),
        elevator: u.elevator,
        owners: u.sold ? owners.map((o) => o.name).join('、') : DEVELOPER_NAME,
        phone: maskPhone(owners[0]?.phone ?? null) ?? '',
      }
    }),
  }
}

/** The AppError for a roster with bad rows; its details are the rows, for the preview screen. */
export function rosterInvalid(parsed: ParsedRoster): AppError {
  const n = parsed.errors.length
  const first = parsed.errors.slice(0, 3).map((e) => `第 ${e.line} 行：${e.reason}`).join('；')
  return new AppError('RosterInvalid', `名册有 ${n} 行有问题，没有导入任何内容。请改正后重新上传。${first}${n > 3 ? '……' : ''}`, parsed.errors)
}

export interface ImportArgs {
  communityId: string
  fileName: string
  parsed: ParsedRoster
}

/** Writes a roster in one transaction, as the acting person: everything or, on any failure, nothing. */
export async function importRoster(ctx: Ctx, args: ImportArgs): Promise<RosterImportResult> {
  const { communityId, parsed } = args
  const { userId } = requireActor(ctx)
  const idHashSecret = ctx.config.idHashSecret
  const now = ctx.now()
  if (parsed.errors.length > 0) throw rosterInvalid(parsed)
  if (parsed.units.length === 0) throw new AppError('RosterInvalid', '名册里没有房屋，没有导入任何内容', [])

  return withTx(ctx, async ({ db: trx }) => {
    const state = await repo.loadRosterState(trx, communityId)

    // Buildings by name.
    const buildingIds = new Map(state.buildings.map((b) => [b.name, b.id]))
    const newBuildings: { id: string; name: string; hasElevator: boolean }[] = []
    for (const b of parsed.buildings) {
      const existing = state.buildings.find((x) => x.name === b.name)
      if (!existing) {
        const id = randomUUID()
        buildingIds.set(b.name, id)
        newBuildings.push({ id, name: b.name, hasElevator: b.elevator })
      } else if (existing.has_elevator !== (b.elevator ? 1 : 0)) {
        await repo.setBuildingElevator(trx, communityId, existing.id, b.elevator)
      }
    }
    await repo.insertBuildings(trx, communityId, newBuildings)

    // Units by building + stair + room.
    const unitKey = (buildingId: string, stair: string, room: string) => `${buildingId}|${stair}|${room}`
    const existingUnits = new Map(state.units.map((u) => [unitKey(u.building_id, u.stair, u.room), u]))
    const unitIdOfLine = new Map<number, string>()
    const newUnits: repo.NewUnit[] = []
    const replacedUnitIds: string[] = []
    let unitsUpdated = 0
    for (const u of parsed.units) {
      const buildingId = buildingIds.get(u.building)!
      const existing = existingUnits.get(unitKey(buildingId, u.stair, u.room))
      if (existing) {
        unitIdOfLine.set(u.line, existing.id)
        replacedUnitIds.push(existing.id)
        if (existing.area_centi_m2 !== u.areaCentiM2 || existing.sold !== (u.sold ? 1 : 0)) {
          await repo.updateUnit(trx, communityId, existing.id, u.areaCentiM2, u.sold)
          unitsUpdated++
        }
      } else {
        const id = randomUUID()
        unitIdOfLine.set(u.line, id)
        newUnits.push({ id, buildingId, stair: u.stair, room: u.room, areaCentiM2: u.areaCentiM2, sold: u.sold })
      }
    }
    await repo.insertUnits(trx, communityId, newUnits)

    // Persons: reuse existing ones where they are recognisable, so bindings survive.
    const ownedBy = new Map<string, Set<string>>()
    for (const o of state.ownerships) {
      if (!ownedBy.has(o.person_id)) ownedBy.set(o.person_id, new Set())
      ownedBy.get(o.person_id)!.add(o.unit_id)
    }
    const byName = new Map<string, repo.PersonRow[]>()
    for (const p of state.persons) {
      if (p.is_developer) continue
      byName.set(p.name, [...(byName.get(p.name) ?? []), p])
    }
    const taken = new Set<string>()
    const personIdOfKey = new Map<string, string>()
    const newPersons: repo.NewPerson[] = []
    for (const pp of parsed.persons) {
      const hash = pp.id4 ? hashId4(idHashSecret, communityId, pp.id4) : null
      const unitIds = pp.lines.map((l) => unitIdOfLine.get(l)!)
      const candidates = (byName.get(pp.name) ?? []).filter((p) => !taken.has(p.id))
      const samePhone = (p: repo.PersonRow) => !!pp.phone && p.phone === pp.phone
      const match =
        candidates.find((p) => samePhone(p) && p.user_id) ??
        candidates.find(samePhone) ??
        candidates.find((p) => !!hash && p.id4_hash === hash) ??
        candidates.find((p) => unitIds.some((u) => ownedBy.get(p.id)?.has(u)))
      if (match) {
        taken.add(match.id)
        personIdOfKey.set(pp.key, match.id)
        if (match.phone !== pp.phone || match.id4_hash !== hash) await repo.updatePersonContact(trx, communityId, match.id, pp.phone, hash)
      } else {
        const id = randomUUID()
        personIdOfKey.set(pp.key, id)
        newPersons.push({ id, name: pp.name, phone: pp.phone, id4Hash: hash, isDeveloper: false, userId: null })
      }
    }
    let developerId: string | null = null
    if (parsed.units.some((u) => !u.sold)) {
      developerId = (await repo.findDeveloperPerson(trx, communityId))?.id ?? null
      if (!developerId) {
        developerId = randomUUID()
        newPersons.push({ id: developerId, name: DEVELOPER_NAME, phone: null, id4Hash: null, isDeveloper: true, userId: null })
      }
    }
    await repo.insertPersons(trx, communityId, newPersons)

    // Ownerships of the file's units are replaced by the file's owners.
    await repo.deleteOwnershipsOfUnits(trx, communityId, replacedUnitIds)
    const ownerships: { unitId: string; personId: string }[] = []
    for (const u of parsed.units) {
      const unitId = unitIdOfLine.get(u.line)!
      if (!u.sold) ownerships.push({ unitId, personId: developerId! })
      else for (const personId of new Set(u.ownerKeys.map((k) => personIdOfKey.get(k)!))) ownerships.push({ unitId, personId })
    }
    await repo.insertOwnerships(trx, communityId, ownerships)
    // An account whose roster persons no longer own anything here (the flat was sold) stops being
    // an owner of this 小区; its other roles, and the new owner's binding, are untouched.
    for (const userId of await repo.boundUsersOwningNothing(trx, communityId)) {
      await revokeCommunityRole(trx, userId, 'owner', communityId)
    }

    const importId = randomUUID()
    await repo.insertRosterImport(trx, {
      id: importId,
      communityId,
      importedBy: userId,
      fileName: args.fileName,
      unitCount: parsed.units.length,
      createdAt: now.toISOString(),
    })
    return {
      importId,
      unitCount: parsed.units.length,
      ownerCount: parsed.persons.length,
      unitsAdded: newUnits.length,
      unitsUpdated,
      warnings: duplicateWarnings(parsed),
    }
  })
}

/** 小区 by name, for a resident looking for theirs (at most 20). */
export async function communityDirectory(ctx: Ctx, input: { query: string }): Promise<CommunityDirectoryEntry[]> {
  const rows = await repo.searchCommunities(ctx.db, input.query.trim(), 20)
  return rows.map((c) => ({ id: c.id, name: c.name, officeName: c.office_name, governance: c.governance }))
}

/** Buildings → stairs → rooms in the order people count them (2栋 before 10栋). */
export async function unitTree(ctx: Ctx, input: { communityId: string }) {
  const { communityId } = input
  if (!(await repo.findCommunity(ctx.db, communityId))) throw new AppError('NotFound', '找不到该小区')
  const places = await repo.unitPlaces(ctx.db, communityId)
  const collator = new Intl.Collator('zh-CN', { numeric: true })
  const tree = new Map<string, Map<string, string[]>>()
  for (const p of places) {
    if (!tree.has(p.building)) tree.set(p.building, new Map())
    const stairs = tree.get(p.building)!
    stairs.set(p.stair, [...(stairs.get(p.stair) ?? []), p.room])
  }
  return {
    buildings: [...tree.entries()]
      .sort(([a], [b]) => collator.compare(a, b))
      .map(([name, stairs]) => ({
        name,
        stairs: [...stairs.entries()]
          .sort(([a], [b]) => collator.compare(a, b))
          .map(([stair, rooms]) => ({ name: stair, rooms: rooms.sort(collator.compare) })),
      })),
  }
}
