/**
 * Property tests of the memory provider's notification verifier, through the `Webhooks` service of
 * a built layer. Genuine notifications are signed here with the documented formula (HMAC-SHA256,
 * hex, over the canonical JSON array of the other fields), independently of the module's code.
 * Every mutated, forged, malformed or oversized body is `WebhookRejected`; nothing is a defect.
 */
import { createHmac } from "node:crypto"
import { describe, expect, it } from "@effect/vitest"
import {
  MAX_BODY_BYTES,
  Money,
  type PaymentError,
  PaymentEvent,
  PaymentLinks,
  type RawNotification
} from "@pasarela/core"
import { Memory, MemoryControl } from "@pasarela/memory"
import { expectRejected, type Verdict, verifier } from "@pasarela/testing"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"

const SECRET = "property-tests-memory-secret"
const layer = Memory.layer({ webhookSecret: Redacted.make(SECRET) })

interface Fields {
  id: string
  type: PaymentEvent.EventType
  subject: { kind: PaymentEvent.Subject["kind"]; id: string }
  reference: string
  amount?: { amount: string; currency: string }
  status: string
  detail?: string
  merchantId?: string
  occurredAt: string
}

/** The documented signature: lowercase hex HMAC-SHA256 of the fields as a JSON array, absent ones `null`. */
const signatureOf = (f: Fields, secret = SECRET) =>
  createHmac("sha256", secret)
    .update(
      JSON.stringify([
        f.id,
        f.type,
        f.subject.kind,
        f.subject.id,
        f.reference,
        f.amount?.amount ?? null,
        f.amount?.currency ?? null,
        f.status,
        f.detail ?? null,
        f.merchantId ?? null,
        f.occurredAt
      ]),
      "utf8"
    )
    .digest("hex")

const bodyOf = (f: Fields, signature = signatureOf(f)) => JSON.stringify({ ...f, signature })

// ---- arbitraries ----

const bounded = (max: number) =>
  fc
    .oneof(
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: Math.min(max, 30) }),
      fc.string({ unit: "binary", minLength: 1, maxLength: Math.min(max, 30) })
    )
    .filter((s) => s.length <= max)
const currencies = Object.keys(Money.currencies) as Array<Money.Currency>
const amount = fc
  .tuple(fc.constantFrom(...currencies), fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.boolean())
  .map(([currency, minor, fixed]) => {
    const money = Either.getOrThrow(Money.fromMinorUnits(minor, currency))
    // The fixed form ("120000.00"), or the shortest one ("120000").
    const text = fixed ? Money.toFixed(money) : Money.toFixed(money).replace(/\.?0+$/, "") || "0"
    return { amount: text, currency }
  })
const instant = fc
  .tuple(
    fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
    fc.constantFrom(0, 1, 2, 3)
  )
  .map(([date, digits]) =>
    date.toISOString().replace(/\.(\d{3})Z$/, (_, ms: string) => (digits === 0 ? "Z" : `.${ms.slice(0, digits)}Z`))
  )
const fields: fc.Arbitrary<Fields> = fc.record(
  {
    id: bounded(200),
    type: fc.constantFrom(...PaymentEvent.EventType.literals),
    subject: fc.record({
      kind: fc.constantFrom(...PaymentEvent.Subject.fields.kind.literals),
      id: fc.string({ maxLength: 30 })
    }),
    reference: bounded(200),
    amount,
    status: fc.oneof(fc.constantFrom("APPROVED", "PENDING", "DECLINED", "EXPIRED"), bounded(40)),
    detail: bounded(500),
    merchantId: bounded(64),
    occurredAt: instant
  },
  { requiredKeys: ["id", "type", "subject", "reference", "status", "occurredAt"] }
)

const URL_RECEIVED = "https://hotel.example/hooks/memory"
const raw = (body: string, extra: Partial<RawNotification> = {}): RawNotification => ({
  body,
  url: URL_RECEIVED,
  ...extra
})

// ---- running verify synchronously inside a test's runtime ----

/** The event a genuine notification must give, field by field. */
const expectEventOf = (verdict: Verdict, f: Fields, body: string) => {
  if (verdict._tag === "Rejected") throw new Error(`a genuine notification was rejected: ${verdict.detail}`)
  const { event } = verdict
  expect(event.provider).toBe("memory")
  expect(event.verified).toBe(true)
  expect(event.type).toBe(f.type)
  expect(event.subject).toEqual(f.subject)
  expect(event.reference).toBe(f.reference)
  expect(event.providerStatus).toBe(f.status)
  expect(event.detail).toBe(f.detail)
  expect(event.merchantId).toBe(f.merchantId)
  expect(event.occurredAt.getTime()).toBe(Date.parse(f.occurredAt))
  expect(event.dedupeKey).toBe(`memory:${f.merchantId ?? "-"}:${f.id}`)
  expect(event.raw).toEqual(JSON.parse(body))
  if (f.amount === undefined) expect(event.amount).toBeUndefined()
  else {
    const expected = Either.getOrThrow(Money.fromString(f.amount.amount, f.amount.currency))
    expect(event.amount !== undefined && Money.equals(event.amount, expected)).toBe(true)
  }
}

