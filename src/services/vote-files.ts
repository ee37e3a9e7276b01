import type { ExportFile } from '../contracts/votes'
import { saveFile } from './save-file'
import { pickImages, type PickedUpload } from './notice-files'
import { requestWithFile } from './upload'

/** Saves an exported workbook where the person can open it (a download, or a file WeChat opens). */
export function saveExport(file: ExportFile): Promise<void> {
  return saveFile(file, 'xlsx')
}

/** The photo of a signed paper ballot: taken or picked, then stored on the server; answers its reference. */
export async function pickAndUploadEvidence(communityId: string, voteId: string): Promise<{ evidenceRef: string; name: string } | null> {
  const [photo]: PickedUpload[] = await pickImages(1)
  if (!photo) return null
  const res = await requestWithFile('uploadBallotEvidence', { communityId, voteId, fileName: photo.name }, photo, 'dataBase64')
  return { evidenceRef: res.evidenceRef, name: photo.name }
}
