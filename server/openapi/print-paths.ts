import type { Entity } from '../../metadata/entity'
import { LOCALES, toLabel } from '../../metadata/labels'
import type { Template } from '../../metadata/template'
import { errors, ok, ref } from './operation-parts'

/** Printing one record of an entity through one of its templates, beside its record paths. */
export function buildPrintPaths(entity: Entity, templates: Template[]): Record<string, unknown> {
  const one = toLabel(entity.label, 'en', entity.id)
  const ids = templates.filter((t) => t.entity === entity.id).map((t) => t.id)
  return {
    [`/api/data/${entity.id}/{id}/print/{template}`]: {
      get: {
        tags: [entity.id],
        operationId: `print_${entity.id}`,
        summary: `Print a ${one} through a template`,
        description:
          "A PDF printed by Chromium, or the HTML print view (`format=html`, or when the server prints no PDF: no Chromium, TRELLIS_CHROMIUM=off). The record must be in the caller's read scope (else 404, as reading it) and `print` scope (else 403); hidden fields and titles of records the caller may not read are never printed.",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          {
            name: 'template',
            in: 'path',
            required: true,
            description: 'A print template of the entity; another answers 404 naming it',
            schema: ids.length ? { type: 'string', enum: ids } : { type: 'string' },
          },
          {
            name: 'lang',
            in: 'query',
            description: "The document's language; default the caller's",
            schema: { type: 'string', enum: LOCALES },
          },
          {
            name: 'format',
            in: 'query',
            description: '`pdf` (default when the server prints PDFs) or `html`',
            schema: { type: 'string', enum: ['pdf', 'html'] },
          },
        ],
        responses: {
          200: {
            description: 'The printed record',
            headers: {
              'Content-Disposition': {
                description: 'attachment (PDF) or inline (HTML) with `<template>-<title>` as name',
                schema: { type: 'string' },
              },
            },
            content: {
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
              'text/html': { schema: { type: 'string' } },
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
      post: {
        tags: [entity.id],
        operationId: `printAndAttach_${entity.id}`,
        summary: `Print a ${one} to PDF and keep the PDF on it`,
        description:
          "Prints the PDF as GET does and adds it to an attachment field of the record (an `attachment` field has it replace its file), as an update by the caller: needs the read and print rules of GET and the `update` right and scope with the field writable (403). `field` defaults to the entity's first `attachments` field taking PDF files, else its first `attachment` one. A write that fails keeps no file. 503 when the server keeps no files or prints no PDF.",
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          {
            name: 'template',
            in: 'path',
            required: true,
            description: 'A print template of the entity; another answers 404 naming it',
            schema: ids.length ? { type: 'string', enum: ids } : { type: 'string' },
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  lang: { type: 'string', enum: LOCALES },
                  field: { type: 'string', description: 'An attachment field of the entity' },
                },
                additionalProperties: false,
              },
            },
          },
        },
        responses: {
          201: ok("The kept PDF, its field and the record's new version", {
            type: 'object',
            properties: {
              file: ref('File'),
              field: { type: 'string' },
              version: { type: 'integer' },
            },
            required: ['file', 'field', 'version'],
          }),
          ...errors(400, 401, 403, 404, 409, 415, 422, 503),
        },
      },
    },
  }
}
