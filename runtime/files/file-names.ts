/** Longest file name kept, in characters. */
export const MAX_FILE_NAME = 255

/**
 * The name a file is shown and downloaded under: the last part of what the client sent (no
 * folders, either slash), without control characters, trimmed, at most 255 characters; `file`
 * when nothing is left. Only ever shown: storage keys never come from it.
 * @example toFileName('C:\\Users\\me\\报价单.pdf') // '报价单.pdf'
 */
export function toFileName(raw: string | undefined): string {
  const last = (raw ?? '').split(/[/\\]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim()
  const name = clean === '.' || clean === '..' ? '' : clean
  return [...name].slice(0, MAX_FILE_NAME).join('') || 'file'
}
