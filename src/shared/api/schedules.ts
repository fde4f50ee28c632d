import { op } from './op'

// Operations of the "schedules" domain (filled in by its owner).
export const schedulesOps = {} as const satisfies Record<string, ReturnType<typeof op>>
