import type { DomainHandlers } from './types'
import type { jobsOps } from '../../../shared/api/jobs'

export const jobsHandlers: DomainHandlers<typeof jobsOps> = {}
