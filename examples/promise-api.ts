/**
 * Pasarela without Effect: the Promise API and the webhook handler mounted in plain Node `http`.
 * Run it with `pnpm exec tsx --conditions=@pasarela/source examples/promise-api.ts`.
 */
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Money, type PaymentEvent } from "@pasarela/core"
import { NodeListener } from "@pasarela/node"
import { Sandbox } from "@pasarela/sandbox"
import { createPasarela } from "pasarela"

export const main = async (): Promise<ReadonlyArray<string>> => {
  const sandbox = await Sandbox.start()
  const lines: Array<string> = []
  let received: (event: PaymentEvent.PaymentEvent) => void = () => {}
  const paid = new Promise<PaymentEvent.PaymentEvent>((resolve) => {
    received = resolve
  })

  // Your server: the webhook endpoint lives at /webhooks/<merchant>/<provider>.
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo

  const pasarela = await createPasarela(
    {
      webhooks: { publicBaseUrl: `http://127.0.0.1:${port}/webhooks` },
      merchants: {
        "hotel-bogota": {
          provider: "placetopay",
          options: { login: "sandbox-login-site-1001", baseUrl: sandbox.baseUrl },
          secrets: { secretKey: "BOGOTA_PLACETOPAY_SECRET" }
        }
      }
    },
    {
      // In production these come from process.env; here, the sandbox's published test secret.
      env: { BOGOTA_PLACETOPAY_SECRET: "sandbox-secret-1001-NOT-A-REAL-KEY" },
      onEvent: async (event) => received(event)
    }
  )
  // Streams each body to the handler, and never lets a request or a failing onEvent throw.
  server.on("request", NodeListener.fromWebHandler(pasarela.webhooks.handle))

  try {
    const link = await pasarela.links.create({
      merchantId: "hotel-bogota",
      reference: "BK-PROMISE-1",
      description: "1 night, single room",
      amount: Money.make("210000", "COP"),
      payer: { name: "Andrés", surname: "Zea", email: "andres@example.com" },
      expiresIn: "2 hours"
    })
    lines.push(`created ${link.reference}: ${link.url}`)

    // The guest pays (the sandbox's control endpoint plays the guest).
    const providerId = link.id.split(":").pop()
    await fetch(`${sandbox.baseUrl}/__sandbox/placetopay/links/${providerId}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ card: { number: "4110760000000081" } })
    })
    const event = await paid
    lines.push(`notified ${event.type} for ${event.reference} (verified: ${event.verified})`)
    // The event names the link as the API does: read it back for its authoritative state.
    lines.push(`status ${(await pasarela.links.get(event.subject.id)).status}`)
  } finally {
    await pasarela.close()
    server.close()
    await sandbox.close()
  }
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (lines) => console.log(lines.join("\n")),
    (error: unknown) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
