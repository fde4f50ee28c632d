import { op } from './op'

// Operations of the "audit" domain (filled in by its owner).
export const auditOps = {} as const satisfies Record<string, ReturnType<typeof op>>
