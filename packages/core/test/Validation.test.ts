import { describe, expect, it } from "@effect/vitest"
import {
  Card,
  Charge,
  Charges,
  Fields,
  Money,
  PaymentError,
  PaymentLinks,
  Provider,
  Validation,
  Webhooks
} from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"

const provider = Provider.make({ name: "test", displayName: "Test", capabilities: Provider.allOperations })
let calls = 0
const links = PaymentLinks.make(provider, {
  create: (input) =>
    Effect.sync(() => {
      calls++
      return {
        id: "1",
        provider: "test",
        url: "https://pay.test/1",
        reference: input.reference,
        amount: input.amount,
        status: "active" as const,
        providerStatus: "ACTIVE",
        payments: []
      }
    })
})

const validCard = Card.make({
  number: "4111111111111111",
  cvv: "123",
  expiryMonth: 12,
  expiryYear: 2099,
  holderName: "JOHN DOE"
})

describe("input validation", () => {
  it.effect("lists every bad field at once and never calls the provider", () =>
    Effect.gen(function* () {
      calls = 0
      const error = yield* Effect.flip(
        links.create({
          reference: "",
          description: "x".repeat(300),
          amount: Money.make("1", "COP"),
          payer: { name: "Laura", email: "not-an-email", country: "Colombia" },
          expiresIn: "-1 hours",
          notificationUrl: "ftp://example.com",
          locale: "es-co",
          booking: { checkIn: "2026-02-30", checkOut: "2026-01-01" }
        })
      )
      expect(error.reason._tag).toBe("InvalidRequest")
      const paths = error.reason._tag === "InvalidRequest" ? error.reason.issues.map((i) => i.path) : []
      expect(paths).toEqual(
        expect.arrayContaining([
          "reference",
          "description",
          "payer.email",
          "payer.country",
          "expiresIn",
          "notificationUrl",
          "locale",
          "booking.checkIn"
        ])
      )
      expect(calls).toBe(0)
      // One issue per problem: no "expected undefined" echo from optional fields' unions.
      const messages = error.reason._tag === "InvalidRequest" ? error.reason.issues.map((i) => i.message) : []
      expect(messages).not.toContain("expected undefined")
      expect(new Set(paths).size).toBe(paths.length)
    })
  )

  it.effect("refuses unknown fields instead of ignoring them", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        links.create({
          reference: "A",
          description: "B",
          amount: Money.make("1", "COP"),
          expiresInn: "1 hour"
        } as never)
      )
      expect(error.reason._tag === "InvalidRequest" && error.reason.issues[0]).toMatchObject({
        path: "expiresInn",
        message: "is not a known field"
      })
    })
  )

  it.effect("checks cross-field rules", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        links.create({
          reference: "A",
          description: "B",
          amount: Money.make("1", "COP"),
          expiresAt: new Date(Date.now() + 3600_000),
          expiresIn: Duration.hours(1),
          taxes: [{ kind: "valueAddedTax", amount: Money.make("1", "USD") }]
        })
      )
      const paths = error.reason._tag === "InvalidRequest" ? error.reason.issues.map((i) => i.path) : []
      expect(paths).toEqual(["expiresIn", "taxes[0]"])
    })
  )

  it.effect("records must be plain objects: a Map, a Date or a class instance is refused, not read as {}", () =>
    Effect.gen(function* () {
      class Tags {
        readonly room = "101"
      }
      const base = { reference: "A", description: "B", amount: Money.make("1", "COP") }
      for (const metadata of [new Map([["room", "101"]]), new Date(), new Tags()]) {
        const error = yield* Effect.flip(links.create({ ...base, metadata: metadata as never }))
        expect(error.reason._tag === "InvalidRequest" && error.reason.issues).toEqual([
          expect.objectContaining({ path: "metadata", message: "must be a plain object" })
        ])
      }
      const options = yield* Effect.flip(links.create({ ...base, providerOptions: new Map() as never }))
      expect(options.reason._tag === "InvalidRequest" && options.reason.issues).toEqual([
        expect.objectContaining({ path: "providerOptions", message: "must be a plain object" })
      ])
      // Plain objects, with or without a prototype, are records; their entries are still checked.
      const bare = Object.assign(Object.create(null) as Record<string, string>, { room: "101" })
      expect((yield* links.create({ ...base, metadata: bare })).reference).toBe("A")
      expect((yield* links.create({ ...base, metadata: { room: "101" } })).reference).toBe("A")
      const tooLong = yield* Effect.flip(links.create({ ...base, metadata: { room: "x".repeat(501) } }))
      expect(tooLong.reason._tag === "InvalidRequest" && tooLong.reason.issues[0]?.path).toBe("metadata")
      const badKey = yield* Effect.flip(links.create({ ...base, metadata: { ["k".repeat(41)]: "v" } }))
      expect(badKey.reason._tag === "InvalidRequest" && badKey.reason.issues[0]?.path).toBe(
        `metadata.${"k".repeat(41)}`
      )
    })
  )

  it.effect("accepts a good input with a duration as text", () =>
    Effect.gen(function* () {
      const link = yield* links.create({
        reference: "BK-1",
        description: "2 nights",
        amount: Money.make("120000", "COP"),
        expiresIn: "24 hours",
        payer: {
          name: "Laura",
          surname: "Pelaez",
          email: "laura@example.com",
          phone: { callingCode: "+57", number: "3001234567" }
        }
      })
      expect(link.reference).toBe("BK-1")
    })
  )
})

