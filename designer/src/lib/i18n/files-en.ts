/** English strings of file uploads in forms. */
export const filesEn = {
  'files.upload': 'Upload file',
  'files.uploadMany': 'Upload files',
  'files.uploading': 'Uploading {name}…',
  'files.failed': '{name}: {reason}',
  'files.download': 'Download {name}',
  'files.remove': 'Remove {name}',
  'files.none': 'No files',
  'files.unsaved': 'Saved with the record',
  'files.noTarget': 'Files can be added on the record form.',
}
