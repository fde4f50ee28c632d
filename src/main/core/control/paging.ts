import type { ListResult } from '../../../shared/api/op'

/** Optional paging of a list read whole from KV: kanade's routes return everything, so no
 *  limit means all rows. `total` is the count before paging. */
export function page<T>(rows: T[], query: { limit?: number; offset?: number } | undefined): ListResult<T> {
  const offset = query?.offset ?? 0
  const items = query?.limit === undefined ? rows.slice(offset) : rows.slice(offset, offset + query.limit)
  return { items, total: rows.length }
}
