import type { DomainHandlers } from './types'
import type { executionsOps } from '../../../shared/api/executions'
import { notFound } from '../../../shared/api/errors'
import { getExecution, listExecutions } from '../queries/executions'

export const executionsHandlers: DomainHandlers<typeof executionsOps> = {
  async listExecutions({ core }, { query }) {
    return listExecutions(core.db, query)
  },
  async getExecution({ core }, { params }) {
    const e = getExecution(core.db, params.exec_id)
    if (!e) throw notFound(`execution '${params.exec_id}' not found`)
    return e
  },
}