// ---- mutations of a genuine body ----

type Json = Record<string, unknown>

const flipChar = (text: string, at: number, replacement: string): string => {
  if (text.length === 0) return replacement
  const i = at % text.length
  const swap = replacement === text[i] ? (replacement === "x" ? "y" : "x") : replacement
  return `${text.slice(0, i)}${swap}${text.slice(i + 1)}`
}

const otherLiteral = <A extends string>(values: ReadonlyArray<A>, current: string, pick: number): A => {
  const others = values.filter((v) => v !== current)
  return others[pick % others.length]!
}

const mutationArb = fc.record({
  field: fc.constantFrom(
    "id",
    "type",
    "subject.kind",
    "subject.id",
    "reference",
    "amount.amount",
    "amount.currency",
    "amount",
    "status",
    "detail",
    "merchantId",
    "occurredAt",
    "signature"
  ),
  at: fc.nat(1000),
  replacement: fc.oneof(
    fc.constantFrom("0", "1", "a", "f", "Z", " ", "é", "\u0000"),
    fc.string({ minLength: 1, maxLength: 1 })
  )
})

/** One semantic change to one field of the parsed body (a flipped character, another value, removed or added). */
const mutate = (body: Json, m: { field: string; at: number; replacement: string }): Json => {
  const copy: Json = JSON.parse(JSON.stringify(body))
  const subject = copy.subject as Json
  const amountOf = copy.amount as Json | undefined
  switch (m.field) {
    case "type":
      copy.type = otherLiteral(PaymentEvent.EventType.literals, copy.type as string, m.at)
      break
    case "subject.kind":
      subject.kind = otherLiteral(PaymentEvent.Subject.fields.kind.literals, subject.kind as string, m.at)
      break
    case "subject.id":
      subject.id = flipChar(subject.id as string, m.at, m.replacement)
      break
    case "amount.amount":
    case "amount.currency":
      if (amountOf === undefined) copy.amount = { amount: "1.00", currency: "USD" }
      else {
        const key = m.field === "amount.amount" ? "amount" : "currency"
        amountOf[key] = flipChar(amountOf[key] as string, m.at, m.replacement)
      }
      break
    case "amount":
    case "detail":
    case "merchantId":
      // Removed when present, added when absent.
      if (copy[m.field] === undefined) copy[m.field] = m.field === "amount" ? { amount: "1", currency: "COP" } : "added"
      else delete copy[m.field]
      break
    default:
      copy[m.field] = flipChar(copy[m.field] as string, m.at, m.replacement)
  }
  return copy
}

// ---- random bodies ----

const jsonShape = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        id: fc.jsonValue({ maxDepth: 1 }),
        type: fc.oneof(fc.constantFrom(...PaymentEvent.EventType.literals), fc.jsonValue({ maxDepth: 1 })),
        subject: fc.jsonValue({ maxDepth: 2 }),
        reference: fc.jsonValue({ maxDepth: 1 }),
        amount: fc.jsonValue({ maxDepth: 2 }),
        status: fc.jsonValue({ maxDepth: 1 }),
        occurredAt: fc.oneof(instant, fc.jsonValue({ maxDepth: 1 })),
        signature: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.jsonValue({ maxDepth: 1 })),
        ["__proto__"]: fc.jsonValue({ maxDepth: 2 }),
        constructor: fc.jsonValue({ maxDepth: 1 })
      },
      { requiredKeys: [] }
    )
    .map((o) => JSON.stringify(o)),
  // A well-formed body whose signature is anything but the right one.
  fc.tuple(fields, fc.stringMatching(/^[0-9a-f]{64}$/)).map(([f, signature]) => bodyOf(f, signature))
)
const anyBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom("", "null", "[]", "{}", "0", '"x"', "{", '{"__proto__":{"signature":"x"}}', "\u0000", "NaN"),
  jsonShape
)

// biome-ignore lint/suspicious/noControlCharactersInRegex: references must not contain them
const CONTROL = /[\u0000-\u001f\u007f]/

const nested = (depth: number) => `{"id":${"[".repeat(depth)}${"]".repeat(depth)}}`

// ---------------------------------------------------------------------------------------------

