/**
 * Import / export: records leave (and later enter) the platform as files, under the caller's
 * scopes and field rules like every other answer.
 */
export { exportCsv, CSV_BOM, type ExportInput } from './export-csv'
export { exportColumns, type ExportColumn } from './export-columns'
export { cellText, csvLine, escapeCell, fieldCells, guardFormula } from './csv-cells'
export { runImport, startImport, type ImportListener } from './import-run'
export { previewImport, type ImportPreview, type PreviewRow } from './import-preview'
export { setUpImport, assertCanImport, type ImportFile, type ImportInput } from './import-setup'
export { importErrorFile, ERROR_COLUMNS } from './import-error-file'
export { getImportJob, loadImportMapping, saveImportMapping, type ImportJob } from './import-jobs'
export { suggestMapping, assertMapping, headerKey, type ImportMapping } from './import-mapping'
export { readRows, toImportFormat, xlsxCellText, type ImportFormat } from './import-source'
export { exportXlsx } from './export-xlsx'
export { exportTable, type ExportTable } from './export-csv'
export { importOrganisation, type OrgImportReport, type OrgImportProblem } from './import-org'
