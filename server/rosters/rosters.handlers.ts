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
  UploadBindingProofInput,
  BINDING_PROOF_MAX_BYTES,
} from '../../src/contracts/rosters'
import type {
  BindingProof,
  BindingRequest,
  BindingRequestPage,
  BindResult,
  CommunityDirectoryEntry,
  RosterImportResult,
  RosterPreview,
  Tenancy,
  UnitTree,
} from '../../src/contracts/rosters'
import { MANAGING_ROLES, OWNER_ROLES } from '../../src/contracts/roles'
import { FILE_LIMITS } from '../../src/contracts/uploads'
import { action } from '../registry'
import { base64BodyLimit } from '../transports/body-limit'
import { uploadBindingProof } from './binding.proof'
import { bindUnit, decideBinding, listBindingRequests } from './binding.service'
import { communityDirectory, importRoster, previewOf, readRosterFile, unitTree } from './roster.service'
import { acceptTenancy, inviteTenant, listTenancies, revokeTenancy } from './tenancy.service'

const MANAGERS = { roles: MANAGING_ROLES }
const OWNERS = { roles: OWNER_ROLES }

/** Roster import, unit binding and tenancy. */
export const rosterActions = {
  /** Reads a roster file and shows what an import would write, with every bad row; writes nothing. */
  previewRoster: action({
    input: RosterFileInput,
    access: MANAGERS,
    bodyLimit: base64BodyLimit(FILE_LIMITS.roster),
    handler: async (input, ctx): Promise<RosterPreview> => previewOf(await readRosterFile(ctx, input)),
  }),

  /** Imports a roster in one transaction; any bad row → RosterInvalid with every bad row, nothing written. */
  importRoster: action({
    input: RosterFileInput,
    access: MANAGERS,
    bodyLimit: base64BodyLimit(FILE_LIMITS.roster),
    handler: async (input, ctx): Promise<RosterImportResult> =>
      importRoster(ctx, { communityId: input.communityId, fileName: input.fileName, parsed: await readRosterFile(ctx, input) }),
  }),

  /** 小区 by name, for a resident looking for theirs. */
  communityDirectory: action({
    input: CommunityDirectoryInput,
    access: 'user',
    handler: (input, ctx): Promise<CommunityDirectoryEntry[]> => communityDirectory(ctx, input),
  }),

  /** Buildings → stairs → rooms of a 小区, without names, to pick one's unit. */
  unitTree: action({
    input: UnitTreeInput,
    access: 'user',
    handler: (input, ctx): Promise<UnitTree> => unitTree(ctx, input),
  }),

  /** Claims a unit: bound at once on a WeChat-verified roster phone, else a pending request for the committee (与名册一致 when typed details match). */
  bindUnit: action({
    input: BindUnitInput,
    access: 'user',
    handler: (input, ctx): Promise<BindResult> => bindUnit(ctx, input),
  }),

  listBindingRequests: action({
    input: ListBindingRequestsInput,
    access: MANAGERS,
    handler: (input, ctx): Promise<BindingRequestPage> => listBindingRequests(ctx, input),
  }),

  decideBinding: action({
    input: DecideBindingInput,
    access: MANAGERS,
    handler: (input, ctx): Promise<BindingRequest> => decideBinding(ctx, input),
  }),

  /** A photo of the 不动产权证 or purchase contract for an approval that adds an owner or sells a unit (cleaned, stored). */
  uploadBindingProof: action({
    input: UploadBindingProofInput,
    access: MANAGERS,
    bodyLimit: base64BodyLimit(BINDING_PROOF_MAX_BYTES),
    handler: (input, ctx): Promise<BindingProof> => uploadBindingProof(ctx, input),
  }),

  /** An owner invites a tenant of one of their units; answers the 8-character code. */
  inviteTenant: action({
    input: InviteTenantInput,
    access: OWNERS,
    handler: (input, ctx): Promise<Tenancy> => inviteTenant(ctx, input),
  }),

  acceptTenancy: action({
    input: AcceptTenancyInput,
    access: 'user',
    handler: (input, ctx): Promise<Tenancy> => acceptTenancy(ctx, input),
  }),

  revokeTenancy: action({
    input: RevokeTenancyInput,
    access: OWNERS,
    handler: (input, ctx): Promise<Tenancy> => revokeTenancy(ctx, input),
  }),

  listTenancies: action({
    input: ListTenanciesInput,
    access: OWNERS,
    handler: (input, ctx): Promise<Tenancy[]> => listTenancies(ctx, input),
  }),
}
