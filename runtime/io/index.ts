/**
 * Import / export: records leave (and later enter) the platform as files, under the caller's
 * scopes and field rules like every other answer.
 */
export { exportCsv, toCsv, CSV_BOM } from './export-csv'
export { exportColumns, exportLocale, type ExportColumn } from './export-columns'
export { cellText, csvLine, escapeCell, fieldCells, guardFormula } from './csv-cells'
export { runImport, startImport, type ImportListener } from './import-run'
export { previewImport, type ImportPreview, type PreviewRow } from './import-preview'
export { setUpImport, assertCanImport, type ImportFile, type ImportInput } from './import-setup'
export { importErrorFile, ERROR_COLUMNS } from './import-error-file'
export { getImportJob, loadImportMapping, saveImportMapping, type ImportJob } from './import-jobs'
export { suggestMapping, assertMapping, headerKey, type ImportMapping } from './import-mapping'
export { readRows, toImportFormat, xlsxCellText, type ImportFormat } from './import-source'
export { importWords, IMPORT_REFUSAL_TEXTS } from './import-refusal-texts'
export { exportXlsx, toXlsx } from './export-xlsx'
export { assertCanExport, exportTable, type ExportInput, type ExportTable } from './export-table'
export { exportReportTable } from './export-report'
export { loadExportTitles, type ExportTitles } from './export-titles'
export { importOrganisation, type OrgImportReport, type OrgImportProblem } from './import-org'
export { previewOrganisation, type OrgImportPreview } from './import-org-preview'
export { ORG_COLUMNS, suggestOrgMapping, type OrgColumn, type OrgMapping } from './import-org-file'
