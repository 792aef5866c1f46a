/**
 * The app the browser tests pay for: a hotel app on the Promise API with two hotels (Bogotá on
 * PlacetoPay, Cartagena on Autocore) against the embedded sandbox, its webhook endpoint served by
 * plain Node http. It records every event its handler receives, and can be told to fail the first
 * deliveries for a reference (answering 500), as an app with a bug would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import type { PaymentEvent } from "@pasarela/core"
import { AutocoreSandbox, PasarelaSetup, Sandbox } from "@pasarela/sandbox"
import type * as Duration from "effect/Duration"
import { createPasarela, type PasarelaClient } from "pasarela"

export interface App {
  readonly sandbox: Sandbox.Started
  readonly pasarela: PasarelaClient
  /** Every event the handler accepted, in order. */
  readonly events: ReadonlyArray<PaymentEvent.PaymentEvent>
  /** Resolves with the first accepted event that matches (already received or still to come). */
  readonly waitForEvent: (
    match: (event: PaymentEvent.PaymentEvent) => boolean,
    timeoutMs?: number
  ) => Promise<PaymentEvent.PaymentEvent>
  /** The handler throws for the next `times` events about `reference` (the endpoint answers 500). */
  readonly failNext: (reference: string, times: number) => void
  readonly close: () => Promise<void>
}

const toNode =
  (handle: (request: Request) => Promise<Response>) => async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Array<Buffer> = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const response = await handle(
      new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method ?? "POST",
        headers: req.headers as Record<string, string>,
        ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {})
      })
    )
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(await response.text())
  }

export const startApp = async (options: { readonly autocoreRetry?: Duration.DurationInput } = {}): Promise<App> => {
  // Autocore re-delivers every 30 minutes; half a second lets a test watch it happen.
  const sandbox = await Sandbox.start({
    autocore: { accounts: AutocoreSandbox.defaultAccounts, webhookRetryInterval: options.autocoreRetry ?? "500 millis" }
  })
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  const events: Array<PaymentEvent.PaymentEvent> = []
  const waiting: Array<{
    match: (e: PaymentEvent.PaymentEvent) => boolean
    resolve: (e: PaymentEvent.PaymentEvent) => void
  }> = []
  const failures = new Map<string, number>()

  const pasarela = await createPasarela(
    PasarelaSetup.config(sandbox.baseUrl, { publicBaseUrl: `http://127.0.0.1:${port}/webhooks` }),
    {
      env: PasarelaSetup.env({ webhookSecret: "browser-tests-webhook-secret-cartagena" }),
      onEvent: async (event) => {
        const failing = failures.get(event.reference) ?? 0
        if (failing > 0) {
          failures.set(event.reference, failing - 1)
          throw new Error(`the app failed on ${event.reference} (on purpose)`)
        }
        events.push(event)
        for (const waiter of waiting.splice(0)) {
          if (waiter.match(event)) waiter.resolve(event)
          else waiting.push(waiter)
        }
      }
    }
  )
  server.on("request", toNode(pasarela.webhooks.handle))

  return {
    sandbox,
    pasarela,
    events,
    waitForEvent: (match, timeoutMs = 10_000) => {
      const seen = events.find(match)
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching event within ${timeoutMs} ms`)), timeoutMs)
        waiting.push({
          match,
          resolve: (event) => {
            clearTimeout(timer)
            resolve(event)
          }
        })
      })
    },
    failNext: (reference, times) => void failures.set(reference, times),
    close: async () => {
      await pasarela.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await sandbox.close()
    }
  }
}
