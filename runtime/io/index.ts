/**
 * Import / export: records leave (and later enter) the platform as files, under the caller's
 * scopes and field rules like every other answer.
 */
export { exportCsv, CSV_BOM, type ExportInput } from './export-csv'
export { exportColumns, type ExportColumn } from './export-columns'
export { cellText, csvLine, escapeCell, fieldCells, guardFormula } from './csv-cells'
