import type { Msg, NatsConnection, Subscription } from 'nats'

// The first message of a core subscription, or null after `ms`. The subscription is made
// (and flushed) by the caller BEFORE it publishes whatever triggers the answer.

export async function subscribeFirst(nc: NatsConnection, subject: string): Promise<Subscription> {
  const sub = nc.subscribe(subject, { max: 1 })
  await nc.flush()
  return sub
}

export async function firstMessage(sub: Subscription, ms: number): Promise<Msg | null> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms)
  })
  const first = (async () => {
    for await (const m of sub) return m
    return null
  })()
  try {
    return await Promise.race([first, timeout])
  } finally {
    clearTimeout(timer)
    sub.unsubscribe()
  }
}
