/**
 * Property tests of Autocore webhook verification (spec §10–§11), through the `Webhooks` service of
 * a layer built with `Autocore.layer` (no network: its HttpClient refuses every request).
 * Autocore does not sign webhooks; the adapter's per-operation token ([decision] §10) is recomputed
 * here, independently: base64url(HMAC-SHA256(webhookSecret, JSON array of a domain tag, merchant,
 * kind, reference, currency, nonce, expiry)) in `pasarela_token`, the claims but merchant and
 * reference beside it in the query. The token binds those and nothing else (not status, not amount).
 */
import { createHmac } from "node:crypto"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { MAX_BODY_BYTES, Money, type PaymentEvent, type RawNotification, Webhooks } from "@pasarela/core"
import { expectRejected, type Verdict, verifier as webhooksVerifier } from "@pasarela/testing"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import { Autocore } from "../src/index.js"

/** The adapters log every refusal and request; these runs make thousands. */
const quiet = Logger.withMinimumLogLevel(LogLevel.None)

const WEBHOOK_SECRET = "property-tests-autocore-webhook-secret"
const MERCHANT = "hotel-abc"

const noNetwork = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) => Effect.die(new Error(`no I/O expected, got ${request.method} ${request.url}`)))
)
const layer = Autocore.layer({
  accessKey: "TESTACCESSKEY001",
  secretKey: Redacted.make("TESTSECRETKEY0123456789abcdefXYZ"),
  baseUrl: "https://api-dev.autocore.pro",
  hotelId: 5,
  merchantId: MERCHANT,
  webhookSecret: Redacted.make(WEBHOOK_SECRET)
}).pipe(Layer.provide(noNetwork))

/** The claims a URL carries beside its token. */
interface UrlClaims {
  readonly kind: string
  readonly currency: string
  readonly nonce: string
  /** Unix seconds; it.effect's clock starts at the epoch, so 2100 is far in the future. */
  readonly expires: number
}
const charge: UrlClaims = { kind: "charge", currency: "COP", nonce: "cHJvcGVydHktdGVzdHMtbm9uY2U", expires: 4102444800 }

/** The token, as §10's [decision] defines it. */
const tokenFor = (reference: string, claims: UrlClaims = charge, merchant = MERCHANT, secret = WEBHOOK_SECRET) =>
  createHmac("sha256", secret)
    .update(
      JSON.stringify([
        "pasarela/autocore/webhook-token/v2",
        merchant,
        claims.kind,
        reference,
        claims.currency,
        claims.nonce,
        claims.expires
      ]),
      "utf8"
    )
    .digest("base64url")

const urlWith = (token: string | undefined, claims: UrlClaims = charge, absolute = false) => {
  const params = new URLSearchParams({
    hotel: "abc",
    pasarela_kind: claims.kind,
    pasarela_currency: claims.currency,
    pasarela_nonce: claims.nonce,
    pasarela_expires: String(claims.expires)
  })
  if (token !== undefined) params.set("pasarela_token", token)
  return `${absolute ? "https://hooks.example.com" : ""}/autocore?${params.toString()}`
}

// ---- §11 vocabulary, written out from the spec ----

const byStatusCode: Record<string, PaymentEvent.EventType> = {
  applied: "payment.approved",
  in_process: "payment.pending",
  rejected: "payment.declined",
  invalid_card: "payment.declined",
  total_refound: "refund.completed",
  partial_refound: "refund.partial",
  rejected_refound: "refund.failed",
  pending_refound: "refund.pending"
}
const byLabel: Record<string, PaymentEvent.EventType> = {
  Aplicado: "payment.approved",
  "En proceso": "payment.pending",
  Pendiente: "payment.pending",
  Rechazado: "payment.declined",
  "Tarjeta no válida": "payment.declined"
}
const kindOfType: Record<string, PaymentEvent.Subject["kind"]> = {
  link: "link",
  charge: "charge",
  cash: "order",
  gift_card: "giftCard"
}

