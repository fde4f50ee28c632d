import type { DomainHandlers } from './types'
import type { projectorsOps } from '../../../shared/api/projectors'

export const projectorsHandlers: DomainHandlers<typeof projectorsOps> = {}
