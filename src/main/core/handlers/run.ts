import type { DomainHandlers } from './types'
import type { runOps } from '../../../shared/api/run'

export const runHandlers: DomainHandlers<typeof runOps> = {}