describe("card validation", () => {
  const charges = Charges.make(provider, {
    create: (input) =>
      Effect.succeed({
        id: "c1",
        provider: "test",
        reference: input.reference,
        amount: input.amount,
        outcome: "approved" as const,
        providerStatus: "ok",
        lastDigits: Card.lastFour(input.card)
      })
  })
  const payer = { name: "John", surname: "Doe" }

  it.effect("checks Luhn, length, CVV and month without echoing card data", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        charges.create({
          reference: "R1",
          amount: Money.make("1000", "COP"),
          payer,
          card: { ...validCard, number: Redacted.make("4111111111111112"), cvv: Redacted.make("12"), expiryMonth: 0 }
        })
      )
      const issues = error.reason._tag === "InvalidRequest" ? error.reason.issues : []
      expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(["card.cvv", "card.expiryMonth"]))
      expect(error.message).not.toContain("4111111111111112")
      // The Luhn rule runs once the fields themselves are well-formed.
      const luhn = yield* Effect.flip(
        charges.create({
          reference: "R1",
          amount: Money.make("1000", "COP"),
          payer,
          card: { ...validCard, number: Redacted.make("4111111111111112") }
        })
      )
      expect(luhn.message).toContain("card.number: is not a valid card number (Luhn check failed)")
      expect(luhn.message).not.toContain("4111111111111112")
    })
  )

  it.effect("lets a provider's non-Luhn test card through only when asked", () =>
    Effect.gen(function* () {
      const charge = yield* charges.create({
        reference: "R2",
        amount: Money.make("1000", "COP"),
        payer,
        card: Card.make({
          number: "1111111111111111",
          cvv: "123",
          expiryMonth: 12,
          expiryYear: 2099,
          holderName: "JOHN DOE",
          skipLuhnCheck: true
        })
      })
      expect(charge.lastDigits).toBe("1111")
    })
  )

  it.effect("refuses a card holder name with control characters, without repeating it", () =>
    Effect.gen(function* () {
      for (const holderName of ["JOHN\nDOE", "JOHN DOE\r", "JOHN\tDOE", "JOHN\u0000DOE", "JOHN\u007fDOE"]) {
        const error = yield* Effect.flip(
          charges.create({
            reference: "R3",
            amount: Money.make("1000", "COP"),
            payer,
            card: Card.make({ number: "4111111111111111", cvv: "123", expiryMonth: 12, expiryYear: 2099, holderName })
          })
        )
        const issues = error.reason._tag === "InvalidRequest" ? error.reason.issues : []
        expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
          "card.holderName: must not contain control characters"
        ])
        expect(error.message).not.toContain("JOHN")
      }
    })
  )

  it("redacts card data when printed", () => {
    expect(JSON.stringify(validCard)).not.toContain("4111")
    expect(String(validCard.number)).toBe("<redacted>")
  })

  it("knows when a card has expired", () => {
    const now = new Date("2026-11-22T00:00:00Z")
    expect(Card.isExpired({ expiryMonth: 10, expiryYear: 2026 }, now)).toBe(true)
    expect(Card.isExpired({ expiryMonth: 11, expiryYear: 2026 }, now)).toBe(false)
    expect(Card.luhnValid("4111111111111111")).toBe(true)
    expect(Card.luhnValid("1111111111111111")).toBe(false)
  })
})

