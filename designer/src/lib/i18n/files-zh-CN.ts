import type { filesEn } from './files-en'

/** Simplified Chinese strings of file uploads in forms. */
export const filesZhCN: Record<keyof typeof filesEn, string> = {
  'files.upload': '上传文件',
  'files.uploadMany': '上传文件',
  'files.uploading': '正在上传 {name}…',
  'files.failed': '{name}：{reason}',
  'files.download': '下载 {name}',
  'files.remove': '移除 {name}',
  'files.none': '暂无文件',
  'files.unsaved': '保存记录后生效',
  'files.noTarget': '请在记录表单中添加文件。',
}
