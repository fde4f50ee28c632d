import type { DomainHandlers } from './types'
import type { resultsOps } from '../../../shared/api/results'
import { notFound } from '../../../shared/api/errors'
import { getResult, listResults } from '../queries/results'
import { resultsHistogram } from '../queries/results-histogram'

export const resultsHandlers: DomainHandlers<typeof resultsOps> = {
  async listResults({ core }, { query }) {
    return listResults(core.db, query)
  },
  async resultsHistogram({ core }, { query }) {
    return resultsHistogram(core.db, { since: query.since, until: query.until, bucketSecs: query.bucket }, core.now())
  },
  async getResult({ core }, { params }) {
    const r = getResult(core.db, params.result_id)
    if (!r) throw notFound(`result '${params.result_id}' not found`)
    return r
  },
}
