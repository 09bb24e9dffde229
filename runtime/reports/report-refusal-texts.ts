import { fillText, toLabel, toLocale, type Locale } from '../../metadata/labels'
import type { Ctx } from '../context'
import { ForbiddenError } from '../errors'

/*
 * The 403 of a report its caller may not run (no read right on its source), in the caller's
 * language. English names the report and the entity by their ids, as it always has; zh-CN and ko
 * by their labels. `details[].path` stays `id`.
 */

type Key = 'mayNotRun' | 'mayNotRunField'

/** The report refusals in each language; {report} and {entity} as the caller's language names them. */
export const REPORT_REFUSAL_TEXTS: Record<Locale, Record<Key, string>> = {
  en: {
    mayNotRun: "You may not run report '{report}'",
    mayNotRunField: "no 'read' right on '{entity}'",
  },
  'zh-CN': {
    mayNotRun: '您无权运行报表“{report}”',
    mayNotRunField: '您对{entity}没有查看权限',
  },
  ko: {
    mayNotRun: '"{report}" 보고서를 실행할 권한이 없습니다',
    mayNotRunField: '{entity}에 대한 조회 권한이 없습니다',
  },
}

/**
 * The 403 for report `reportId` over `entityId`, refused for want of the read right.
 * @example mayNotRunReport(ctx, 'sales-by-rep-month', 'salesOrder') // 您无权运行报表“按销售员…”
 */
export function mayNotRunReport(
  ctx: Pick<Ctx, 'user' | 'meta'>,
  reportId: string,
  entityId: string,
): ForbiddenError {
  const locale = toLocale(ctx.user?.locale)
  const name = (id: string, labels: Parameters<typeof toLabel>[0]) =>
    locale === 'en' ? id : toLabel(labels, locale, id)
  const params = {
    report: name(reportId, ctx.meta.reports.get(reportId)?.label),
    entity: name(entityId, ctx.meta.entities.get(entityId)?.label),
  }
  const texts = REPORT_REFUSAL_TEXTS[locale]
  return new ForbiddenError(fillText(texts.mayNotRun, params), [
    { path: 'id', message: fillText(texts.mayNotRunField, params) },
  ])
}
