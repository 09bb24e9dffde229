/**
 * Search: free text over every entity the caller may read, in their read scope and over only the
 * fields they may read (a hidden field is never matched, so a hit cannot reveal its value).
 */
export { searchRecords, MAX_HITS, type SearchHit, type SearchResult } from './search-records'
export { DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY_LENGTH, type SearchInput } from './search-input'
export { buildSearchSql, escapeLike } from './search-sql'
