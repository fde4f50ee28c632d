import { op } from './op'

// Operations of the "groups" domain (filled in by its owner).
export const groupsOps = {} as const satisfies Record<string, ReturnType<typeof op>>