// ---- genuine notifications ----

type Json = Record<string, unknown>

interface Genuine {
  readonly reference: string
  readonly body: Json
  readonly claims: UrlClaims
  readonly url: string
  /** What the event must say. */
  readonly type: PaymentEvent.EventType
  readonly kind: PaymentEvent.Subject["kind"]
  readonly amount: Money.Money
  readonly at: number
}

/** An Autocore timestamp (no zone, read as UTC-5) and the instant it denotes. */
const timestamp = fc
  .tuple(
    fc.date({ min: new Date("2000-01-01T05:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }),
    fc.constantFrom(" ", "T"),
    fc.constantFrom("", ".7", ".706330", ".417487", ".000001")
  )
  .map(([instant, separator, fraction]) => {
    const seconds = Math.floor(instant.getTime() / 1000) * 1000
    const local = new Date(seconds - 5 * 3600_000).toISOString().slice(0, 19).replace("T", separator)
    const millis = fraction === "" ? 0 : Number(fraction.slice(1).padEnd(3, "0").slice(0, 3))
    return { text: `${local}${fraction}`, at: seconds + millis }
  })

const reference = fc
  .oneof(
    fc.stringMatching(/^mkid-[0-9]{9}-[a-z]{1,8}$/),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: "binary", minLength: 1, maxLength: 20 })
  )
  .filter((r) => r.trim() !== "")

const statusCode = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...Object.keys(byStatusCode)) },
  { weight: 1, arbitrary: fc.constantFrom(...Object.keys(byStatusCode)).map((c) => c.toUpperCase()) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-z_]{3,16}$/).filter((c) => !(c in byStatusCode)) }
)
const label = fc.oneof(
  fc.constantFrom(...Object.keys(byLabel)),
  fc.constantFrom(...Object.keys(byLabel)).map((l) => l.toUpperCase()),
  fc.constantFrom(...Object.keys(byLabel)).map((l) => `  ${l.toLowerCase().replace(" ", "   ")} `),
  fc.constantFrom("Tarjeta no valida", "TARJETA NO VÁLIDA", "Reversado", "Contracargo")
)
const expectedLabelType = (text: string): PaymentEvent.EventType => {
  const normalized = text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim().replace(/\s+/g, " ")
  for (const [known, type] of Object.entries(byLabel)) {
    if (known.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase() === normalized) return type
  }
  return "unknown"
}
const amount = fc.oneof(
  fc.integer({ min: 0, max: 10 ** 12 }),
  fc
    .bigInt({ min: 0n, max: 10n ** 14n })
    .map((minor) => Money.toFixed(Either.getOrThrow(Money.fromMinorUnits(minor, "COP"))))
)
const transactionId = fc.oneof(fc.uuid(), fc.constant("N/A"), fc.integer({ min: 1, max: 10 ** 9 }))

