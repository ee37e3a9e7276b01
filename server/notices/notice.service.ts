/**
 * What other features use of notices: publishing as the system (a vote's announcement and
 * result; later fees' arrears postings). The notices feature itself is split by concern:
 *   notice.publish.ts   system publishing, the one path that writes a new notice (unchecked as to who)
 *   notice.policy.ts    who may publish and manage
 *   notice.commands.ts  a publisher's publish, edit, pin, withdraw
 *   notice.queries.ts   feed, one notice, unread badge, read counts, publisher options
 *   notice-files.*      uploads and downloads of notice files
 * The personal-data check is server/privacy/personal-data.ts.
 */
export { publishSystemNotice, type SystemPublishInput } from './notice.publish'
