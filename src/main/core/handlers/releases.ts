import type { DomainHandlers } from './types'
import type { releasesOps } from '../../../shared/api/releases'
import { page } from '../control/paging'
import { deleteRelease, listReleases, publishRelease, rolloutRelease } from '../control/releases'

export const releasesHandlers: DomainHandlers<typeof releasesOps> = {
  async listReleases({ core }) {
    return page(await listReleases(core), undefined)
  },
  async deleteRelease({ core, caller }, { params }) {
    await deleteRelease(core, caller, params.version)
  },
  async publishRelease({ core, caller }, { body }) {
    return publishRelease(core, caller, body)
  },
  async rolloutRelease({ core, caller }, { body }) {
    return rolloutRelease(core, caller, body)
  },
}
