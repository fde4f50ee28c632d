import type { DomainHandlers } from './types'
import type { settingsOps } from '../../../shared/api/settings'
import { consoleSettings } from '../settings-view'

export const settingsHandlers: DomainHandlers<typeof settingsOps> = {
  async getSettings({ core }) {
    return consoleSettings(core)
  },
}
