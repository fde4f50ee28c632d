import type { DomainHandlers } from './types'
import type { agentsOps } from '../../../shared/api/agents'

export const agentsHandlers: DomainHandlers<typeof agentsOps> = {}
