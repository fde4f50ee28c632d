import { EventEmitter } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect, credsAuthenticator, type NatsConnection } from 'nats'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'closed'

export interface ConnectionStatus {
  state: ConnectionState
  server: string | null
  since: string
  lastError: string | null
  reconnects: number
}

export interface NatsOptions {
  servers: string[]
  token?: string | null
  credsFile?: string | null
  name?: string
}

/** A NATS connection that reconnects forever and reports its state. */
export class NatsLink extends EventEmitter {
  nc!: NatsConnection
  /** How this link connected (a projection thread opens its own connection the same way). */
  options!: NatsOptions
  status: ConnectionStatus = {
    state: 'connecting',
    server: null,
    since: new Date().toISOString(),
    lastError: null,
    reconnects: 0,
  }

  static async open(opts: NatsOptions): Promise<NatsLink> {
    const link = new NatsLink()
    link.options = opts
    const authenticator = opts.credsFile
      ? credsAuthenticator(new Uint8Array(readFileSync(opts.credsFile)))
      : undefined
    link.nc = await connect({
      servers: opts.servers,
      token: opts.token ?? undefined,
      authenticator,
      name: opts.name ?? 'kanade-console',
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      reconnectJitter: 500,
      pingInterval: 10_000,
      waitOnFirstConnect: true,
    })
    link.set('connected', link.nc.getServer())
    void link.watch()
    return link
  }

  private set(state: ConnectionState, server: string | null = this.status.server, err: string | null = null) {
    this.status = {
      ...this.status,
      state,
      server,
      since: new Date().toISOString(),
      lastError: err ?? this.status.lastError,
    }
    this.emit('status', this.status)
  }

  private async watch(): Promise<void> {
    for await (const s of this.nc.status()) {
      switch (s.type) {
        case 'disconnect':
          this.set('disconnected', null, `disconnected from ${String(s.data)}`)
          break
        case 'reconnecting':
          if (this.status.state !== 'reconnecting') this.set('reconnecting', null)
          break
        case 'reconnect':
          this.status.reconnects++
          this.set('connected', String(s.data))
          break
        case 'error':
          this.status.lastError = String(s.data)
          break
      }
    }
  }

  get connected(): boolean {
    return this.status.state === 'connected' && !this.nc.isClosed()
  }

  async close(): Promise<void> {
    if (!this.nc.isClosed()) {
      try {
        await this.nc.drain()
      } catch {
        await this.nc.close()
      }
    }
    this.set('closed', null)
  }
}
