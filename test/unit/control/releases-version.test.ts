import { describe, expect, it } from 'vitest'
import { versionFromFileName } from '../../../src/main/core/control/releases'

describe('release version from the file name', () => {
  it.each([
    ['kanade-agent-0.30.2.exe', '0.30.2'],
    ['kanade-agent-0.30.2', '0.30.2'],
    ['C:\\dl\\kanade-agent-v1.2.3.exe', '1.2.3'],
    ['kanade-agent_0.31.0-rc.1.exe', '0.31.0-rc.1'],
    ['KANADE-AGENT-2.0.0.EXE', '2.0.0'],
  ])('%s → %s', (name, version) => expect(versionFromFileName(name)).toBe(version))

  it.each(['agent.exe', 'kanade-agent.exe', 'kanade-agent-1.2.exe', 'my-kanade-agent-1.2.3.exe.bak'])('%s → none', (name) =>
    expect(versionFromFileName(name)).toBeNull(),
  )
})