describe("a provider's own rules, in the same report as the shared schema's", () => {
  const ruled = { calls: 0 }
  const strict = Charges.make(provider, {
    create: (input) =>
      Effect.succeed({
        id: "c1",
        provider: "test",
        reference: input.reference,
        amount: input.amount,
        outcome: "approved" as const,
        providerStatus: "OK",
        lastDigits: "1111"
      }),
    rules: {
      create: (input, now) => {
        ruled.calls++
        const issues: Array<{ path: string; message: string }> = []
        if (input.description !== undefined && input.description.length > 99) {
          issues.push({ path: "description", message: "at most 99 characters here" })
        }
        if (input.amount !== undefined && !Money.isInteger(input.amount)) {
          issues.push({ path: "amount", message: "whole amounts only here" })
        }
        if (input.payer?.surname === undefined) issues.push({ path: "payer.surname", message: "is required here" })
        const card = input.card
        if (
          card?.expiryMonth !== undefined &&
          card.expiryYear !== undefined &&
          Card.isExpired(card as never, new Date(now))
        ) {
          issues.push({ path: "card", message: "has expired" })
        }
        return issues
      }
    }
  })
  const charge = (fields: Record<string, unknown>) =>
    strict.create({
      reference: "R1",
      amount: Money.make("1000.50", "COP"),
      description: "d".repeat(100),
      payer: { name: "Laura", surname: "Pelaez", email: "not-an-email" },
      card: Card.make({ number: "4111111111111111", cvv: "1", expiryMonth: 1, expiryYear: 2001, holderName: "L P" }),
      ...fields
    } as never)
  const issues = (error: { readonly reason: { readonly _tag: string } }) =>
    error.reason._tag === "InvalidRequest"
      ? (error.reason as PaymentError.InvalidRequest).issues.map((i) => `${i.path}: ${i.message}`)
      : []

  it.effect("an invalid email no longer hides a long description, a fractional amount or an expired card", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2026-11-22T00:00:00Z"))
      const error = yield* Effect.flip(charge({}))
      expect(issues(error)).toEqual([
        "payer.email: must be an email address",
        "card.cvv: must be 3 or 4 digits",
        "description: at most 99 characters here",
        "amount: whole amounts only here",
        "card: has expired"
      ])
    })
  )

  it.effect("a rule on a field the schema refused says nothing more", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(charge({ payer: { name: "Laura", surname: "" } }))
      expect(issues(error)).toContain("payer.surname: must not be empty")
      expect(issues(error)).not.toContain("payer.surname: is required here")
      const noPayer = yield* Effect.flip(charge({ payer: "Laura" }))
      expect(issues(noPayer).filter((i) => i.startsWith("payer"))).toEqual(["payer: expected Payer"])
    })
  )

  it.effect("a valid input reaches the implementation untouched; rules run only beside a refusal", () =>
    Effect.gen(function* () {
      ruled.calls = 0
      const charged = yield* strict.create({
        reference: "R2",
        amount: Money.make("1000", "COP"),
        payer: { name: "Laura", surname: "Pelaez" },
        card: validCard
      })
      expect(charged.reference).toBe("R2")
      expect(ruled.calls).toBe(0)
    })
  )

  it("salvage keeps every field that decodes, nested records too, and nothing else", () => {
    const salvaged = Validation.salvage(Charge.CreateCharge, {
      reference: "",
      amount: Money.make("10", "USD"),
      payer: { name: "Laura", email: "nope" },
      card: { ...validCard, cvv: Redacted.make("x") },
      extra: 1
    })
    expect(Object.keys(salvaged).sort()).toEqual(["amount", "card", "payer"])
    expect(salvaged.payer).toEqual({ name: "Laura" })
    expect(Object.keys(salvaged.card ?? {}).sort()).toEqual(["expiryMonth", "expiryYear", "holderName", "number"])
    expect(Validation.salvage(Charge.CreateCharge, "nonsense")).toEqual({})
  })
})

