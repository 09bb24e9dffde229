import { PAPER_MILLIMETRES, type Template, type TemplatePaper } from '../../metadata/template'

/** Fonts by language, CJK families last so Latin text keeps its face and Hanzi / Hangul render. */
const FONTS: Record<string, string> = {
  en: `'Noto Sans', 'Helvetica Neue', Arial, 'Noto Sans CJK SC', 'Noto Sans CJK KR', sans-serif`,
  'zh-CN': `'Noto Sans CJK SC', 'Noto Sans', 'Noto Sans CJK KR', sans-serif`,
  ko: `'Noto Sans CJK KR', 'Noto Sans', 'Noto Sans CJK SC', sans-serif`,
}

const DEFAULT_MARGIN = '15mm'

/** The page margins of a template's paper, each side defaulted. */
export function paperMargins(paper: TemplatePaper | undefined) {
  const m = paper?.margin ?? {}
  return {
    top: m.top ?? DEFAULT_MARGIN,
    right: m.right ?? DEFAULT_MARGIN,
    bottom: m.bottom ?? DEFAULT_MARGIN,
    left: m.left ?? DEFAULT_MARGIN,
  }
}

/** Width and height of the paper in millimetres, turned for landscape. */
export function paperSize(paper: TemplatePaper | undefined): { width: number; height: number } {
  const [short, long] = PAPER_MILLIMETRES[paper?.size ?? 'A4']
  return paper?.orientation === 'landscape'
    ? { width: long, height: short }
    : { width: short, height: long }
}

const escapeText = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/**
 * The whole HTML document of a print: the rendered body in a page of the template's paper, its
 * CSS (which cannot close the style element: checked at save, neutralised here too) and fonts
 * for the language. Used for the PDF and served as the HTML print view.
 */
export function buildPrintHtml(
  template: Template,
  body: string,
  locale: string,
  title: string,
): string {
  const margin = paperMargins(template.paper)
  const { width, height } = paperSize(template.paper)
  const style = (template.style ?? '').replace(/<\//g, '<\\/')
  return `<!doctype html>
<html lang="${escapeText(locale)}">
<head>
<meta charset="utf-8">
<title>${escapeText(title)}</title>
<style>
@page { size: ${width}mm ${height}mm; margin: ${margin.top} ${margin.right} ${margin.bottom} ${margin.left}; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${FONTS[locale] ?? FONTS.en}; font-size: 10pt; color: #1f2328; }
@media screen { body { max-width: ${width}mm; margin: 16px auto; padding: ${margin.top} ${margin.right}; box-shadow: 0 0 8px #0002; } }
${style}
</style>
</head>
<body>
${body}
</body>
</html>
`
}

/** The footer Chromium prints on every page when the paper asks for page numbers. */
export function pageNumberFooter(locale: string): string {
  const font = FONTS[locale] ?? FONTS.en
  return `<div style="width:100%;text-align:center;font-size:8pt;color:#666;font-family:${font}"><span class="pageNumber"></span> / <span class="totalPages"></span></div>`
}
