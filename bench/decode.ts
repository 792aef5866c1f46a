/**
 * What reading a provider's answer costs: the adapters' exported Wire schemas decoding real
 * sandbox answers and notifications (captured from the simulators, hosts replaced), with
 * `Schema.decodeUnknownEither` built once, as the adapters do. Decoding is timed on already-parsed
 * JSON; the notes add the cost with `JSON.parse` of the raw body, which is what each response
 * really pays.
 *
 *   pnpm exec tsx --conditions=@pasarela/source bench/decode.ts
 */
import { Wire as AutocoreWire } from "@pasarela/autocore"
import { Wire as PlacetoPayWire } from "@pasarela/placetopay"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { isEntryPoint, type Measurement, measureSync, progress, runAlone } from "./support.js"

/** Real simulator answers (hosts replaced); `adapter-overhead.ts` serves some as canned answers. */
export const samples = {
  placetopayCreated: `{"status":{"status":"OK","reason":201,"message":"Link de pago creado correctamente.","date":"2026-11-21T21:36:10-05:00"},"id":1,"url":"https://checkout.example.test/link/show?genid=1&code=392862a4fa107ea85e27c0310c01e75fb2d4860d"}`,
  placetopayQueried: `{"id":1,"status":"ACTIVE","url":"https://checkout.example.test/link/show?genid=1&code=392862a4fa107ea85e27c0310c01e75fb2d4860d","expirationDate":"2026-11-22 21:36:10","name":"2 nights, double room","reference":"S-1","description":"2 nights, double room","totalPayments":1,"availablePayments":0,"paymentExpiration":15,"amount":{"currency":"COP","total":120000,"taxes":[]},"site":{"id":1001,"name":"Pasarela Sandbox Hotel Uno"},"notificationUrl":"https://hotel.example.test/webhooks/hotel-bogota/placetopay","locale":"es_CO","allowedPaymentMethods":[],"metadata":{},"payments":[{"id":1,"requestId":84001,"status":"APPROVED","message":"La petición ha sido aprobada exitosamente","processUrl":"https://checkout.example.test/spa/session/84001/bc73587842addb8917cfedb199f28fd1","amount":{"currency":"COP","total":"120000"},"receipt":"99434901","franchise":"CR_VS","paymentMethod":"visa","paymentDate":"2026-11-21T21:36:10-05:00","internalReference":434901,"authorization":"000000","issuerName":"JPMORGAN CHASE BANK, N.A.","merchantCode":"000001001","terminalNumber":"00022645","installments":1,"lastDigits":"0081","payer":{"name":"Sandbox","surname":"Payer","email":"payer@example.com","phone":"+573000000000","document":"1000000000","documentType":"CC"}}],"isGeneric":false,"skipResult":false,"recipients":[{"email":"laura@example.com"}]}`,
  placetopayNotification: `{"status":{"status":"PAID","reason":200,"message":"El link de pago ha sido pagado","date":"2026-11-21T21:36:10-05:00"},"linkId":1,"reference":"S-1","signature":"92a956a7d0a08a80cbe5d233e5ad81a5194e42f1d03c049784f9b23d13ddddd0"}`,
  autocoreLink: `{"msg":"Link de pago generado exitosamente","url":"https://app.example.test/payment/hotel_abc/k1nedpaaeh00","code":"k1nedpaaeh00"}`,
  autocoreChargeApproved: `{"msg":"Pago realizado correctamente","voucher_url":"v2/terminal-payments/482/vouchers","details":{"type":"charge","id":"C-4111","external_ref_id":"C-4111","status_code":"applied","status_detail":"Aplicado","comments":"Pago con referencia C-4111 procesado correctamente","transaction_id":"RB-703242","transaction_date":"2026-11-21 21:36:10.373000"}}`,
  autocoreChargePending: `{"payment_status":"En proceso","amount":120000,"payment_date":"2026-11-21T21:36:10.411000","company":"Company Example","hotel":"Hotel ABC","voucher_url":"https://api.example.test/v2/terminal-payments/483/vouchers","transaction_id":"c2a2bd91-b833-4771-9e03-7e072e5e2bf8","external_ref_id":"C-3641","details":{"type":"charge","id":"C-3641","external_ref_id":"C-3641","status_code":"in_process","status_detail":"En proceso","comments":"Pago con referencia C-3641 en proceso de revisión.","transaction_id":"c2a2bd91-b833-4771-9e03-7e072e5e2bf8","transaction_date":"2026-11-21T21:36:10.411000"}}`,
  autocoreChargeDeclined: `{"code":0,"message":"Error http: 400","detail":"El pago ha sido rechazado","extra_info":{"voucher_url":"v2/terminal-payments/484/vouchers","details":{"type":"charge","id":"C-1111","external_ref_id":"C-1111","status_code":"rejected","status_detail":"Rechazado","comments":"Fondos insuficientes.","transaction_id":null,"transaction_date":"2026-11-21 21:36:10.436000"}}}`,
  autocoreWebhook: `{"payment_status":"Aplicado","amount":120000,"payment_date":"2026-11-21T21:36:10.303000","company":"Company Example","hotel":"Hotel ABC","voucher_url":"https://api.example.test/v2/terminal-payments/481/vouchers","transaction_id":"8b864f7d-60e4-4002-ac2b-3f788d07902e","external_ref_id":"S-2","details":{"type":"link","id":"k1nedpaaeh00","external_ref_id":"S-2","status_code":"applied","status_detail":"Aplicado","comments":"Pago con referencia k1nedpaaeh00 procesado correctamente","transaction_id":"8b864f7d-60e4-4002-ac2b-3f788d07902e","transaction_date":"2026-11-21T21:36:10.303000","pay_platform":"credit_card"}}`
} as const

