import { op } from './op'

// Operations of the "jobs" domain (filled in by its owner).
export const jobsOps = {} as const satisfies Record<string, ReturnType<typeof op>>
