import type { SubsystemFactory } from '../console'
import type { CoreServices } from '../services'
import { CleanupLoop } from './cleanup-loop'
import { WaveDispatcher, type ControlHandle } from './wave-dispatcher'

// The control plane's background work, registered as subsystem 'control': the wave dispatcher
// (persisted delayed waves, Q10) and the cleanup loop. Request handling needs no subsystem.

export interface ControlSubsystem extends ControlHandle {
  cleanup: CleanupLoop
}

export async function startControl(core: CoreServices): Promise<ControlSubsystem> {
  const waves = new WaveDispatcher(core)
  const cleanup = new CleanupLoop(core)
  waves.start()
  cleanup.start()
  return {
    waves,
    cleanup,
    async stop() {
      cleanup.stop()
      await waves.stop()
    },
  }
}

export const controlSubsystem: SubsystemFactory = { name: 'control', start: startControl }
