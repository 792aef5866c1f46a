import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Wire from "../src/Wire.js"

// Answers as the spec documents them (§4, §5, §10), with example hosts.
const details = {
  type: "charge",
  id: "C-4111",
  external_ref_id: "C-4111",
  status_code: "applied",
  status_detail: "Aplicado",
  comments: "Pago con referencia C-4111 procesado correctamente",
  transaction_id: "RB-703242",
  transaction_date: "2026-11-21 21:36:10.373000"
}
const notification = {
  payment_status: "Aplicado",
  amount: 120000,
  payment_date: "2026-11-21T21:36:10.303000",
  company: "Company Example",
  hotel: "Hotel ABC",
  voucher_url: "https://api.example.test/v2/terminal-payments/481/vouchers",
  transaction_id: "8b864f7d-60e4-4002-ac2b-3f788d07902e",
  external_ref_id: "S-2",
  details: { ...details, type: "link", id: "k1nedpaaeh00", external_ref_id: "S-2", pay_platform: "credit_card" }
}

describe("Wire schemas", () => {
  it("decode the documented answers", () => {
    const decodes = <A, I>(schema: Schema.Schema<A, I>, answer: unknown) =>
      expect(Either.isRight(Schema.decodeUnknownEither(schema)(answer))).toBe(true)
    decodes(Wire.LinkResponse, {
      msg: "Link de pago generado exitosamente",
      url: "https://app.example.test/payment/hotel_abc/k1nedpaaeh00",
      code: "k1nedpaaeh00"
    })
    decodes(Wire.ChargeAccepted, { msg: "Pago realizado correctamente", voucher_url: "v2/x/vouchers", details })
    decodes(Wire.ChargeAccepted, { ...notification, details: { ...details, status_code: "in_process" } })
    decodes(Wire.ChargeRejected, {
      code: 0,
      message: "Error http: 400",
      detail: "El pago ha sido rechazado",
      extra_info: {
        voucher_url: "v2/x/vouchers",
        details: { ...details, status_code: "rejected", transaction_id: null }
      }
    })
    decodes(Wire.WebhookPayload, notification)
  })
})
