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
