import { createHmac } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import { Money, type PaymentError, PaymentEvent, Provider, type RawNotification } from "@pasarela/core"
import { failureOf } from "@pasarela/testing/helpers"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as Webhooks from "../src/Webhooks.js"
import * as Wire from "../src/Wire.js"
import { webhookSecret } from "./fixtures.js"

const provider = Provider.make({ name: "autocore", displayName: "Autocore", capabilities: ["webhooks.verify"] })
const settings: Webhooks.WebhookSettings = {
  merchantId: "hotel-abc",
  webhookSecret,
  timeZone: "America/Bogota",
  webhookTokenLifetime: Duration.days(30)
}
const service = Webhooks.make(provider, settings)

// The credit-card seed's notifications (§10).
const details = (status_code: string, status_detail: string, transaction_id: string) => ({
  type: "charge",
  id: "123456789",
  external_ref_id: "mkid-000000001-test",
  status_code,
  status_detail,
  comments:
    status_code === "rejected"
      ? "El número de tarjeta de crédito no es válido., El código de seguridad de la tarjeta es inválido."
      : "Pago con referencia 123456789 procesado correctamente",
  transaction_id,
  transaction_date: "2025-05-20T11:23:36.750836"
})

const payload = (
  status_code: string,
  payment_status: string,
  transaction_id = "0196ed6d-145c-7025-b8d2-35c7b9c69bae"
) => ({
  payment_status,
  amount: 1000,
  payment_date: "2025-05-20T11:23:36.750836",
  company: "Company Example",
  hotel: "Booking payment Hotel ABC",
  voucher_url: "https://api-dev.autocore.pro/v2/terminal-payments/xxx/vouchers",
  transaction_id,
  external_ref_id: "mkid-000000001-test",
  details: details(status_code, payment_status, transaction_id)
})

const legacy = (payment_status: string) => {
  const { details: _, ...rest } = payload("applied", payment_status)
  return rest
}

/** Unix seconds; it.effect's clock starts at the epoch, so tokens made for this time are current. */
const expiresAt = 30 * 24 * 60 * 60

const claims = (overrides: Partial<Webhooks.TokenClaims> = {}): Webhooks.TokenClaims => ({
  merchantId: "hotel-abc",
  kind: "charge",
  reference: "mkid-000000001-test",
  currency: "COP",
  nonce: "bm9uY2Utb2YtYS10ZXN0LWNyZWF0ZQ",
  expiresAt,
  ...overrides
})

const signedUrl = (kind: Webhooks.OperationKind = "charge", reference = "mkid-000000001-test", overrides = {}) =>
  Webhooks.signWebhookUrl(
    "https://hooks.example.com/autocore?hotel=abc",
    claims({ kind, reference, ...overrides }),
    webhookSecret
  )

/** `url` with one query parameter replaced. */
const withParam = (url: string, name: string, value: string) => {
  const edited = new URL(url)
  edited.searchParams.set(name, value)
  return edited.pathname + edited.search
}

