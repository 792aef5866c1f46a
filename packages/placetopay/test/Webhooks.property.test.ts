/**
 * Property tests of PlacetoPay notification verification (spec §4), through the `Webhooks` service
 * of a built layer (no network: its HttpClient refuses every request). Genuine notifications are
 * signed here with the spec's formulas, independently of the adapter's `Webhooks` module:
 * link notifications `hex(SHA-256(linkId + status + date + secretKey))`, checkout ones the same
 * text under SHA-1 (legacy) or `"sha256:" + hex(SHA-256(…))`. The clock is the test clock.
 */
import { createHash } from "node:crypto"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { MAX_BODY_BYTES, type PaymentEvent, type RawNotification, Webhooks } from "@pasarela/core"
import { expectRejected, type Verdict, verifier as webhooksVerifier } from "@pasarela/testing"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { PlacetoPay } from "../src/index.js"

const SECRET = "property-tests-placetopay-secret"
const MERCHANT = "hotel-p"
/** "Now" for every property: the test clock is set here. */
const NOW = Date.parse("2026-03-14T15:09:26Z")
const TOLERANCE_SECONDS = 15 * 60

const noNetwork = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) => Effect.die(new Error(`no I/O expected, got ${request.method} ${request.url}`)))
)
const layerFor = (secretKey: string, options: Partial<PlacetoPay.Options> = {}) =>
  PlacetoPay.layer({
    login: "property-login",
    secretKey: Redacted.make(secretKey),
    baseUrl: "https://sites-test.placetopay.com",
    merchantId: MERCHANT,
    // Both kinds, so both are exercised; the default (links only) is tested in PlacetoPay.test.ts.
    notifications: ["link", "checkout"],
    ...options
  }).pipe(Layer.provide(noNetwork))

// ---- the spec's formulas ----

const hex = (algorithm: "sha1" | "sha256", text: string) => createHash(algorithm).update(text, "utf8").digest("hex")
const linkSignature = (linkId: number, status: string, date: string, secret = SECRET) =>
  hex("sha256", `${linkId}${status}${date}${secret}`)
const checkoutSignature = (
  requestId: number,
  status: string,
  date: string,
  algorithm: "sha1" | "sha256",
  secret = SECRET
) => {
  const digest = hex(algorithm, `${requestId}${status}${date}${secret}`)
  return algorithm === "sha256" ? `sha256:${digest}` : digest
}

interface Genuine {
  readonly kind: "link" | "checkout"
  readonly id: number
  readonly status: string
  readonly date: string
  /** The instant `date` denotes, computed here. */
  readonly at: number
  readonly reference: string
  readonly message: string
  readonly reason: number | string
  readonly algorithm: "sha1" | "sha256"
}

const signatureOf = (g: Genuine, secret = SECRET) =>
  g.kind === "link"
    ? linkSignature(g.id, g.status, g.date, secret)
    : checkoutSignature(g.id, g.status, g.date, g.algorithm, secret)

type Json = Record<string, unknown>

const jsonOf = (g: Genuine, signature = signatureOf(g)): Json => ({
  status: { status: g.status, reason: g.reason, message: g.message, date: g.date },
  [g.kind === "link" ? "linkId" : "requestId"]: g.id,
  reference: g.reference,
  signature
})
const bodyOf = (g: Genuine, signature?: string) => JSON.stringify(jsonOf(g, signature))
const raw = (body: string): RawNotification => ({ body, url: "/hooks/placetopay" })

// ---- arbitraries ----

