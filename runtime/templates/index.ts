export {
  renderTemplate,
  validateTemplate,
  MAX_TEMPLATE_OUTPUT,
  MAX_TEMPLATE_SOURCE,
  type RenderOptions,
} from './render-template'
export { pickTemplate, FALLBACK_LOCALE } from './pick-template'
export {
  formatDate,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  type FormatScope,
} from './format-helpers'
export {
  renderPrint,
  requirePrintTemplate,
  type PrintInput,
  type RenderedPrint,
} from './print-record'
export {
  createChromiumPrinter,
  isChromiumInstalled,
  DEFAULT_CHROMIUM_PATH,
  CHROMIUM_FLAGS,
  type PdfPrinter,
  type ChromiumPrinterOptions,
} from './pdf-printer'
export { printText, type PrintTitles } from './print-text'
export { emptyTargets, loadPrintTitles, type PrintTargets } from './print-titles'
export { attachPrint, type AttachPrintInput, type AttachedPrint } from './print-attach'
