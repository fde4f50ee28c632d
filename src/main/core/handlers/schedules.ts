import type { DomainHandlers } from './types'
import type { schedulesOps } from '../../../shared/api/schedules'
import { page } from '../control/paging'
import {
  deleteSchedule,
  disableSchedule,
  enableSchedule,
  getSchedule,
  listSchedules,
  upsertSchedule,
} from '../control/schedules'
import { scheduleStates, upcomingFires } from '../scheduler'
import { previewCron } from '../scheduler/preview'

export const schedulesHandlers: DomainHandlers<typeof schedulesOps> = {
  async listSchedules({ core }, { query }) {
    return page(await listSchedules(core), query)
  },
  async upcomingSchedules({ core }, { query }) {
    return page(await upcomingFires(core, query.limit, query.schedule_id), undefined)
  },
  async previewSchedule({ core }, { body }) {
    return previewCron(body.cron, body.tz, body.count, core.now())
  },
  async scheduleStates({ core }) {
    return page(await scheduleStates(core), undefined)
  },
  async getSchedule({ core }, { params }) {
    return getSchedule(core, params.id)
  },
  async upsertSchedule({ core, caller }, { body }) {
    return upsertSchedule(core, caller, body)
  },
  async deleteSchedule({ core, caller }, { params }) {
    await deleteSchedule(core, caller, params.id)
  },
  async disableSchedule({ core, caller }, { params, query }) {
    await disableSchedule(core, caller, params.id, query.cascade)
  },
  async enableSchedule({ core, caller }, { params }) {
    await enableSchedule(core, caller, params.id)
  },
}
