import type { DomainHandlers } from './types'
import type { resultsOps } from '../../../shared/api/results'

export const resultsHandlers: DomainHandlers<typeof resultsOps> = {}
