/**
 * A configuration with a merchant of each kind, and genuine notifications for them, signed the way
 * each gateway signs (recomputed here from the specs, not with the adapters' own code).
 */
import { createHash } from "node:crypto"
import { MemoryNotification } from "@pasarela/memory"
import * as Redacted from "effect/Redacted"

export const env = {
  BOGOTA_SECRET: "bogota-webhook-secret-0123",
  QUITO_SECRET: "quito-site-secret-key",
  CUSCO_SECRET: "cusco-site-secret-key",
  CARTAGENA_KEY: "TESTSECRETKEY0123456789abcdefXYZ",
  CARTAGENA_WEBHOOK: "cartagena-webhook-secret-0123"
}

/** Nothing here calls a gateway: the base URLs lead nowhere. */
const nowhere = "http://127.0.0.1:9"

export const config = {
  merchants: {
    "hotel-bogota": { provider: "memory", secrets: { webhookSecret: "BOGOTA_SECRET" } },
    // No secret of its own: its notifications are refused.
    "hotel-lima": { provider: "memory" },
    "hotel-quito": {
      provider: "placetopay",
      options: { login: "site-quito", baseUrl: nowhere },
      secrets: { secretKey: "QUITO_SECRET" }
    },
    "hotel-cusco": {
      provider: "placetopay",
      options: { login: "site-cusco", baseUrl: nowhere },
      secrets: { secretKey: "CUSCO_SECRET" }
    },
    "hotel-cartagena": {
      provider: "autocore",
      options: { accessKey: "TESTACCESSKEY001", baseUrl: nowhere, hotelId: 5 },
      secrets: { secretKey: "CARTAGENA_KEY", webhookSecret: "CARTAGENA_WEBHOOK" }
    }
  }
}

let sequence = 0

/** A genuine memory notification for hotel-bogota, a new fact each call unless `id` is given. */
export const memoryNotification = (id = `pay_${++sequence}`, secret = env.BOGOTA_SECRET): string =>
  JSON.stringify(
    MemoryNotification.signed(Redacted.make(secret), {
      id,
      type: "payment.approved",
      subject: { kind: "link", id: "lnk_1" },
      reference: "BK-1",
      amount: { amount: "120000", currency: "COP" },
      status: "APPROVED",
      merchantId: "hotel-bogota",
      occurredAt: "2026-11-22T10:00:00.000Z"
    })
  )

/** A genuine PlacetoPay PAID notification for link `linkId` of the site with `secret` (spec §4.1). */
export const placetopayPaid = (linkId: number, secret: string, date = new Date()): string => {
  const when = date.toISOString().replace(/\.\d{3}Z$/, "+00:00")
  const signature = createHash("sha256").update(`${linkId}PAID${when}${secret}`).digest("hex")
  return JSON.stringify({
    status: { status: "PAID", reason: 200, message: "El link de pago ha sido pagado", date: when },
    linkId,
    reference: `BK-${linkId}`,
    signature
  })
}
