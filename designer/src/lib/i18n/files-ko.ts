import type { filesEn } from './files-en'

/** Korean strings of file uploads in forms. */
export const filesKo: Record<keyof typeof filesEn, string> = {
  'files.upload': '파일 업로드',
  'files.uploadMany': '파일 업로드',
  'files.uploading': '{name} 업로드 중…',
  'files.failed': '{name}: {reason}',
  'files.download': '{name} 다운로드',
  'files.remove': '{name} 삭제',
  'files.none': '파일 없음',
  'files.unsaved': '레코드를 저장하면 반영됩니다',
  'files.noTarget': '파일은 레코드 양식에서 추가할 수 있습니다.',
}