describe("an adapter's problems with one input", () => {
  it("gives the value when nothing was found", () => {
    const problems = new Validation.Problems("Gateway")
    expect(problems.result(() => 42)).toEqual(Either.right(42))
  })

  it("lists every bad value, in the order found, as one InvalidRequest", () => {
    const problems = new Validation.Problems("Gateway")
    expect(problems.bad("amount", "whole amounts only")).toBeUndefined()
    problems.bad("payer.email", "is required here")
    expect(problems.invalid).toEqual([
      new PaymentError.FieldIssue({ path: "amount", message: "whole amounts only" }),
      new PaymentError.FieldIssue({ path: "payer.email", message: "is required here" })
    ])
    const refusal = Either.getOrThrowWith(Either.flip(problems.result(() => "unused")), () => new Error("accepted"))
    expect(refusal).toEqual(
      new PaymentError.InvalidRequest({
        issues: [
          new PaymentError.FieldIssue({ path: "amount", message: "whole amounts only" }),
          new PaymentError.FieldIssue({ path: "payer.email", message: "is required here" })
        ]
      })
    )
    expect(refusal.description).toBe("invalid request: amount: whole amounts only; payer.email: is required here")
  })

  it("names every field the provider cannot honour, ahead of bad values, and never builds the value", () => {
    const problems = new Validation.Problems("Gateway")
    problems.bad("amount", "whole amounts only")
    problems.refuse("title", "links show only the description")
    problems.refuse("taxes", "links carry no tax breakdown")
    let built = false
    const refusal = Either.getOrThrowWith(
      Either.flip(
        problems.result(() => {
          built = true
          return "unused"
        })
      ),
      () => new Error("accepted")
    )
    expect(built).toBe(false)
    expect(refusal).toEqual(
      new PaymentError.Unsupported({
        detail: "Gateway cannot honour title (links show only the description); taxes (links carry no tax breakdown)"
      })
    )
    expect(problems.unsupported).toEqual([
      "title (links show only the description)",
      "taxes (links carry no tax breakdown)"
    ])
  })

  it("reports its bad values as a provider's rules, next to the shared schema's", () => {
    const problems = new Validation.Problems("Gateway")
    problems.bad("payer.email", "is required here")
    problems.bad("amount", "whole amounts only")
    const schemaIssues = [new PaymentError.FieldIssue({ path: "amount", message: "expected a decimal" })]
    expect(Validation.mergeIssues(schemaIssues, problems.invalid)).toEqual([
      new PaymentError.FieldIssue({ path: "amount", message: "expected a decimal" }),
      new PaymentError.FieldIssue({ path: "payer.email", message: "is required here" })
    ])
  })
})

describe("capabilities", () => {
  it.effect("an operation the provider does not declare fails with Unsupported", () =>
    Effect.gen(function* () {
      const limited = Provider.make({ name: "lim", displayName: "Limited", capabilities: ["links.create"] })
      const service = PaymentLinks.make(limited, { create: () => Effect.die("unused") })
      const error = yield* Effect.flip(service.get("x"))
      expect(error.reason._tag).toBe("Unsupported")
      expect(error.message).toBe("lim links.get: unsupported: Limited does not support links.get")
    })
  )

  it.effect("a notification without a valid envelope is rejected, not an invalid request", () =>
    Effect.gen(function* () {
      const webhooks = Webhooks.make(provider, { verify: () => Effect.die("unused") })
      const error = yield* Effect.flip(webhooks.verify({ body: "x".repeat(70_000), url: "/" }))
      expect(error.reason._tag).toBe("WebhookRejected")
    })
  )
})

describe("URLs", () => {
  it("accepts https anywhere and plain http only on loopback", () => {
    expect(Fields.isHttpsOrLoopback("https://sites.placetopay.com")).toBe(true)
    expect(Fields.isHttpsOrLoopback("http://127.0.0.1:4010")).toBe(true)
    expect(Fields.isHttpsOrLoopback("http://localhost/webhooks")).toBe(true)
    expect(Fields.isHttpsOrLoopback("http://[::1]:8080")).toBe(true)
    expect(Fields.isHttpsOrLoopback("http://api.autocore.pro")).toBe(false)
    expect(Fields.isHttpsOrLoopback("http://127.0.0.1.example.com")).toBe(false)
    expect(Fields.isHttpsOrLoopback("ftp://127.0.0.1")).toBe(false)
    expect(Fields.isHttpsOrLoopback("not a url")).toBe(false)
  })

  it("refuses endpoint URLs (base and notification URLs) with credentials or plain http off loopback", () => {
    expect(Fields.endpointUrlProblem("https://hotel.example/webhooks?x=1")).toBeUndefined()
    expect(Fields.endpointUrlProblem("http://127.0.0.1:8787/webhooks")).toBeUndefined()
    expect(Fields.endpointUrlProblem("http://hotel.example/webhooks")).toBe(
      "must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)"
    )
    expect(Fields.endpointUrlProblem("https://user:pass@hotel.example/webhooks")).toBe(
      "must not carry credentials (user:password@)"
    )
    expect(Fields.endpointUrlProblem("https://user@hotel.example/webhooks")).toBe(
      "must not carry credentials (user:password@)"
    )
    expect(Fields.endpointUrlProblem("not a url")).toBe(
      "must be an absolute URL such as https://hotel.example/webhooks"
    )
  })
})
