import { DEFAULT_UPLOAD_MAX_BYTES } from '../../runtime/files'
import { errors, ok, ref, uuidPath, type PathGroup } from './operation-parts'

const schemas = {
  File: {
    type: 'object',
    description:
      'A stored file. Put `{ "id": … }` in an attachment field of a record write to attach it; the record then holds this object.',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: {
        type: 'string',
        description: 'The last part of the uploaded name, at most 255 characters',
      },
      type: { type: 'string', description: 'MIME type, declared or from the extension' },
      size: { type: 'integer', minimum: 1, description: 'Bytes' },
    },
    required: ['id', 'name', 'type', 'size'],
  },
}

const fileHeaders = (disposition: string) => ({
  'Content-Disposition': {
    description: `${disposition}; filename="<ASCII fallback>"; filename*=UTF-8''<the name, RFC 5987>`,
    schema: { type: 'string' },
  },
  'X-Content-Type-Options': { description: 'nosniff', schema: { type: 'string' } },
  ETag: { description: 'The sha-256 of the bytes, quoted', schema: { type: 'string' } },
})

/** Uploads, downloads and image previews (files keep the permissions of their record). */
export function buildFilePaths(): PathGroup {
  const tags = ['files']
  return {
    tags: [{ name: 'files', description: 'Uploads for attachment fields, downloads and previews' }],
    schemas,
    paths: {
      '/api/files': {
        post: {
          tags,
          operationId: 'uploadFile',
          summary: 'Upload a file for an attachment field',
          description: `Streams one multipart part named \`file\` into the file store as the caller's pending upload for \`entity\`.\`field\`; a record write that puts its id in that field attaches it. Limits: the field's \`maxFileSize\` and \`accept\` within the instance's (default ${DEFAULT_UPLOAD_MAX_BYTES} bytes, documents and raster images): 413 or 415 naming the field. Uploads never attached are swept after a day. Needs the create or update action on the entity (403).`,
          parameters: [
            {
              name: 'entity',
              in: 'query',
              required: true,
              description: 'The entity of the record the file is for',
              schema: { type: 'string' },
            },
            {
              name: 'field',
              in: 'query',
              required: true,
              description: 'Its attachment field; `lines.receipt` for a field of child rows',
              schema: { type: 'string' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: { file: { type: 'string', format: 'binary' } },
                  required: ['file'],
                },
              },
            },
          },
          responses: {
            201: ok('Stored, not yet attached', ref('File')),
            ...errors(400, 401, 403, 413, 415, 422, 503),
          },
        },
      },
      '/api/files/{id}': {
        get: {
          tags,
          operationId: 'downloadFile',
          summary: 'Download a file',
          description:
            'Always as an attachment, never shown inline; HTML, SVG and other active types go out as application/octet-stream. Readable by whoever may read the record and the field holding it, a pending upload only by its uploader: anything else answers 404, as an unknown id.',
          parameters: [uuidPath('id', 'A file id')],
          responses: {
            200: {
              description: 'The bytes',
              headers: fileHeaders('attachment'),
              content: {
                'application/octet-stream': { schema: { type: 'string', format: 'binary' } },
              },
            },
            ...errors(401, 404),
          },
        },
      },
      '/api/files/{id}/preview': {
        get: {
          tags,
          operationId: 'previewFile',
          summary: 'Show an image inline (PNG, JPEG, GIF, WebP only)',
          description:
            'The same permissions as the download. Any other type, SVG included, answers 415: download it instead.',
          parameters: [uuidPath('id', 'A file id')],
          responses: {
            200: {
              description: 'The image',
              headers: fileHeaders('inline'),
              content: { 'image/*': { schema: { type: 'string', format: 'binary' } } },
            },
            ...errors(401, 404, 415),
          },
        },
      },
    },
  }
}