const pathOf = (url: string) => {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

const notification = (body: unknown, url = pathOf(signedUrl("charge"))): RawNotification => ({
  body: typeof body === "string" ? body : JSON.stringify(body),
  url
})

const rejection = (raw: RawNotification) =>
  failureOf(service.verify(raw)).pipe(
    Effect.map((error: PaymentError.PaymentError) => {
      expect(error.reason._tag).toBe("WebhookRejected")
      expect(error.operation).toBe("webhooks.verify")
      return error.reason._tag === "WebhookRejected" ? error.reason.detail : ""
    })
  )

describe("webhook tokens", () => {
  it("is base64url HMAC-SHA256 over the operation's claims, as a JSON array", () => {
    const token = Webhooks.webhookToken(claims(), Redacted.make("k"))
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    // Checked independently of the module's own code path.
    const signed = JSON.stringify([
      "pasarela/autocore/webhook-token/v2",
      "hotel-abc",
      "charge",
      "mkid-000000001-test",
      "COP",
      "bm9uY2Utb2YtYS10ZXN0LWNyZWF0ZQ",
      expiresAt
    ])
    expect(token).toBe(createHmac("sha256", "k").update(signed).digest("base64url"))
  })

  it("changes with every claim: no two operations share a token", () => {
    const base = Webhooks.webhookToken(claims(), webhookSecret)
    const variants: ReadonlyArray<Partial<Webhooks.TokenClaims>> = [
      { merchantId: "hotel-xyz" },
      { kind: "link" },
      { reference: "mkid-000000002-test" },
      { currency: "USD" },
      { nonce: "YW5vdGhlci1ub25jZS1mb3ItdGVzdA" },
      { expiresAt: expiresAt + 1 }
    ]
    for (const variant of variants) expect(Webhooks.webhookToken(claims(variant), webhookSecret)).not.toBe(base)
  })

  it("sets the token and its claims in the URL, keeping its query", () => {
    const url = new URL(signedUrl("link"))
    expect(url.searchParams.get("hotel")).toBe("abc")
    expect(url.searchParams.get(Webhooks.KIND_PARAM)).toBe("link")
    expect(url.searchParams.get(Webhooks.CURRENCY_PARAM)).toBe("COP")
    expect(url.searchParams.get(Webhooks.NONCE_PARAM)).toBe("bm9uY2Utb2YtYS10ZXN0LWNyZWF0ZQ")
    expect(url.searchParams.get(Webhooks.EXPIRES_PARAM)).toBe(String(expiresAt))
    expect(Webhooks.verifyWebhookUrl(url.toString(), "hotel-abc", "mkid-000000001-test", webhookSecret)).toBe(true)
    expect(Webhooks.verifyWebhookUrl(url.toString(), "hotel-xyz", "mkid-000000001-test", webhookSecret)).toBe(false)
    expect(Webhooks.verifyWebhookUrl(url.toString(), "hotel-abc", "mkid-000000002-test", webhookSecret)).toBe(false)
    expect(
      Webhooks.verifyWebhookUrl(
        url.toString(),
        "hotel-abc",
        "mkid-000000001-test",
        Redacted.make("other-secret-0123456")
      )
    ).toBe(false)
    expect(Webhooks.verifyWebhookUrl("https://hooks.example.com/a", "hotel-abc", "x", webhookSecret)).toBe(false)
  })

  it("compares tokens of any length without throwing", () => {
    expect(Webhooks.verifyToken("", claims(), webhookSecret)).toBe(false)
    expect(Webhooks.verifyToken("x".repeat(500), claims(), webhookSecret)).toBe(false)
    expect(Webhooks.verifyToken(Webhooks.webhookToken(claims(), webhookSecret), claims(), webhookSecret)).toBe(true)
  })

  it.effect("makes nonces from a CSPRNG: 16 bytes, base64url, never repeated", () =>
    Effect.gen(function* () {
      const nonces = yield* Effect.replicateEffect(Webhooks.makeNonce, 200)
      for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/)
      expect(new Set(nonces).size).toBe(nonces.length)
    })
  )

  it("expires a link's token after the link itself, others after their creation", () => {
    const now = new Date("2026-01-10T12:00:00.000Z")
    const lifetime = Duration.days(30)
    expect(Webhooks.tokenExpiry(now, undefined, lifetime)).toBe(Date.parse("2026-02-09T12:00:00.000Z") / 1000)
    const linkExpiry = new Date("2026-01-20T12:00:00.000Z")
    expect(Webhooks.tokenExpiry(now, linkExpiry, lifetime)).toBe(Date.parse("2026-02-19T12:00:00.000Z") / 1000)
  })
})

describe("webhook payloads", () => {
  it("decodes every seed shape", () => {
    for (const body of [
      payload("rejected", "Rechazado", "N/A"),
      payload("applied", "Aplicado"),
      payload("in_process", "En proceso"),
      legacy("Aplicado")
    ]) {
      expect(Either.isRight(Schema.decodeUnknownEither(Wire.WebhookPayload)(body))).toBe(true)
    }
  })

  it("reads zoneless timestamps as UTC-5 unless configured", () => {
    expect(Wire.parseTimestamp("2025-04-23 12:45:24.706330", "America/Bogota")).toEqual(
      new Date("2025-04-23T17:45:24.706Z")
    )
    expect(Wire.parseTimestamp("2025-05-20T11:21:06.417487", "America/Bogota")).toEqual(
      new Date("2025-05-20T16:21:06.417Z")
    )
    expect(Wire.parseTimestamp("2025-05-20T11:21:06", "UTC")).toEqual(new Date("2025-05-20T11:21:06.000Z"))
    expect(Wire.parseTimestamp("2025-05-20T11:21:06Z", "America/Bogota")).toEqual(new Date("2025-05-20T11:21:06.000Z"))
    expect(Wire.parseTimestamp("2025-05-20T11:21:06+01:00", "America/Bogota")).toEqual(
      new Date("2025-05-20T10:21:06.000Z")
    )
    expect(Wire.parseTimestamp("2025-02-30 10:00:00", "America/Bogota")).toBeUndefined()
    expect(Wire.parseTimestamp("yesterday", "America/Bogota")).toBeUndefined()
    // A zone with daylight saving time: the offset in force at that wall-clock time.
    expect(Wire.parseTimestamp("2026-07-01 08:00:00", "America/New_York")).toEqual(new Date("2026-07-01T12:00:00.000Z"))
    expect(Wire.parseTimestamp("2026-01-01 07:00:00", "America/New_York")).toEqual(new Date("2026-01-01T12:00:00.000Z"))
  })
})

