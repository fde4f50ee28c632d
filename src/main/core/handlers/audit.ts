import type { DomainHandlers } from './types'
import type { auditOps } from '../../../shared/api/audit'
import { listAudit } from '../queries/audit'

export const auditHandlers: DomainHandlers<typeof auditOps> = {
  async listAudit({ core }, { query }) {
    return listAudit(core.db, query)
  },
}
