import type { Migration, MigrationProvider } from 'kysely'
import * as m001 from './001_foundation'

/**
 * Migrations listed in code rather than read from a folder, so the bundled cloud function
 * carries them too. Add new ones at the end; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '001_foundation': m001,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
