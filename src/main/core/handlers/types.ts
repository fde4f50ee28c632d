import type { OperationDef, OpInput, OpOutput } from '../../../shared/api/op'
import type { Operations } from '../../../shared/api/index'
import type { CoreServices } from '../services'

/** Who is calling: drives audit actors (CONVENTIONS.md "Audit actions"). */
export interface Caller {
  /** `console` (desktop), the JWT subject, `static-token`, or `operator` when auth is off. */
  actor: string
  /** Authenticated subject for audit payloads (`sub`), absent when auth is disabled. */
  sub?: string
  /** X-Kanade-Source header (cli, spa, …). */
  source?: string
}

export interface HandlerContext {
  core: CoreServices
  caller: Caller
}

export type Handler<D extends OperationDef> = (ctx: HandlerContext, input: OpInput<D>) => Promise<OpOutput<D>>

export type DomainHandlers<Ops extends Record<string, OperationDef>> = { [K in keyof Ops]: Handler<Ops[K]> }

export type AllHandlers = DomainHandlers<Operations>