/** `YYYY-MM-DDTHH:mm:ss[.fff…]±HH:MM` (or `Z`) for `at`, written in a random zone. */
const isoDate = (at: fc.Arbitrary<number>) =>
  fc
    .tuple(
      at,
      fc.integer({ min: -48, max: 56 }).map((quarters) => quarters * 15),
      fc.constantFrom("", ".5", ".123", ".000001", ".987654321"),
      fc.boolean()
    )
    .map(([seconds, offset, fraction, zulu]) => {
      const millis = seconds * 1000
      const local = new Date(millis + offset * 60_000).toISOString().slice(0, 19)
      const sign = offset < 0 ? "-" : "+"
      const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0")
      const mm = String(Math.abs(offset) % 60).padStart(2, "0")
      const zone = offset === 0 && zulu ? "Z" : `${sign}${hh}:${mm}`
      const fractionMillis = fraction === "" ? 0 : Number(fraction.slice(1).padEnd(3, "0").slice(0, 3))
      return { date: `${local}${fraction}${zone}`, at: millis + fractionMillis }
    })

/** Whole seconds from now, within the tolerance (both directions, boundaries included). */
const freshSeconds = fc.integer({ min: -TOLERANCE_SECONDS + 1, max: TOLERANCE_SECONDS - 1 }).map((d) => NOW / 1000 + d)

/** A link notification is PAID or EXPIRED (spec §4.1); any other status is refused. */
const linkStatus = fc.constantFrom("PAID", "EXPIRED")
const checkoutStatuses = [
  "APPROVED",
  "PENDING",
  "PENDING_VALIDATION",
  "PENDING_CONFIRMATION",
  "REJECTED",
  "APPROVED_PARTIAL",
  "PARTIAL_EXPIRED",
  "REFUNDED",
  "FAILED",
  "ERROR",
  "UNKNOWN"
] as const
const checkoutStatus = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...checkoutStatuses) },
  // Never a link status: a checkout notification carrying one is refused (domain separation).
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][A-Z_]{0,19}$/).filter((s) => s !== "PAID" && s !== "EXPIRED") }
)

const genuine = (seconds: fc.Arbitrary<number> = freshSeconds): fc.Arbitrary<Genuine> =>
  fc
    .record({
      kind: fc.constantFrom("link" as const, "checkout" as const),
      id: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 2 ** 31 })),
      linkStatus,
      checkoutStatus,
      when: isoDate(seconds),
      reference: fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 20 })),
      message: fc.string({ maxLength: 40 }),
      reason: fc.oneof(fc.constant(200), fc.integer(), fc.constantFrom("00", "?-", "PC")),
      algorithm: fc.constantFrom("sha1" as const, "sha256" as const)
    })
    .map((r) => ({
      kind: r.kind,
      id: r.id,
      status: r.kind === "link" ? r.linkStatus : r.checkoutStatus,
      date: r.when.date,
      at: r.when.at,
      reference: r.reference,
      message: r.message,
      // The link schema's reason is a number; checkout notifications also carry codes such as "00".
      reason: r.kind === "link" && typeof r.reason === "string" ? 200 : r.reason,
      algorithm: r.algorithm
    }))

// ---- running verify synchronously inside the test's runtime ----

const verifier = TestClock.setTime(NOW).pipe(Effect.zipRight(webhooksVerifier))

const expectedType = (g: Genuine): PaymentEvent.EventType | undefined => {
  if (g.kind === "link") return g.status === "PAID" ? "payment.approved" : "link.expired"
  const known: Record<string, PaymentEvent.EventType> = {
    APPROVED: "payment.approved",
    PENDING: "payment.pending",
    REJECTED: "payment.declined",
    FAILED: "payment.declined",
    REFUNDED: "refund.completed",
    UNKNOWN: "unknown"
  }
  return (checkoutStatuses as ReadonlyArray<string>).includes(g.status) ? known[g.status] : "unknown"
}