interface Case {
  readonly name: string
  readonly body: string
  readonly schema: Schema.Schema<unknown, unknown>
}

const cases: ReadonlyArray<Case> = [
  {
    name: "PlacetoPay create answer (CreatedLink)",
    body: samples.placetopayCreated,
    schema: PlacetoPayWire.CreatedLink as Schema.Schema<unknown, unknown>
  },
  {
    name: "PlacetoPay query answer, 1 payment (QueriedLink)",
    body: samples.placetopayQueried,
    schema: PlacetoPayWire.QueriedLink as Schema.Schema<unknown, unknown>
  },
  {
    name: "PlacetoPay notification (Notification)",
    body: samples.placetopayNotification,
    schema: PlacetoPayWire.Notification as Schema.Schema<unknown, unknown>
  },
  {
    name: "Autocore link answer (LinkResponse)",
    body: samples.autocoreLink,
    schema: AutocoreWire.LinkResponse as Schema.Schema<unknown, unknown>
  },
  {
    name: "Autocore charge approved (ChargeAccepted)",
    body: samples.autocoreChargeApproved,
    schema: AutocoreWire.ChargeAccepted as Schema.Schema<unknown, unknown>
  },
  {
    name: "Autocore charge pending (ChargeAccepted)",
    body: samples.autocoreChargePending,
    schema: AutocoreWire.ChargeAccepted as Schema.Schema<unknown, unknown>
  },
  {
    name: "Autocore charge declined (ChargeRejected)",
    body: samples.autocoreChargeDeclined,
    schema: AutocoreWire.ChargeRejected as Schema.Schema<unknown, unknown>
  },
  {
    name: "Autocore webhook (WebhookPayload)",
    body: samples.autocoreWebhook,
    schema: AutocoreWire.WebhookPayload as Schema.Schema<unknown, unknown>
  }
]

const options = { sampleMillis: 200, repeats: 5 }

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = Effect.try(() =>
  cases.map((c): Measurement => {
    progress(`decode: ${c.name}`)
    const parsed: unknown = JSON.parse(c.body)
    const decode = Schema.decodeUnknownEither(c.schema)
    if (Either.isLeft(decode(parsed))) throw new Error(`${c.name}: the sample does not decode`)
    const decodeOnly = measureSync(() => decode(parsed), options)
    const withParse = measureSync(() => decode(JSON.parse(c.body)), options)
    return {
      name: `decode: ${c.name}`,
      value: decodeOnly.opsPerSecond,
      unit: "ops/s",
      notes: `${decodeOnly.microsPerOp.toFixed(2)} µs/op; with JSON.parse of ${c.body.length} B: ${withParse.microsPerOp.toFixed(2)} µs/op`
    }
  })
)

if (isEntryPoint(import.meta.url)) runAlone(run)
