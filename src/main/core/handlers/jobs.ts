import type { DomainHandlers } from './types'
import type { jobsOps } from '../../../shared/api/jobs'
import { notFound } from '../../../shared/api/errors'
import { deleteManifest, listManifests, readManifest, upsertManifest } from '../control/jobs'
import { assertKey } from '../control/validate'
import { page } from '../control/paging'

export const jobsHandlers: DomainHandlers<typeof jobsOps> = {
  async listJobs({ core }, { query }) {
    return page(await listManifests(core), query)
  },
  async getJob({ core }, { params }) {
    assertKey(params.id, 'id')
    const m = await readManifest(core, params.id)
    if (!m) throw notFound(`job '${params.id}' not found in catalog`)
    return m
  },
  async upsertJob({ core, caller }, { body }) {
    return upsertManifest(core, caller, body)
  },
  async deleteJob({ core, caller }, { params }) {
    assertKey(params.id, 'id')
    await deleteManifest(core, caller, params.id)
  },
}