const expectEventOf = (verdict: Verdict, g: Genuine, body: string) => {
  if (verdict._tag === "Rejected") throw new Error(`a genuine notification was rejected: ${verdict.detail}`)
  const { event } = verdict
  expect(event).toMatchObject({
    provider: "placetopay",
    merchantId: MERCHANT,
    subject: { kind: g.kind === "link" ? "link" : "session", id: String(g.id) },
    reference: g.reference,
    providerStatus: g.status,
    verified: true,
    // The signature covers the subject, status and date, never the reference.
    authenticated: ["subject.kind", "subject.id", "type", "occurredAt"]
  })
  const type = expectedType(g)
  if (type !== undefined) expect(event.type).toBe(type)
  expect(event.occurredAt.getTime()).toBe(g.at)
  expect(event.raw).toEqual(JSON.parse(body))
  expect(event.dedupeKey.startsWith(`placetopay:${MERCHANT}:`)).toBe(true)
  expect(event.dedupeKey).toContain(String(g.id))
}

// ---- edits ----

const flipChar = (text: string, at: number, replacement: string): string => {
  if (text.length === 0) return replacement
  const i = at % text.length
  const swap = replacement === text[i] ? (replacement === "x" ? "y" : "x") : replacement
  return `${text.slice(0, i)}${swap}${text.slice(i + 1)}`
}
const replacementChar = fc.oneof(
  fc.constantFrom("0", "1", "9", "a", "f", "A", "Z", ":", "-", "+", " ", "é"),
  fc.string({ minLength: 1, maxLength: 1 })
)

const nested = (depth: number) => `{"status":${"[".repeat(depth)}${"]".repeat(depth)}}`

const anyBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.constantFrom("", "null", "[]", "{}", "0", "{", '{"__proto__":{"signature":"x"}}', "\u0000", "NaN"),
  // The right shape with random values, and with random signatures.
  fc
    .record(
      {
        status: fc.oneof(
          fc.record({
            status: fc.string(),
            reason: fc.jsonValue({ maxDepth: 1 }),
            message: fc.jsonValue(),
            date: fc.string()
          }),
          fc.jsonValue({ maxDepth: 2 })
        ),
        linkId: fc.jsonValue({ maxDepth: 1 }),
        requestId: fc.jsonValue({ maxDepth: 1 }),
        reference: fc.jsonValue({ maxDepth: 1 }),
        signature: fc.oneof(fc.stringMatching(/^(sha256:)?[0-9a-f]{40,64}$/), fc.jsonValue({ maxDepth: 1 })),
        ["__proto__"]: fc.jsonValue({ maxDepth: 1 })
      },
      { requiredKeys: [] }
    )
    .map((o) => JSON.stringify(o)),
  fc
    .tuple(genuine(), fc.stringMatching(/^(sha256:)?[0-9a-f]{40}([0-9a-f]{24})?$/))
    .map(([g, signature]) => bodyOf(g, signature))
)

// ---------------------------------------------------------------------------------------------

