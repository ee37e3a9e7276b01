/** Row shapes of the identity tables added by migration 013_privacy, snake_case as stored. */

/** One person's acceptance of one version of the privacy policy. */
export interface PrivacyConsentTable {
  user_id: string
  version: string
  accepted_at: string
}

/** Merged into the app's Database interface (server/db/database.ts). */
export interface IdentityTables {
  privacy_consents: PrivacyConsentTable
}