const genuine: fc.Arbitrary<Genuine> = fc
  .record({
    reference,
    where: fc.constantFrom("both", "top", "details"),
    legacy: fc.boolean(),
    type: fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...Object.keys(kindOfType)) },
      { weight: 1, arbitrary: fc.constant("booking") }
    ),
    kind: fc.constantFrom("link" as const, "charge" as const, "order" as const, "giftCard" as const),
    currency: fc.constantFrom("COP", "USD"),
    code: statusCode,
    label,
    amount,
    paymentDate: timestamp,
    transactionDate: fc.option(timestamp, { nil: undefined }),
    transactionId,
    detailsId: fc.oneof(fc.stringMatching(/^[0-9]{3,12}$/), fc.integer({ min: 1, max: 10 ** 9 })),
    absolute: fc.boolean()
  })
  .map((g) => {
    const legacy = g.legacy && g.where !== "details"
    const topRef = g.where === "details" && !legacy ? {} : { external_ref_id: g.reference }
    const detailsRef = g.where === "top" ? {} : { external_ref_id: g.reference }
    const body: Json = {
      payment_status: g.label,
      amount: g.amount,
      payment_date: g.paymentDate.text,
      company: "Company Example",
      hotel: "Hotel ABC",
      voucher_url: "https://api-dev.autocore.pro/v2/terminal-payments/481/vouchers",
      transaction_id: g.transactionId,
      ...topRef,
      ...(legacy
        ? {}
        : {
            details: {
              type: g.type,
              id: g.detailsId,
              ...detailsRef,
              status_code: g.code,
              status_detail: g.label,
              comments: "comentario",
              transaction_id: g.transactionId,
              ...(g.transactionDate === undefined ? {} : { transaction_date: g.transactionDate.text })
            }
          })
    }
    const claims: UrlClaims = { ...charge, kind: g.kind, currency: g.currency }
    return {
      reference: g.reference,
      body,
      claims,
      url: urlWith(tokenFor(g.reference, claims), claims, g.absolute),
      type: legacy ? expectedLabelType(g.label) : (byStatusCode[g.code.toLowerCase()] ?? "unknown"),
      // The operation the token was made for, whatever details.type says; in its currency.
      kind: g.kind,
      amount: Either.getOrThrow(Money.fromString(g.amount, g.currency)),
      at: (!legacy && g.transactionDate !== undefined ? g.transactionDate : g.paymentDate).at
    }
  })

const raw = (body: Json | string, url: string, extra: Partial<RawNotification> = {}): RawNotification => ({
  body: typeof body === "string" ? body : JSON.stringify(body),
  url,
  ...extra
})

// ---- running verify synchronously inside the test's runtime ----

const verifier = Effect.gen(function* () {
  expect((yield* Webhooks).replies.accepted.status).toBe(200)
  return yield* webhooksVerifier
})

const expectEventOf = (verdict: Verdict, g: Genuine) => {
  if (verdict._tag === "Rejected") throw new Error(`a genuine notification was rejected: ${verdict.detail}`)
  const { event } = verdict
  expect(event).toMatchObject({
    provider: "autocore",
    merchantId: MERCHANT,
    type: g.type,
    reference: g.reference,
    verified: true,
    authenticated: ["subject.kind", "reference"]
  })
  expect(event.subject.kind).toBe(g.kind)
  expect(event.amount !== undefined && Money.equals(event.amount, g.amount)).toBe(true)
  expect(event.occurredAt.getTime()).toBe(g.at)
  expect(event.raw).toEqual(g.body)
}

// ---- edits ----

const flipChar = (text: string, at: number, replacement: string): string => {
  if (text.length === 0) return replacement
  const i = at % text.length
  const swap = replacement === text[i] ? (replacement === "x" ? "y" : "x") : replacement
  return `${text.slice(0, i)}${swap}${text.slice(i + 1)}`
}
const replacementChar = fc.oneof(
  fc.constantFrom("0", "A", "a", "-", "_", "+", "/", "=", "%", "&", "#", " ", "é"),
  fc.string({ minLength: 1, maxLength: 1 })
)

/** The same body about another reference (everywhere it appears). */
const withReference = (body: Json, reference: string): Json => {
  const copy: Json = JSON.parse(JSON.stringify(body))
  if ("external_ref_id" in copy) copy.external_ref_id = reference
  const details = copy.details as Json | undefined
  if (details !== undefined && "external_ref_id" in details) details.external_ref_id = reference
  return copy
}

const nested = (depth: number) => `{"payment_status":${"[".repeat(depth)}${"]".repeat(depth)},"amount":1}`

const anyBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom("", "null", "[]", "{}", "0", "{", '{"__proto__":{"external_ref_id":"R"}}', "\u0000", "NaN"),
  fc
    .record(
      {
        payment_status: fc.jsonValue({ maxDepth: 1 }),
        amount: fc.oneof(fc.double(), fc.string(), fc.jsonValue({ maxDepth: 1 })),
        payment_date: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 1 })),
        transaction_id: fc.jsonValue({ maxDepth: 1 }),
        external_ref_id: fc.oneof(fc.constant("R"), fc.jsonValue({ maxDepth: 1 })),
        details: fc.jsonValue({ maxDepth: 2 }),
        ["__proto__"]: fc.jsonValue({ maxDepth: 1 })
      },
      { requiredKeys: [] }
    )
    .map((o) => JSON.stringify(o))
)

// ---------------------------------------------------------------------------------------------

describe("property: Autocore webhooks", () => {
  it.effect("a genuine notification (right token, spec payload) always verifies to its event; re-deliveries too", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(genuine, (g) => {
          const first = verify(raw(g.body, g.url))
          expectEventOf(first, g)
          // Autocore re-delivers until it gets 200: every delivery is the same event, same dedupe key.
          expect(verify(raw(g.body, g.url, { merchantId: MERCHANT }))).toEqual(first)
        }),
        { numRuns: 500 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("the genuine token with any claim of its URL edited (kind, currency, nonce, expiry) is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      const edited = fc.oneof(
        fc.constantFrom("link", "charge", "order", "giftCard", "session").map((kind) => ({ kind })),
        fc.constantFrom("COP", "USD", "EUR", "XYZ", "").map((currency) => ({ currency })),
        fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/).map((nonce) => ({ nonce })),
        fc.integer({ min: 0, max: 2 ** 40 }).map((expires) => ({ expires }))
      )
      fc.assert(
        fc.property(genuine, edited, (g, edit) => {
          const claims = { ...g.claims, ...edit }
          fc.pre(JSON.stringify(claims) !== JSON.stringify(g.claims))
          expectRejected(verify(raw(g.body, urlWith(tokenFor(g.reference, g.claims), claims))))
        }),
        { numRuns: 500 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("a flipped token character, or a token of another merchant or secret, is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(
          genuine,
          fc.nat(100),
          replacementChar,
          fc.string({ minLength: 1, maxLength: 30 }),
          (g, at, replacement, other) => {
            const token = tokenFor(g.reference, g.claims)
            expectRejected(verify(raw(g.body, urlWith(flipChar(token, at, replacement), g.claims))))
            expectRejected(verify(raw(g.body, urlWith(token.slice(0, at % token.length), g.claims))))
            expectRejected(verify(raw(g.body, urlWith(`${token}${replacement}`, g.claims))))
            expectRejected(verify(raw(g.body, urlWith(undefined, g.claims))))
            fc.pre(other !== MERCHANT && other !== WEBHOOK_SECRET)
            expectRejected(verify(raw(g.body, urlWith(tokenFor(g.reference, g.claims, other), g.claims))))
            expectRejected(verify(raw(g.body, urlWith(tokenFor(g.reference, g.claims, MERCHANT, other), g.claims))))
          }
        ),
        { numRuns: 500 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("replays: a genuine token reused with another reference is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(genuine, reference, fc.nat(100), replacementChar, (g, other, at, replacement) => {
          fc.pre(other !== g.reference)
          expectRejected(verify(raw(withReference(g.body, other), g.url)))
          // One character of the reference changed, everywhere it appears.
          const flipped = flipChar(g.reference, at, replacement)
          if (flipped.trim() !== "") expectRejected(verify(raw(withReference(g.body, flipped), g.url)))
          // Two different references in one body.
          const details = g.body.details as Json | undefined
          if (details !== undefined && "external_ref_id" in g.body) {
            expectRejected(verify(raw({ ...g.body, details: { ...details, external_ref_id: other } }, g.url)))
          }
        }),
        { numRuns: 500 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect(
    "the token covers the operation only: other changes verify (as that body, unauthenticated) or are rejected",
    () =>
      Effect.gen(function* () {
        const verify = yield* verifier
        let verified = 0
        fc.assert(
          fc.property(
            genuine,
            fc.constantFrom("payment_status", "amount", "payment_date", "transaction_id", "details"),
            fc.jsonValue({ maxDepth: 2 }),
            (g, field, value) => {
              const verdict = verify(raw({ ...g.body, [field]: value }, g.url))
              if (verdict._tag === "Verified") {
                verified++
                expect(verdict.event).toMatchObject({ reference: g.reference, merchantId: MERCHANT, verified: true })
                // What changed is not among the fields the token vouches for.
                expect(verdict.event.authenticated).toEqual(["subject.kind", "reference"])
              }
            }
          ),
          { numRuns: 500 }
        )
        // The checks run only on verified bodies: some must have verified, or this proved nothing.
        expect(verified).toBeGreaterThan(0)
      }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("another merchant's endpoint: rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(genuine, fc.string({ maxLength: 20 }), (g, merchant) => {
          fc.pre(merchant !== MERCHANT)
          expectRejected(verify(raw(g.body, g.url, { merchantId: merchant })))
        }),
        { numRuns: 200 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect(
    "timestamps that do not exist (minute or second 60–99, hour 24, month 13, day 32, zone beyond ±14:00) are rejected",
    () =>
      Effect.gen(function* () {
        const verify = yield* verifier
        fc.assert(
          fc.property(
            genuine,
            fc.constantFrom(
              "2025-05-20 10:60:00",
              "2025-05-20 10:75:00",
              "2025-05-20T10:00:60",
              "2025-05-20T10:00:99.123456",
              "2025-05-20 24:00:00",
              "2025-13-20 10:00:00",
              "2025-02-30 10:00:00",
              "2025-05-32 10:00:00",
              "2025-05-20T10:00:00+99:99",
              "2025-05-20T10:00:00-15:00"
            ),
            (g, impossible) => {
              const body: Json = JSON.parse(JSON.stringify(g.body))
              body.payment_date = impossible
              if (body.details !== undefined) (body.details as Json).transaction_date = impossible
              expectRejected(verify(raw(body, g.url)))
            }
          ),
          { numRuns: 200 }
        )
      }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("a year before 100 is refused (dates before year 1000 are), never read as 19xx", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(genuine, fc.integer({ min: 1, max: 99 }), (g, year) => {
          const text = `${String(year).padStart(4, "0")}-05-20 10:00:00`
          const body: Json = JSON.parse(JSON.stringify(g.body))
          body.payment_date = text
          if (body.details !== undefined) (body.details as Json).transaction_date = text
          const verdict = verify(raw(body, g.url))
          expect(verdict).toMatchObject({ _tag: "Rejected", detail: "no readable payment or transaction date" })
        }),
        { numRuns: 100 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("random bodies and random JSON shapes (even with a valid token) are rejected, never a defect", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(
          fc.oneof(
            fc.tuple(anyBody, fc.constantFrom(urlWith(tokenFor("R")), urlWith(undefined))),
            fc.tuple(anyBody, fc.string({ maxLength: 200 }))
          ),
          ([body, url]) => {
            expectRejected(verify(raw(body, url)))
          }
        ),
        { numRuns: 1000 }
      )
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything({ maxDepth: 2 }),
            fc.record({ body: fc.anything({ maxDepth: 1 }), url: fc.anything({ maxDepth: 1 }) })
          ),
          (notification) => {
            expectRejected(verify(notification))
          }
        ),
        { numRuns: 300 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("oversized bodies (> 64 KiB) are rejected even with a valid token", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(
          genuine,
          fc.integer({ min: 1, max: 4096 }),
          fc.constantFrom("a", "é", "€", "😀"),
          (g, over, char) => {
            const base = Buffer.byteLength(JSON.stringify({ ...g.body, hotel: "" }))
            const count = Math.ceil((MAX_BODY_BYTES - base + over) / Buffer.byteLength(char))
            expectRejected(verify(raw({ ...g.body, hotel: char.repeat(count) }, g.url)))
          }
        ),
        { numRuns: 100 }
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("deeply nested bodies, and 1 MB bodies or URLs, are rejected, never a defect", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      // The token is checked after decoding (it needs the reference): any token reaches the decoder.
      const url = urlWith(tokenFor("R"))
      for (const body of [nested(3_000), nested(20_000), "x".repeat(1 << 20), "[".repeat(40_000)]) {
        expectRejected(verify(raw(body, url)))
      }
      expectRejected(
        verify(raw({ payment_status: "Aplicado", amount: 1, external_ref_id: "R" }, `/a?${"x".repeat(1 << 20)}`))
      )
    }).pipe(Effect.provide(layer), quiet)
  )
})

describe("property: Autocore webhooks, examples: forged, replayed and tampered are rejected", () => {
  // The credit-card seed's approved notification.
  const seed: Json = {
    payment_status: "Aplicado",
    amount: 1000,
    payment_date: "2025-05-20T11:23:36.750836",
    company: "Company Example",
    hotel: "Booking payment Hotel ABC",
    voucher_url: "https://api-dev.autocore.pro/v2/terminal-payments/xxx/vouchers",
    transaction_id: "0196ed6d-145c-7025-b8d2-35c7b9c69bae",
    external_ref_id: "mkid-000000001-test",
    details: {
      type: "charge",
      id: "123456789",
      external_ref_id: "mkid-000000001-test",
      status_code: "applied",
      status_detail: "Aplicado",
      comments: "Pago con referencia 123456789 procesado correctamente",
      transaction_id: "0196ed6d-145c-7025-b8d2-35c7b9c69bae",
      transaction_date: "2025-05-20T11:23:36.750836"
    }
  }
  const genuineUrl = urlWith(tokenFor("mkid-000000001-test"))

  it.effect("the genuine seed notification verifies", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      const verdict = verify(raw(seed, genuineUrl))
      if (verdict._tag === "Rejected") throw new Error(verdict.detail)
      expect(verdict.event).toMatchObject({
        type: "payment.approved",
        reference: "mkid-000000001-test",
        subject: { kind: "charge" },
        verified: true
      })
      expect(verdict.event.occurredAt).toEqual(new Date("2025-05-20T16:23:36.750Z"))
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("forged: no token, an empty one, a made-up one, another secret's, another merchant's", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      for (const url of [
        "/autocore",
        urlWith(""),
        urlWith("A".repeat(43)),
        urlWith(tokenFor("mkid-000000001-test", charge, MERCHANT, "a-guessed-secret-0123456789")),
        urlWith(tokenFor("mkid-000000001-test", charge, "hotel-xyz")),
        // the token in the fragment or under another name is not a token
        `/autocore#pasarela_token=${tokenFor("mkid-000000001-test")}`,
        `/autocore?token=${tokenFor("mkid-000000001-test")}`
      ]) {
        expectRejected(verify(raw(seed, url)))
      }
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("replayed: the genuine token of one reference reused for another is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      expectRejected(verify(raw(withReference(seed, "mkid-000000002-test"), genuineUrl)))
      // The reference removed from the top level and changed in details.
      const { external_ref_id: _, ...withoutTop } = seed
      expectRejected(verify(raw(withReference(withoutTop, "mkid-000000002-test"), genuineUrl)))
    }).pipe(Effect.provide(layer), quiet)
  )

  it.effect("tampered: one token character changed, or the two references disagreeing, is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      const token = tokenFor("mkid-000000001-test")
      expectRejected(verify(raw(seed, urlWith(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`))))
      expectRejected(verify(raw(seed, urlWith(token.toUpperCase()))))
      expectRejected(
        verify(
          raw({ ...seed, details: { ...(seed.details as Json), external_ref_id: "mkid-000000002-test" } }, genuineUrl)
        )
      )
    }).pipe(Effect.provide(layer), quiet)
  )
})
