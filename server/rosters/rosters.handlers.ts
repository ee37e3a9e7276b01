import { FILE_LIMITS } from '../../src/contracts/uploads'
import { base64BodyLimit } from '../transports/body-limit'
import {
  AcceptTenancyInput,
  BindUnitInput,
  CommunityDirectoryInput,
  DecideBindingInput,
  InviteTenantInput,
  ListBindingRequestsInput,
  ListTenanciesInput,
  RevokeTenancyInput,
  RosterFileInput,
  UnitTreeInput,
} from '../../src/contracts/rosters'
import type {
  BindingRequest,
  BindingRequestPage,
  BindResult,
  CommunityDirectoryEntry,
  RosterImportResult,
  RosterPreview,
  Tenancy,
  UnitTree,
} from '../../src/contracts/rosters'
import { MANAGING_ROLES } from '../../src/contracts/common'
import { requireCaller, type Ctx } from '../context'
import { action } from '../registry'
import { bindUnit, decideBinding, listBindingRequests } from './binding.service'
import { parseRosterFile } from './roster.parser'
import { searchCommunities } from './roster.repository'
import { checkRosterSize, importRoster, previewOf, unitTree } from './roster.service'
import { readUploadedFile } from '../uploads/uploaded-file'
import { acceptTenancy, inviteTenant, listTenancies, revokeTenancy } from './tenancy.service'

/** The roster file's bytes, as base64 or a cloud upload, within the roster's size limit. */
const rosterBytes = async (input: { fileBase64?: string; cloudFileId?: string }, ctx: Ctx) =>
  checkRosterSize(await readUploadedFile(ctx, { base64: input.fileBase64, cloudFileId: input.cloudFileId }))

/** Roster import, unit binding and tenancy. */
export const rosterActions = {
  /** Reads a roster file and shows what an import would write, with every bad row; writes nothing. */
  previewRoster: action({
    input: RosterFileInput,
    access: { roles: MANAGING_ROLES },
    bodyLimit: base64BodyLimit(FILE_LIMITS.roster),
    handler: async (input, ctx): Promise<RosterPreview> => previewOf(await parseRosterFile(input.fileName, await rosterBytes(input, ctx))),
  }),

  /** Imports a roster in one transaction; any bad row → RosterInvalid with every bad row, nothing written. */
  importRoster: action({
    input: RosterFileInput,
    access: { roles: MANAGING_ROLES },
    bodyLimit: base64BodyLimit(FILE_LIMITS.roster),
    handler: async (input, ctx): Promise<RosterImportResult> => {
      const parsed = await parseRosterFile(input.fileName, await rosterBytes(input, ctx))
      return importRoster(ctx.db, {
        communityId: input.communityId,
        userId: requireCaller(ctx).userId,
        fileName: input.fileName,
        parsed,
        idHashSecret: ctx.config.idHashSecret,
        now: ctx.now(),
      })
    },
  }),

  /** 小区 by name, for a resident looking for theirs. */
  communityDirectory: action({
    input: CommunityDirectoryInput,
    access: 'user',
    handler: async (input, ctx): Promise<CommunityDirectoryEntry[]> =>
      (await searchCommunities(ctx.db, input.query.trim(), 20)).map((c) => ({ id: c.id, name: c.name, officeName: c.office_name, governance: c.governance })),
  }),

  /** Buildings → stairs → rooms of a 小区, without names, to pick one's unit. */
  unitTree: action({
    input: UnitTreeInput,
    access: 'user',
    handler: async (input, ctx): Promise<UnitTree> => unitTree(ctx.db, input.communityId),
  }),

  /** Claims a unit: bound at once on an exact roster match, else a pending request for the committee. */
  bindUnit: action({
    input: BindUnitInput,
    access: 'user',
    handler: async (input, ctx): Promise<BindResult> => bindUnit(ctx.db, input, requireCaller(ctx).userId, ctx.config.idHashSecret, ctx.now()),
  }),

  listBindingRequests: action({
    input: ListBindingRequestsInput,
    access: { roles: MANAGING_ROLES },
    handler: async (input, ctx): Promise<BindingRequestPage> => listBindingRequests(ctx.db, input.communityId, input.status, input.cursor, input.limit),
  }),

  decideBinding: action({
    input: DecideBindingInput,
    access: { roles: MANAGING_ROLES },
    handler: async (input, ctx): Promise<BindingRequest> => decideBinding(ctx.db, input, requireCaller(ctx).userId, ctx.now()),
  }),

  /** An owner invites a tenant of one of their units; answers the 8-character code. */
  inviteTenant: action({
    input: InviteTenantInput,
    access: { roles: ['owner'] },
    handler: async (input, ctx): Promise<Tenancy> => inviteTenant(ctx.db, input.communityId, input.unitId, requireCaller(ctx).userId, ctx.now()),
  }),

  acceptTenancy: action({
    input: AcceptTenancyInput,
    access: 'user',
    handler: async (input, ctx): Promise<Tenancy> => acceptTenancy(ctx.db, input.code, requireCaller(ctx).userId, ctx.now()),
  }),

  revokeTenancy: action({
    input: RevokeTenancyInput,
    access: { roles: ['owner'] },
    handler: async (input, ctx): Promise<Tenancy> => revokeTenancy(ctx.db, input.communityId, input.tenancyId, requireCaller(ctx).userId, ctx.now()),
  }),

  listTenancies: action({
    input: ListTenanciesInput,
    access: { roles: ['owner'] },
    handler: async (input, ctx): Promise<Tenancy[]> => listTenancies(ctx.db, input.communityId, input.unitId, requireCaller(ctx).userId, ctx.now()),
  }),
}