describe("property: memory notifications", () => {
  it.effect("a genuine notification (signed with the documented formula) always verifies to its event", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(fields, (f) => {
          const body = bodyOf(f)
          expectEventOf(verify(raw(body)), f, body)
          // Its merchant may be named by the endpoint too.
          if (f.merchantId !== undefined) expectEventOf(verify(raw(body, { merchantId: f.merchantId })), f, body)
        }),
        { numRuns: 500 }
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("whitespace and key order do not matter; a re-delivery gives the same event and dedupe key", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(fields, fc.constantFrom(0, 2, "\t"), (f, indent) => {
          const signed: Json = { ...f, signature: signatureOf(f) }
          const reordered = Object.fromEntries(Object.entries(signed).reverse())
          const body = JSON.stringify(reordered, null, indent)
          const first = verify(raw(body))
          const again = verify(raw(body))
          expectEventOf(first, f, body)
          expect(again).toEqual(first)
        }),
        { numRuns: 200 }
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("a genuine notification with any one field changed is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(fields, mutationArb, (f, m) => {
          const genuine: Json = JSON.parse(bodyOf(f))
          const mutated = mutate(genuine, m)
          expect(mutated).not.toEqual(genuine)
          expectRejected(verify(raw(JSON.stringify(mutated))))
        }),
        { numRuns: 1000 }
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("signed with another secret, or for another merchant: rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(fields, bounded(40), bounded(64), (f, otherSecret, otherMerchant) => {
          fc.pre(otherSecret !== SECRET)
          expectRejected(verify(raw(bodyOf(f, signatureOf(f, otherSecret)))))
          fc.pre(otherMerchant !== f.merchantId)
          expectRejected(verify(raw(bodyOf(f), { merchantId: otherMerchant })))
        }),
        { numRuns: 300 }
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("random bodies and random JSON shapes are rejected, never a defect", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(anyBody, (body) => {
          expectRejected(verify(raw(body)))
        }),
        { numRuns: 1000 }
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect("random envelopes (wrong types, prototype keys) are rejected, never a defect", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(
          fc.oneof(
            fc.anything({ maxDepth: 2 }),
            fc.record({ body: fc.anything({ maxDepth: 1 }), url: fc.anything({ maxDepth: 1 }) }),
            fc.record({ body: anyBody, url: fc.string(), merchantId: fc.anything({ maxDepth: 1 }) })
          ),
          (notification) => {
            expectRejected(verify(notification))
          }
        ),
        { numRuns: 500 }
      )
    }).pipe(Effect.provide(layer))
  )

  it.effect(
    "oversized and deeply nested bodies are rejected; a genuine one padded to exactly 64 KiB still verifies",
    () =>
      Effect.gen(function* () {
        const verify = yield* verifier
        fc.assert(
          fc.property(fields, fc.integer({ min: 1, max: 4096 }), (f, over) => {
            const body = bodyOf(f)
            const size = Buffer.byteLength(body)
            expectEventOf(verify(raw(body + " ".repeat(MAX_BODY_BYTES - size))), f, body)
            expectRejected(verify(raw(body + " ".repeat(MAX_BODY_BYTES - size + over))))
          }),
          { numRuns: 100 }
        )
        for (const body of [nested(20_000), nested(3_000), "x".repeat(1 << 20), `${"[".repeat(40_000)}`]) {
          expectRejected(verify(raw(body)))
        }
      }).pipe(Effect.provide(layer))
  )

  it.effect("every notification the provider itself sends verifies to the event it emitted", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      const links = yield* PaymentLinks
      const control = yield* MemoryControl
      const runtime = yield* Effect.runtime<never>()
      const run = <A>(effect: Effect.Effect<A, PaymentError.PaymentError>) => Runtime.runSync(runtime)(effect)
      fc.assert(
        fc.property(
          fc.constantFrom(...currencies),
          fc.bigInt({ min: 1n, max: 10n ** 14n }),
          bounded(64).filter((s) => s.trim().length > 0 && !CONTROL.test(s)),
          fc.boolean(),
          (currency, minor, reference, approve) => {
            const amount = Either.getOrThrow(Money.fromMinorUnits(minor, currency))
            const link = run(links.create({ reference, description: "stay", amount }))
            run(approve ? control.payLink(link.id) : control.declineLink(link.id, "insufficient funds"))
            const notification = run(control.takeNotification)
            const emitted = run(control.takeEvent)
            const verdict = verify(notification)
            if (verdict._tag === "Rejected") throw new Error(`rejected its own notification: ${verdict.detail}`)
            expect(verdict.event).toEqual(emitted)
            expect(verdict.event.amount !== undefined && Money.equals(verdict.event.amount, amount)).toBe(true)
          }
        ),
        { numRuns: 200 }
      )
    }).pipe(Effect.provide(layer))
  )
})
