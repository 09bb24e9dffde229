import { fillText, toLocale, type Locale } from './labels'

/** A text of one table in one language, its `{name}` placeholders filled. */
export type TextWords<K extends string> = (key: K, params?: Record<string, string>) => string

/**
 * The texts of a table in `locale` (English for one Trellis does not speak), for tables whose
 * placeholders need no naming by label.
 * @example textWords(QUERY_PARAM_TEXTS, 'ko')('notPositiveIntField') // '양의 정수여야 합니다'
 */
export function textWords<K extends string>(
  table: Record<Locale, Record<K, string>>,
  locale: string | undefined,
): TextWords<K> {
  const texts = table[toLocale(locale)]
  return (key, params) => fillText(texts[key], params)
}