describe("property: PlacetoPay notifications", () => {
  it.effect("a genuine link or checkout notification, dated within the tolerance, always verifies", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(genuine(), (g) => {
          const body = bodyOf(g)
          const first = verify(raw(body))
          expectEventOf(first, g, body)
          // A duplicate delivery is the same event (same dedupe key).
          expect(verify(raw(body))).toEqual(first)
        }),
        { numRuns: 500 }
      )
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect("a genuine link notification re-sent as a checkout one (same digest, prefixed) is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(
          genuine().filter((g) => g.kind === "link"),
          fc.string({ maxLength: 40 }),
          (g, reference) => {
            const json = jsonOf(g)
            const posing = {
              status: json.status,
              requestId: json.linkId,
              reference,
              signature: `sha256:${json.signature as string}`
            }
            expectRejected(verify(raw(JSON.stringify(posing))))
          }
        ),
        { numRuns: 300 }
      )
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect("any change to a signed fact (signature, status, id, date) is rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(
          genuine(),
          fc.constantFrom("signature", "status", "id", "date"),
          fc.nat(1000),
          replacementChar,
          fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0),
          (g, field, at, replacement, delta) => {
            const json = jsonOf(g)
            const status = json.status as Json
            const idKey = g.kind === "link" ? "linkId" : "requestId"
            switch (field) {
              case "signature":
                json.signature = flipChar(json.signature as string, at, replacement)
                break
              case "status":
                status.status = flipChar(g.status, at, replacement)
                break
              case "id":
                json[idKey] = g.id + delta
                break
              case "date":
                status.date = flipChar(g.date, at, replacement)
                break
            }
            expectRejected(verify(raw(JSON.stringify(json))))
          }
        ),
        { numRuns: 1000 }
      )
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect("unsigned fields (reference, message, reason) never change the signed facts of a verified event", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      let compared = 0
      fc.assert(
        fc.property(
          genuine(),
          fc.constantFrom("reference", "message", "reason"),
          fc.jsonValue({ maxDepth: 1 }),
          (g, field, value) => {
            const original = verify(raw(bodyOf(g)))
            const json = jsonOf(g)
            if (field === "reference") json.reference = value
            else (json.status as Json)[field] = value
            const verdict = verify(raw(JSON.stringify(json)))
            if (verdict._tag === "Rejected" || original._tag === "Rejected") return
            // PlacetoPay signs only id, status and date: those facts are what a verified event vouches for.
            const facts = (e: PaymentEvent.PaymentEvent) => [
              e.subject,
              e.type,
              e.providerStatus,
              e.occurredAt,
              e.dedupeKey
            ]
            expect(facts(verdict.event)).toEqual(facts(original.event))
            expect(typeof verdict.event.reference).toBe("string")
            compared++
          }
        ),
        { numRuns: 300 }
      )
      // The checks run only when both verified: some edited bodies must have, or this proved nothing.
      expect(compared).toBeGreaterThan(0)
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect("moving id digits into the status keeps the signed text but is refused (links) or unknown (sessions)", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      let sessions = 0
      fc.assert(
        fc.property(
          genuine().filter((g) => g.id >= 10),
          fc.nat(),
          (g, cut) => {
            // linkId 12 + "PAID" and linkId 1 + "2PAID" sign the same text: the formula cannot tell them apart.
            const digits = String(g.id)
            const k = 1 + (cut % (digits.length - 1))
            const shifted: Genuine = { ...g, id: Number(digits.slice(0, -k)), status: `${digits.slice(-k)}${g.status}` }
            const verdict = verify(raw(bodyOf(shifted, signatureOf(g))))
            if (g.kind === "link") expectRejected(verdict)
            else if (verdict._tag === "Verified") {
              sessions++
              expect(verdict.event.type).toBe("unknown")
            }
          }
        ),
        { numRuns: 300 }
      )
      expect(sessions).toBeGreaterThan(0)
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect("replays: a genuine notification dated beyond the tolerance (past or future) is rejected as stale", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      const beyond = fc
        .tuple(
          fc.oneof(
            fc.integer({ min: TOLERANCE_SECONDS + 1, max: 3 * 3600 }),
            fc.integer({ min: 1, max: 10 * 365 * 86400 })
          ),
          fc.boolean()
        )
        .map(([d, future]) => NOW / 1000 + (future ? 1 : -1) * (d + TOLERANCE_SECONDS))
      fc.assert(
        fc.property(genuine(beyond), (g) => {
          expect(expectRejected(verify(raw(bodyOf(g))))).toContain("stale")
        }),
        { numRuns: 300 }
      )
      // The boundaries: exactly the tolerance away verifies, one second more does not.
      for (const [offset, verifies] of [
        [TOLERANCE_SECONDS, true],
        [-TOLERANCE_SECONDS, true],
        [TOLERANCE_SECONDS + 1, false],
        [-TOLERANCE_SECONDS - 1, false]
      ] as const) {
        const [sample] = fc.sample(genuine(), { numRuns: 1, seed: offset })
        const millis = NOW + offset * 1000
        const g: Genuine = { ...sample!, date: `${new Date(millis).toISOString().slice(0, 19)}Z`, at: millis }
        const body = bodyOf(g)
        const verdict = verify(raw(body))
        if (verifies) expectEventOf(verdict, g, body)
        else expectRejected(verdict)
      }
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect("signed with another site's secret: rejected", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(genuine(), fc.string({ minLength: 1, maxLength: 40 }), (g, other) => {
          fc.pre(other !== SECRET)
          expectRejected(verify(raw(bodyOf(g, signatureOf(g, other)))))
        }),
        { numRuns: 300 }
      )
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect("random bodies, random JSON shapes and random envelopes are rejected, never a defect", () =>
    Effect.gen(function* () {
      const verify = yield* verifier
      fc.assert(
        fc.property(
          fc.oneof(
            anyBody.map(raw),
            fc.anything({ maxDepth: 2 }),
            fc.record({ body: fc.anything({ maxDepth: 1 }), url: fc.anything({ maxDepth: 1 }) })
          ),
          (notification) => {
            expectRejected(verify(notification))
          }
        ),
        { numRuns: 1000 }
      )
    }).pipe(Effect.provide(layerFor(SECRET)))
  )

  it.effect(
    "oversized bodies (> 64 KiB) are rejected even when genuine; deep nesting is rejected, never a defect",
    () =>
      Effect.gen(function* () {
        const verify = yield* verifier
        fc.assert(
          fc.property(
            genuine(),
            fc.integer({ min: 1, max: 4096 }),
            fc.constantFrom("a", "é", "€", "😀"),
            (g, over, char) => {
              // Padding in the (unsigned) reference: the signature still matches, the size does not.
              const base = Buffer.byteLength(bodyOf({ ...g, reference: "" }))
              const count = Math.ceil((MAX_BODY_BYTES - base + over) / Buffer.byteLength(char))
              expectRejected(verify(raw(bodyOf({ ...g, reference: char.repeat(count) }))))
              // Padding with whitespace after the JSON value.
              const body = bodyOf(g)
              expectRejected(verify(raw(body + " ".repeat(MAX_BODY_BYTES - Buffer.byteLength(body) + over))))
            }
          ),
          { numRuns: 100 }
        )
        for (const body of [nested(20_000), nested(3_000), "x".repeat(1 << 20), "[".repeat(40_000)]) {
          expectRejected(verify(raw(body)))
        }
      }).pipe(Effect.provide(layerFor(SECRET)))
  )
})

describe("property: PlacetoPay notifications, examples (spec §4 vectors): forged, replayed and tampered are rejected", () => {
  const linkVector = (status: "PAID" | "EXPIRED", date: string, signature: string) =>
    JSON.stringify({ status: { status, reason: 200, message: "m", date }, linkId: 2, reference: "BK-2", signature })
  const paid = {
    date: "2024-06-25T00:43:21-05:00",
    signature: "6b02c3385968052869630e7999499f2c4f82d260e7d2843237c02b3d1d8ef03c"
  }
  const expired = {
    date: "2024-06-25T00:53:36-05:00",
    signature: "3d03220edd4cb901894b8918d3cc23c547571e2eac886d90de54e369dde96e48"
  }
  const at = (date: string, plus: Duration.DurationInput = "1 minute") =>
    TestClock.setTime(Date.parse(date) + Duration.toMillis(plus))
  const verdictOf = (body: string) => Effect.flatMap(Webhooks, (webhooks) => Effect.either(webhooks.verify(raw(body))))
  const rejection = (body: string) =>
    Effect.map(verdictOf(body), (result) => {
      if (result._tag === "Right") throw new Error("accepted")
      expect(result.left.reason._tag).toBe("WebhookRejected")
      return result.left.reason._tag === "WebhookRejected" ? result.left.reason.detail : ""
    })

  it.effect("§4.1: the genuine vectors verify; replayed later, they are rejected", () =>
    Effect.gen(function* () {
      yield* at(paid.date)
      const event = yield* Effect.flatMap(verdictOf(linkVector("PAID", paid.date, paid.signature)), (r) => r)
      expect(event).toMatchObject({ type: "payment.approved", subject: { kind: "link", id: "2" }, verified: true })
      yield* at(expired.date)
      const expiry = yield* Effect.flatMap(verdictOf(linkVector("EXPIRED", expired.date, expired.signature)), (r) => r)
      expect(expiry.type).toBe("link.expired")
      // The same genuine notification replayed an hour (or a day) later.
      for (const later of ["1 hour", "1 day"] as const) {
        yield* at(paid.date, later)
        expect(yield* rejection(linkVector("PAID", paid.date, paid.signature))).toContain("stale")
      }
    }).pipe(Effect.provide(layerFor("mySiteSecretKey")))
  )

  it.effect("§4.1: forged and tampered notifications are rejected", () =>
    Effect.gen(function* () {
      yield* at(paid.date)
      const forged = [
        // signed with another secret
        linkVector("PAID", paid.date, linkSignature(2, "PAID", paid.date, "anotherSitesSecret")),
        // the EXPIRED notification's signature on a PAID body
        linkVector("PAID", paid.date, expired.signature),
        // no secret at all
        linkVector("PAID", paid.date, hex("sha256", `2PAID${paid.date}`)),
        // uppercase hex, a prefix, nothing
        linkVector("PAID", paid.date, paid.signature.toUpperCase()),
        linkVector("PAID", paid.date, `sha256:${paid.signature}`),
        linkVector("PAID", paid.date, "")
      ]
      const tampered = [
        linkVector("EXPIRED", paid.date, paid.signature),
        JSON.stringify({ ...JSON.parse(linkVector("PAID", paid.date, paid.signature)), linkId: 3 }),
        linkVector("PAID", "2024-06-25T00:43:22-05:00", paid.signature),
        linkVector("PAID", "2024-06-25T05:43:21Z", paid.signature)
      ]
      for (const body of [...forged, ...tampered]) yield* rejection(body)
    }).pipe(Effect.provide(layerFor("mySiteSecretKey")))
  )

  it.effect("§4.2: checkout vectors verify in both forms; forged, tampered and replayed ones are rejected", () =>
    Effect.gen(function* () {
      const checkout = (requestId: number, status: string, date: string, signature: string) =>
        JSON.stringify({ status: { status, reason: "00", message: "m", date }, requestId, reference: "R", signature })
      const date = "2016-10-10T16:39:57-05:00"
      const sha1 = "8fb4beea130ab3e75a1de956bd0213892e0f6839"
      const sha256 = "sha256:1a0d78ea2fcc656c718d7fa3dc13d1aef9faea442017b20c705319cb33933454"
      yield* at(date)
      for (const signature of [sha1, sha256]) {
        const event = yield* Effect.flatMap(verdictOf(checkout(83, "APPROVED", date, signature)), (r) => r)
        expect(event).toMatchObject({ type: "payment.approved", subject: { kind: "session", id: "83" } })
      }
      yield* at("2016-10-12T01:44:37-05:00")
      const rejected = yield* Effect.flatMap(
        verdictOf(checkout(126, "REJECTED", "2016-10-12T01:44:37-05:00", "554fa6c36bd5d1376b192b8bc3a1e3dd9a01e448")),
        (r) => r
      )
      expect(rejected.type).toBe("payment.declined")
      yield* at(date)
      for (const body of [
        checkout(83, "REJECTED", date, sha1),
        checkout(84, "APPROVED", date, sha256),
        checkout(83, "APPROVED", date, sha256.replace("sha256:", "")),
        checkout(83, "APPROVED", date, `sha256:${sha1}`),
        checkout(83, "APPROVED", date, checkoutSignature(83, "APPROVED", date, "sha256", "024h1IlE"))
      ]) {
        yield* rejection(body)
      }
      yield* at(date, "2 hours")
      expect(yield* rejection(checkout(83, "APPROVED", date, sha1))).toContain("stale")
    }).pipe(Effect.provide(layerFor("024h1IlD")))
  )
})
