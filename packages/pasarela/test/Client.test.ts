import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Money, PaymentError, type PaymentEvent } from "@pasarela/core"
import { MemoryNotification } from "@pasarela/memory"
import { NodeListener } from "@pasarela/node"
import * as Redacted from "effect/Redacted"
import { createPasarela, type PasarelaClient } from "pasarela"

const config = {
  merchants: {
    "hotel-bogota": { provider: "memory", options: { idPrefix: "bog" }, secrets: { webhookSecret: "BOGOTA_SECRET" } },
    "hotel-lima": { provider: "memory", options: { idPrefix: "lim" } }
  }
}
const env = { BOGOTA_SECRET: "bogota-webhook-secret" }
const input = (merchantId: string) => ({
  merchantId,
  reference: `BK-${merchantId}`,
  description: "2 nights",
  amount: Money.make("120000", "COP"),
  expiresIn: "24 hours"
})

/** Plain Node `http`, as the README mounts the Web-standard handler. */
const mount = (handle: (request: Request) => Promise<Response>) => createServer(NodeListener.fromWebHandler(handle))

describe("Promise API", () => {
  let pasarela: PasarelaClient
  const events: Array<PaymentEvent.PaymentEvent> = []
  let failNextEvent = false
  beforeAll(async () => {
    pasarela = await createPasarela(config, {
      env,
      onEvent: async (event) => {
        if (failNextEvent) {
          failNextEvent = false
          throw new Error("database down")
        }
        events.push(event)
      }
    })
  })
  afterAll(() => pasarela.close())

  it("creates, reads and disables links per hotel", async () => {
    const bogota = await pasarela.links.create(input("hotel-bogota"))
    const lima = await pasarela.links.create(input("hotel-lima"))
    expect([bogota.merchantId, lima.merchantId]).toEqual(["hotel-bogota", "hotel-lima"])
    expect((await pasarela.links.get(bogota.id)).reference).toBe("BK-hotel-bogota")
    expect((await pasarela.links.disable(lima.id)).status).toBe("disabled")
  })

  it("rejects with the typed PaymentError", async () => {
    const error = await pasarela.links.create({ ...input("hotel-bogota"), reference: "" }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PaymentError.PaymentError)
    expect((error as PaymentError.PaymentError).reason._tag).toBe("InvalidRequest")
    const unknown = await pasarela.links.create(input("hotel-quito")).catch((e: unknown) => e)
    expect((unknown as PaymentError.PaymentError).message).toContain('no merchant "hotel-quito" is configured')
  })

  it("refuses to start on a bad configuration, with every problem in one error", async () => {
    const error = await createPasarela({ merchants: { a: { provider: "x" }, b: { provider: "y" } } }, { env }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(PaymentError.PaymentError)
    expect((error as PaymentError.PaymentError).message).toMatch(/merchants\.a\.provider.*merchants\.b\.provider/)
  })

  it("refuses to start when a secret's environment variable is not set: a Configuration error naming it", async () => {
    const error = await createPasarela(
      {
        merchants: {
          "hotel-cartagena": {
            provider: "autocore",
            options: { accessKey: "AK", baseUrl: "development", hotelId: 5 },
            secrets: { secretKey: "CARTAGENA_AUTOCORE_SECRET", webhookSecret: "CARTAGENA_WEBHOOK_SECRET" }
          }
        }
      },
      { env: {} }
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PaymentError.PaymentError)
    expect((error as PaymentError.PaymentError).reason._tag).toBe("Configuration")
    expect((error as PaymentError.PaymentError).message).toContain("merchants.hotel-cartagena.secrets.secretKey")
    expect((error as PaymentError.PaymentError).message).toContain("merchants.hotel-cartagena.secrets.webhookSecret")
  })

  it("receives notifications through plain Node http: verified, deduplicated, re-delivered after a failure", async () => {
    const server = mount(pasarela.webhooks.handle)
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    try {
      const notification = MemoryNotification.signed(Redacted.make(env.BOGOTA_SECRET), {
        id: "pay_1",
        type: "payment.approved",
        subject: { kind: "link", id: "bog-lnk_1" },
        reference: "BK-hotel-bogota",
        amount: { amount: "120000", currency: "COP" },
        status: "APPROVED",
        merchantId: "hotel-bogota",
        occurredAt: "2026-11-22T10:00:00.000Z"
      })
      const post = (path: string, body: string) =>
        fetch(`http://127.0.0.1:${port}${path}`, {
          method: "POST",
          body,
          headers: { "content-type": "application/json" }
        })
      const body = JSON.stringify(notification)

      failNextEvent = true
      expect((await post("/webhooks/hotel-bogota/memory", body)).status).toBe(500)
      expect(events).toHaveLength(0)
      expect((await post("/webhooks/hotel-bogota/memory", body)).status).toBe(200)
      expect((await post("/webhooks/hotel-bogota/memory", body)).status).toBe(200)
      expect(events.map((e) => [e.type, e.merchantId, e.reference])).toEqual([
        ["payment.approved", "hotel-bogota", "BK-hotel-bogota"]
      ])
      // Forged (signed with another secret), for another hotel, unknown hotel, wrong path.
      const forged = JSON.stringify(MemoryNotification.signed(Redacted.make("guess"), { ...notification, id: "pay_2" }))
      expect((await post("/webhooks/hotel-bogota/memory", forged)).status).toBe(400)
      expect((await post("/webhooks/hotel-lima/memory", body)).status).toBe(400)
      expect((await post("/webhooks/hotel-quito/memory", body)).status).toBe(404)
      expect((await post("/elsewhere", body)).status).toBe(404)
      expect(events).toHaveLength(1)
    } finally {
      server.close()
    }
  })
})
