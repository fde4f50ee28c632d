import type { DomainHandlers } from './types'
import type { releasesOps } from '../../../shared/api/releases'

export const releasesHandlers: DomainHandlers<typeof releasesOps> = {}