describe("verify", () => {
  const statusTable: ReadonlyArray<readonly [string, string, PaymentEvent.EventType]> = [
    ["applied", "Aplicado", "payment.approved"],
    ["in_process", "En proceso", "payment.pending"],
    ["rejected", "Rechazado", "payment.declined"],
    ["invalid_card", "Tarjeta no válida", "payment.declined"],
    ["total_refound", "Reembolsado", "refund.completed"],
    ["partial_refound", "Reembolso parcial", "refund.partial"],
    ["rejected_refound", "Reembolso rechazado", "refund.failed"],
    ["pending_refound", "Reembolso pendiente", "refund.pending"],
    ["chargeback", "Contracargo", "unknown"]
  ]

  for (const [code, label, type] of statusTable) {
    it.effect(`maps status_code ${code} to ${type}`, () =>
      Effect.gen(function* () {
        const body = payload(code, label)
        const event = yield* service.verify(notification(body))
        expect(event.type).toBe(type)
        expect(event.providerStatus).toBe(code)
        expect(event.verified).toBe(true)
        // The token vouches for the operation, not for what the payload says of it.
        expect(event.authenticated).toEqual(["subject.kind", "reference"])
        expect(event.provider).toBe("autocore")
        expect(event.merchantId).toBe("hotel-abc")
        expect(event.reference).toBe("mkid-000000001-test")
        expect(event.raw).toEqual(body)
        expect(Schema.is(PaymentEvent.PaymentEvent)(event)).toBe(true)
      })
    )
  }

  it.effect("maps the seed's approved notification completely", () =>
    Effect.gen(function* () {
      const event = yield* service.verify(notification(payload("applied", "Aplicado")))
      expect(event.subject).toEqual({ kind: "charge", id: "0196ed6d-145c-7025-b8d2-35c7b9c69bae" })
      expect(Money.equals(event.amount!, Money.make("1000", "COP"))).toBe(true)
      expect(event.occurredAt).toEqual(new Date("2025-05-20T16:23:36.750Z"))
      expect(event.detail).toBeUndefined()
      expect(event.dedupeKey).toBe("autocore:hotel-abc:charge:123456789:0196ed6d-145c-7025-b8d2-35c7b9c69bae:applied")
    })
  )

  it.effect("keeps the decline reason; an invalid card without comments says so", () =>
    Effect.gen(function* () {
      const rejected = yield* service.verify(notification(payload("rejected", "Rechazado", "N/A")))
      expect(rejected.detail).toContain("no es válido")
      expect(rejected.subject).toEqual({ kind: "charge", id: "123456789" })
      const body = payload("invalid_card", "Tarjeta no válida", "N/A")
      const invalid = yield* service.verify(
        notification({ ...body, details: { ...body.details, comments: null, status_detail: null } })
      )
      expect(invalid.detail).toBe("invalid card")
    })
  )

  it.effect("treats status_code as authoritative over the label", () =>
    Effect.gen(function* () {
      const event = yield* service.verify(notification(payload("rejected", "Aplicado", "N/A")))
      expect(event.type).toBe("payment.declined")
      const unknown = yield* service.verify(notification(payload("something_new", "Aplicado")))
      expect(unknown.type).toBe("unknown")
      expect(unknown.providerStatus).toBe("something_new")
    })
  )

  const labels: ReadonlyArray<readonly [string, PaymentEvent.EventType]> = [
    ["Aplicado", "payment.approved"],
    ["APLICADO", "payment.approved"],
    ["  aplicado ", "payment.approved"],
    ["En proceso", "payment.pending"],
    ["EN  PROCESO", "payment.pending"],
    ["Pendiente", "payment.pending"],
    ["Rechazado", "payment.declined"],
    ["rechazado", "payment.declined"],
    ["Tarjeta no válida", "payment.declined"],
    ["TARJETA NO VALIDA", "payment.declined"],
    ["tarjeta no válida", "payment.declined"],
    ["Reversado", "unknown"]
  ]
  for (const [label, type] of labels) {
    it.effect(`falls back to the label "${label}" without details`, () =>
      Effect.gen(function* () {
        const event = yield* service.verify(notification(legacy(label)))
        expect(event.type).toBe(type)
        expect(event.providerStatus).toBe(label)
        // Without details.type, the kind comes from the URL the adapter created.
        expect(event.subject.kind).toBe("charge")
      })
    )
  }

  it.effect("names the operation the token was made for, whatever details.type says", () =>
    Effect.gen(function* () {
      const types = ["link", "gift_card", "cash", "charge"] as const
      const kinds = ["link", "giftCard", "order", "charge"] as const
      for (const kind of kinds) {
        for (const type of types) {
          const body = payload("applied", "Aplicado")
          const event = yield* service.verify(
            notification({ ...body, details: { ...body.details, type } }, pathOf(signedUrl(kind)))
          )
          expect(event.subject.kind).toBe(kind)
        }
      }
    })
  )

  it.effect("reads amounts in the operation's currency and timestamps in the configured zone", () =>
    Effect.gen(function* () {
      const utc = Webhooks.make(provider, { ...settings, timeZone: "UTC" })
      const usd = pathOf(signedUrl("link", "mkid-000000001-test", { currency: "USD" }))
      const event = yield* utc.verify(notification({ ...payload("applied", "Aplicado"), amount: 12.5 }, usd))
      expect(Money.equals(event.amount!, Money.make("12.50", "USD"))).toBe(true)
      expect(event.occurredAt).toEqual(new Date("2025-05-20T11:23:36.750Z"))
    })
  )

  it.effect("refuses a URL whose claims were edited, and an incomplete one", () =>
    Effect.gen(function* () {
      const body = payload("applied", "Aplicado")
      const url = signedUrl("charge")
      for (const [name, value] of [
        [Webhooks.KIND_PARAM, "link"],
        [Webhooks.CURRENCY_PARAM, "USD"],
        [Webhooks.NONCE_PARAM, "YW5vdGhlci1ub25jZS1mb3ItdGVzdA"],
        [Webhooks.EXPIRES_PARAM, String(expiresAt + 3600)]
      ] as const) {
        expect(yield* rejection(notification(body, withParam(url, name, value)))).toContain("does not verify")
      }
      for (const [name, value] of [
        [Webhooks.KIND_PARAM, "session"],
        [Webhooks.CURRENCY_PARAM, "XYZ"],
        [Webhooks.NONCE_PARAM, "short"],
        [Webhooks.EXPIRES_PARAM, "tomorrow"]
      ] as const) {
        expect(yield* rejection(notification(body, withParam(url, name, value)))).toContain("incomplete")
      }
      // A URL made by the previous scheme (merchant and reference only) is refused.
      const old = createHmac("sha256", Redacted.value(webhookSecret)).update("hotel-abc:mkid-000000001-test")
      expect(
        yield* rejection(notification(body, `/autocore?${Webhooks.TOKEN_PARAM}=${old.digest("base64url")}`))
      ).toContain("incomplete")
    })
  )

  it.effect("refuses a token once it has expired", () =>
    Effect.gen(function* () {
      const body = payload("applied", "Aplicado")
      yield* TestClock.setTime(expiresAt * 1000)
      expect((yield* service.verify(notification(body))).verified).toBe(true)
      yield* TestClock.setTime(expiresAt * 1000 + 1000)
      expect(yield* rejection(notification(body))).toContain("expired")
    })
  )

  it.effect("gives every delivery of one fact the same dedupe key, and different facts different keys", () =>
    Effect.gen(function* () {
      const first = yield* service.verify(notification(payload("applied", "Aplicado")))
      const again = yield* service.verify(notification(payload("applied", "Aplicado")))
      expect(again.dedupeKey).toBe(first.dedupeKey)
      const pending = yield* service.verify(notification(payload("in_process", "En proceso")))
      expect(pending.dedupeKey).not.toBe(first.dedupeKey)
      // Two declined attempts (both "N/A") are told apart by their date.
      const declined = payload("rejected", "Rechazado", "N/A")
      const a = yield* service.verify(notification(declined))
      const b = yield* service.verify(
        notification({ ...declined, details: { ...declined.details, transaction_date: "2025-05-20T11:30:00.000000" } })
      )
      expect(a.dedupeKey).not.toBe(b.dedupeKey)
      const legacyA = yield* service.verify(notification(legacy("Aplicado")))
      const legacyB = yield* service.verify(notification(legacy("aplicado")))
      expect(legacyA.dedupeKey).toBe(legacyB.dedupeKey)
    })
  )

  it.effect("accepts the absolute URL as well as path and query", () =>
    Effect.gen(function* () {
      const event = yield* service.verify(notification(payload("applied", "Aplicado"), signedUrl("charge")))
      expect(event.verified).toBe(true)
    })
  )

  it.effect("rejects a missing, forged or tampered token", () =>
    Effect.gen(function* () {
      const body = payload("applied", "Aplicado")
      expect(yield* rejection(notification(body, "/autocore?hotel=abc"))).toContain("no token")
      expect(yield* rejection(notification(body, `/autocore?${Webhooks.TOKEN_PARAM}=`))).toContain("no token")
      const forged = Webhooks.signWebhookUrl("https://h.example/a", claims(), Redacted.make("guessed-secret-000000"))
      expect(yield* rejection(notification(body, pathOf(forged)))).toContain("does not verify")
      const genuine = new URL(signedUrl("charge")).searchParams.get(Webhooks.TOKEN_PARAM)!
      const flipped = `${genuine.slice(0, -1)}${genuine.endsWith("A") ? "B" : "A"}`
      expect(
        yield* rejection(notification(body, withParam(signedUrl("charge"), Webhooks.TOKEN_PARAM, flipped)))
      ).toContain("does not verify")
      // The token of another merchant's URL, or of another reference, does not carry over.
      const otherMerchant = Webhooks.signWebhookUrl(
        "https://h.example/a",
        claims({ merchantId: "hotel-xyz" }),
        webhookSecret
      )
      expect(yield* rejection(notification(body, pathOf(otherMerchant)))).toContain("does not verify")
      const otherReference = pathOf(signedUrl("charge", "mkid-000000002-test"))
      expect(yield* rejection(notification(body, otherReference))).toContain("does not verify")
    })
  )

  it.effect("rejects a body whose reference was changed, and an inconsistent one", () =>
    Effect.gen(function* () {
      const body = payload("applied", "Aplicado")
      const moved = { ...body, external_ref_id: "BK-OTHER", details: { ...body.details, external_ref_id: "BK-OTHER" } }
      expect(yield* rejection(notification(moved))).toContain("does not verify")
      expect(yield* rejection(notification({ ...body, external_ref_id: "BK-OTHER" }))).toContain("differs")
      const { external_ref_id: _, ...noTop } = body
      const noReference = { ...noTop, details: { ...body.details, external_ref_id: null } }
      expect(yield* rejection(notification(noReference))).toContain("no external_ref_id")
    })
  )

  it.effect("rejects malformed bodies and notifications for another merchant", () =>
    Effect.gen(function* () {
      expect(yield* rejection(notification("{not json"))).toContain("not JSON")
      expect(yield* rejection(notification("null"))).toContain("not an Autocore notification")
      expect(yield* rejection(notification({ payment_status: 1 }))).toContain("not an Autocore notification")
      expect(yield* rejection(notification({ ...payload("applied", "Aplicado"), amount: "mucho" }))).toContain("amount")
      const noDate = { ...legacy("Aplicado"), payment_date: null }
      expect(yield* rejection(notification(noDate))).toContain("date")
      expect(yield* rejection({ ...notification(payload("applied", "Aplicado")), merchantId: "hotel-xyz" })).toContain(
        "another merchant"
      )
      // Larger than any notification: refused by the envelope check, as rejected.
      yield* rejection(notification("x".repeat(70_000)))
    })
  )

  it("answers 200 to accepted notifications (Autocore stops only then) and 401 otherwise", () => {
    expect(service.replies.accepted.status).toBe(200)
    expect(service.replies.rejected.status).toBe(401)
  })
})
