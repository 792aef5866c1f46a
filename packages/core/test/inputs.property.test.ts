/**
 * Property tests of input validation: every service built with `PaymentLinks.make`, `Charges.make`,
 * `PaymentOrders.make`, `GiftCards.make` and `Webhooks.make` gets random, adversarial and valid
 * inputs. Either a valid value reaches the implementation (unchanged), or the caller gets a typed
 * `PaymentError` (`InvalidRequest`; `WebhookRejected` for notifications): never a defect, never a
 * hang. Card data never shows in an error.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  Card,
  Charge,
  Charges,
  GiftCard,
  GiftCards,
  MAX_BODY_BYTES,
  Money,
  PaymentError,
  PaymentLink,
  PaymentLinks,
  PaymentOrder,
  PaymentOrders,
  Provider,
  RawNotification,
  Webhooks
} from "@pasarela/core"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

// ---------------------------------------------------------------------------------------------
// Services whose implementation only records what reached it

const provider = Provider.make({ name: "prop", displayName: "Prop", capabilities: Provider.allOperations })
const calls: Array<unknown> = []
const record = (input: unknown) =>
  Effect.sync(() => {
    calls.push(input)
    return input as never
  })

const links = PaymentLinks.make(provider, { create: record, get: record, disable: record })
const charges = Charges.make(provider, { create: record })
const orders = PaymentOrders.make(provider, { create: record })
const giftCards = GiftCards.make(provider, { create: record })
const webhooks = Webhooks.make(provider, { verify: record })

type Input = Record<string, unknown>

interface Target {
  readonly name: string
  readonly schema: Schema.Schema<unknown, unknown>
  readonly create: (input: unknown) => Effect.Effect<unknown, PaymentError.PaymentError>
}

const targets = {
  link: {
    name: "PaymentLinks.create",
    schema: PaymentLink.CreatePaymentLink as Schema.Schema<unknown, unknown>,
    create: (input: unknown) => links.create(input as never)
  },
  charge: {
    name: "Charges.create",
    schema: Charge.CreateCharge as Schema.Schema<unknown, unknown>,
    create: (input: unknown) => charges.create(input as never)
  },
  order: {
    name: "PaymentOrders.create",
    schema: PaymentOrder.CreatePaymentOrder as Schema.Schema<unknown, unknown>,
    create: (input: unknown) => orders.create(input as never)
  },
  giftCard: {
    name: "GiftCards.create",
    schema: GiftCard.CreateGiftCard as Schema.Schema<unknown, unknown>,
    create: (input: unknown) => giftCards.create(input as never)
  }
} satisfies Record<string, Target>

type Outcome =
  | { readonly _tag: "Reached"; readonly value: unknown }
  | { readonly _tag: "Refused"; readonly error: PaymentError.PaymentError }

/** Runs one call to the end (synchronously: nothing here may wait) and classifies what happened. */
const outcomeOf = (
  effect: Effect.Effect<unknown, PaymentError.PaymentError>,
  refusal: "InvalidRequest" | "WebhookRejected" = "InvalidRequest"
): Outcome => {
  calls.length = 0
  const exit = Effect.runSyncExit(effect)
  if (Exit.isSuccess(exit)) {
    expect(calls).toHaveLength(1)
    return { _tag: "Reached", value: calls[0] }
  }
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure) || !Cause.isFailType(exit.cause)) {
    throw new Error(`expected a typed PaymentError, got: ${Cause.pretty(exit.cause).slice(0, 2000)}`)
  }
  const error = failure.value
  expect(error).toBeInstanceOf(PaymentError.PaymentError)
  expect(error.reason._tag).toBe(refusal)
  if (error.reason._tag === "InvalidRequest") {
    expect(error.reason.issues.length).toBeGreaterThan(0)
    for (const issue of error.reason.issues) expect(issue.message.length).toBeGreaterThan(0)
  }
  expect(calls).toHaveLength(0)
  return { _tag: "Refused", error }
}

const issuePaths = (error: PaymentError.PaymentError) =>
  error.reason._tag === "InvalidRequest" ? error.reason.issues.map((issue) => issue.path) : []

const isPlainPrototype = (u: object) => [Object.prototype, null].includes(Object.getPrototypeOf(u))

/**
 * What a struct or record decodes `u` to: its own enumerable keys, whatever its class. (So a `Map`,
 * `Date` or `Redacted` given where a record is expected arrives as `{}`: Effect Schema's records
 * accept any object.) Money passes through as it is.
 */
const asDecoded = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(asDecoded)
  if (typeof u !== "object" || u === null || Money.isMoney(u)) return u
  return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, asDecoded(v)]))
}

/**
 * What reached the implementation is `input` itself: same keys, same values (a duration given as
 * text or millis arrives as that `Duration`), records keep every key (`__proto__` included) and get
 * no foreign prototype; `providerOptions` values arrive untouched.
 */
const expectFaithful = (input: Input, value: unknown) => {
  const got = value as Input
  expect(Object.keys(got).sort()).toEqual(Object.keys(input).sort())
  for (const [key, given] of Object.entries(input)) {
    const arrived = got[key]
    if (key === "expiresIn" && given !== undefined) {
      const expected = Option.getOrThrow(Duration.decodeUnknown(given))
      expect(Duration.equals(arrived as Duration.Duration, expected)).toBe(true)
    } else if (key === "expiresAt") {
      expect(arrived).toBe(given)
    } else if (key === "card" && given !== undefined) {
      const [a, b] = [given as Card.Card, arrived as Card.Card]
      expect(Redacted.value(b.number)).toBe(Redacted.value(a.number))
      expect(Redacted.value(b.cvv)).toBe(Redacted.value(a.cvv))
      expect(Redacted.value(b.holderName)).toBe(Redacted.value(a.holderName))
      expect([b.expiryMonth, b.expiryYear, b.skipLuhnCheck]).toEqual([a.expiryMonth, a.expiryYear, a.skipLuhnCheck])
    } else if (key === "providerOptions" && typeof given === "object" && given !== null) {
      const options = arrived as Input
      expect(Object.keys(options)).toEqual(Object.keys(given))
      for (const [name, option] of Object.entries(given)) expect(options[name]).toBe(option)
    } else {
      expect(arrived).toEqual(asDecoded(given))
    }
    if ((key === "metadata" || key === "providerOptions") && typeof given === "object" && given !== null) {
      expect(Object.keys(arrived as object)).toEqual(Object.keys(given))
      expect(isPlainPrototype(arrived as object)).toBe(true)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Valid inputs, hand-written from the documented rules

const currencies = Object.keys(Money.currencies) as Array<Money.Currency>

// biome-ignore lint/suspicious/noControlCharactersInRegex: the generator removes what Text refuses
const CONTROL = /[\u0000-\u001f\u007f]/g
const text = (max: number) =>
  fc
    .oneof(
      fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: Math.min(max, 24) }),
      fc.string({ unit: "binary", minLength: 1, maxLength: Math.min(max, 24) })
    )
    .map((s) => s.replace(CONTROL, ""))
    .filter((s) => s.trim().length > 0 && s.length <= max)

const parses = (url: string) => {
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}
const email = fc.emailAddress().filter((e) => e.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e))
const httpUrl = fc
  .webUrl({ validSchemes: ["https", "http"], withQueryParameters: true, withFragments: true })
  .filter((u) => u.length <= 2048 && parses(u))
const phone = fc.record({
  callingCode: fc.stringMatching(/^\+[0-9]{1,4}$/),
  number: fc.stringMatching(/^[0-9]{4,15}$/)
})
const document = fc.record({
  type: fc.stringMatching(/^[A-Z]{1,10}$/),
  number: fc.stringMatching(/^[A-Za-z0-9-]{3,20}$/)
})
const ip = fc.oneof(
  fc.ipV4(),
  fc.ipV6().filter((s) => /^[0-9a-fA-F:.]{2,45}$/.test(s))
)
const payer = (required: ReadonlyArray<string>) =>
  fc.record(
    {
      name: text(60),
      surname: text(60),
      email,
      phone,
      country: fc.stringMatching(/^[A-Z]{2}$/),
      document,
      address: text(200),
      ip
    },
    { requiredKeys: ["name", ...required] as Array<"name"> }
  )
const moneyIn = (currency: Money.Currency) =>
  fc.bigInt({ min: 0n, max: 10n ** 12n }).map((minor) => Either.getOrThrow(Money.fromMinorUnits(minor, currency)))
const positiveInt = fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }))
const lifetime = fc.oneof(
  fc.integer({ min: 1, max: 365 * 24 * 3600 * 1000 }),
  fc.constantFrom("24 hours", "1 hour", "30 minutes", "7 days", "365 days", "1.5 hours"),
  fc.integer({ min: 1, max: 365 * 24 * 60 }).map((minutes) => Duration.minutes(minutes))
)
const calendarDate = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))
const booking = fc
  .tuple(calendarDate, calendarDate, fc.option(text(64), { nil: undefined }))
  .map(([a, b, reservationId]) => {
    const [checkIn, checkOut] = [a, b].sort()
    return { checkIn, checkOut, ...(reservationId === undefined ? {} : { reservationId }) }
  })
const metadata = fc.dictionary(
  text(40).filter((k) => k !== "__proto__"),
  fc.string({ maxLength: 50 }),
  { maxKeys: 5 }
)
const providerOptions = fc.dictionary(
  fc.constantFrom("placetopay", "autocore", "memory", "constructor", "toString"),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 3 }
)
const rate = fc.oneof(
  fc.constantFrom("0", "1", "1.0", "1.0000", "0.19"),
  fc.integer({ min: 0, max: 9999 }).map((n) => `0.${String(n).padStart(4, "0")}`)
)
const withLuhnDigit = (payload: string) => {
  let sum = 0
  for (let i = 0; i < payload.length; i++) {
    let digit = payload.charCodeAt(payload.length - 1 - i) - 48
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2
    sum += digit
  }
  return `${payload}${(10 - (sum % 10)) % 10}`
}
const cardNumber = fc
  .integer({ min: 11, max: 18 })
  .chain((n) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n }))
  .map(withLuhnDigit)
const cvv = fc.stringMatching(/^[0-9]{3,4}$/)
const card = fc
  .record({
    number: cardNumber,
    cvv,
    expiryMonth: fc.integer({ min: 1, max: 12 }),
    expiryYear: fc.integer({ min: 2000, max: 2099 }),
    holderName: fc
      .string({ minLength: 1, maxLength: 60 })
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the names the schema accepts have none
      .filter((h) => h.trim().length > 0 && !/[\u0000-\u001f\u007f]/.test(h))
  })
  .map((c) => Card.make(c))

/** Records with every field (`full`) or the required ones plus a random subset. */
const shapes = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T, required: ReadonlyArray<keyof T>) => ({
  some: fc.record(model, { requiredKeys: required as Array<never> }) as fc.Arbitrary<Input>,
  full: fc.record(model) as fc.Arbitrary<Input>
})

const linkModel = (currency: Money.Currency) => ({
  merchantId: text(64),
  reference: text(64),
  description: text(250),
  title: text(120),
  amount: moneyIn(currency),
  taxes: fc.array(
    fc.record(
      { kind: fc.constantFrom(...PaymentLink.TaxKind.literals), amount: moneyIn(currency), base: moneyIn(currency) },
      { requiredKeys: ["kind", "amount"] }
    ),
    { minLength: 1, maxLength: 3 }
  ),
  payer: payer([]),
  expiresIn: lifetime,
  paymentMethods: fc.array(fc.constantFrom(...PaymentLink.PaymentMethod.literals), { maxLength: 4 }),
  maxPayments: positiveInt,
  notificationUrl: httpUrl,
  returnUrls: fc.record({ success: httpUrl, failure: httpUrl }),
  locale: fc.stringMatching(/^[a-z]{2}_[A-Z]{2}$/),
  installments: positiveInt,
  booking,
  metadata,
  providerOptions
})

const chargeModel = (c: Money.Currency) => ({
  merchantId: text(64),
  reference: text(64),
  description: text(250),
  amount: moneyIn(c),
  taxRate: rate,
  serviceRate: rate,
  installments: positiveInt,
  payer: payer([]),
  card,
  notificationUrl: httpUrl,
  metadata,
  providerOptions
})

const orderModel = (c: Money.Currency) => ({
  merchantId: text(64),
  reference: text(64),
  description: text(250),
  amount: moneyIn(c),
  taxRate: rate,
  serviceRate: rate,
  payer: payer([]),
  method: text(40),
  personType: text(10),
  returnUrl: httpUrl,
  notificationUrl: httpUrl,
  metadata,
  providerOptions
})

const giftCardModel = (c: Money.Currency) => ({
  merchantId: text(64),
  reference: text(64),
  amount: moneyIn(c),
  sender: fc.record({ name: text(120), email, phone, address: text(200), document }),
  recipient: fc.record({ name: text(120), email }),
  note: text(250),
  returnUrls: fc.record({ success: httpUrl, failure: httpUrl }),
  notificationUrl: httpUrl,
  providerOptions
})

/** Arbitraries are costly to build: one set per currency, picked by a generated currency. */
const perCurrency = <T>(build: (c: Money.Currency) => fc.Arbitrary<T>): fc.Arbitrary<T> => {
  const built = new Map(currencies.map((c) => [c, build(c)] as const))
  return fc.constantFrom(...currencies).chain((c) => built.get(c)!)
}
const bothShapes = <T extends Record<string, fc.Arbitrary<unknown>>>(
  model: (c: Money.Currency) => T,
  required: ReadonlyArray<keyof T>
) => ({
  some: perCurrency((c) => shapes(model(c), required).some),
  full: perCurrency((c) => shapes(model(c), []).full)
})

const linkShapes = bothShapes(linkModel, ["reference", "description", "amount"])
const linkInput = (kind: "some" | "full"): fc.Arbitrary<Input> =>
  kind === "full"
    ? linkShapes.full
    : fc.oneof(
        linkShapes.some,
        // expiresAt instead of expiresIn (never both)
        fc
          .tuple(linkShapes.some, fc.date({ noInvalidDate: true }))
          .map(([{ expiresIn: _, ...rest }, expiresAt]) => ({ ...rest, expiresAt }))
      )
const chargeShapes = bothShapes(chargeModel, ["reference", "amount", "payer", "card"])
const chargeInput = (kind: "some" | "full") => chargeShapes[kind]
const orderShapes = bothShapes(orderModel, [
  "reference",
  "description",
  "amount",
  "payer",
  "method",
  "personType",
  "returnUrl"
])
const orderInput = (kind: "some" | "full") => orderShapes[kind]
const giftCardShapes = bothShapes(giftCardModel, ["reference", "amount", "sender", "recipient", "note", "returnUrls"])
const giftCardInput = (kind: "some" | "full") => giftCardShapes[kind]

const inputs = { link: linkInput, charge: chargeInput, order: orderInput, giftCard: giftCardInput }

// ---------------------------------------------------------------------------------------------
// Adversarial values (moderate in size; huge and deeply nested ones are tried field by field below)

/** Sets an own, enumerable property (also for `__proto__`, which plain assignment would not create). */
const put = (object: object, key: string | number, value: unknown) =>
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })

/** An object with these own keys, `__proto__` included (as `JSON.parse` makes them). */
const withOwnKeys = (entries: ReadonlyArray<readonly [string, unknown]>): Input => {
  const object: Input = {}
  for (const [key, value] of entries) put(object, key, value)
  return object
}

const specialNumber = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  1e308,
  -1e308,
  5e-324,
  2 ** 53,
  1.5,
  -1,
  13
)
const specialString = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "\u001f\u007f",
  "\u202eevil",
  "\ufeff",
  "\ud800",
  "👍🏽",
  "__proto__",
  "constructor",
  "prototype",
  "4111111111111111",
  "NaN",
  "-0",
  "1e308",
  "javascript:alert(1)",
  "https://",
  "http://[::1]",
  "24 hours",
  "-1 hours",
  "1.5 nanos",
  "2026-02-30",
  "+57",
  "es_CO",
  "0.19"
)
const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom("__proto__", "constructor", "prototype", "toString", "reference", "amount", "number", "then")
)
const specialObject = fc.constantFrom<unknown>(
  null,
  undefined,
  JSON.parse('{"__proto__":{"polluted":true}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
  Object.create(null),
  new Date(Number.NaN),
  new Date(0),
  new Map([["a", 1]]),
  new Set([1]),
  Redacted.make("4111111111111111"),
  Redacted.make(4111111111111111),
  Duration.infinity,
  Duration.zero,
  Money.make("1", "COP"),
  Money.make("1", "USD"),
  () => 1,
  Symbol("s"),
  10n,
  -10n,
  [],
  {},
  new Uint8Array(4)
)
const { value: adversarial } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 3 },
    specialNumber,
    fc.double(),
    fc.integer(),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    specialString,
    fc.boolean(),
    specialObject,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.array(fc.tuple(key, tie("value")), { maxLength: 4 }).map(withOwnKeys)
  )
}))

// ---------------------------------------------------------------------------------------------
// Paths into a full input, and edits at them

type Path = ReadonlyArray<string | number>

const commonPaths: ReadonlyArray<Path> = [
  [],
  ["merchantId"],
  ["reference"],
  ["amount"],
  ["providerOptions"],
  ["providerOptions", "placetopay"],
  ["notificationUrl"]
]
const payerPaths = (root: string): ReadonlyArray<Path> => [
  [root],
  [root, "name"],
  [root, "email"],
  [root, "phone"],
  [root, "phone", "callingCode"],
  [root, "phone", "number"],
  [root, "country"],
  [root, "document", "type"],
  [root, "document", "number"],
  [root, "ip"]
]
const pathsOf: Record<keyof typeof targets, ReadonlyArray<Path>> = {
  link: [
    ...commonPaths,
    ...payerPaths("payer"),
    ["description"],
    ["title"],
    ["taxes"],
    ["taxes", 0],
    ["taxes", 0, "kind"],
    ["taxes", 0, "amount"],
    ["taxes", 0, "base"],
    ["expiresIn"],
    ["expiresAt"],
    ["paymentMethods"],
    ["paymentMethods", 0],
    ["maxPayments"],
    ["returnUrls", "success"],
    ["locale"],
    ["installments"],
    ["booking"],
    ["booking", "checkIn"],
    ["booking", "checkOut"],
    ["metadata"],
    ["metadata", "__proto__"],
    ["metadata", "constructor"]
  ],
  charge: [
    ...commonPaths,
    ...payerPaths("payer"),
    ["description"],
    ["taxRate"],
    ["serviceRate"],
    ["installments"],
    ["card"],
    ["card", "number"],
    ["card", "cvv"],
    ["card", "expiryMonth"],
    ["card", "expiryYear"],
    ["card", "holderName"],
    ["card", "skipLuhnCheck"],
    ["metadata"]
  ],
  order: [
    ...commonPaths,
    ...payerPaths("payer"),
    ["description"],
    ["taxRate"],
    ["method"],
    ["personType"],
    ["returnUrl"],
    ["metadata"]
  ],
  giftCard: [
    ...commonPaths,
    ...payerPaths("sender"),
    ["sender", "address"],
    ["recipient"],
    ["recipient", "name"],
    ["recipient", "email"],
    ["note"],
    ["returnUrls"],
    ["returnUrls", "failure"]
  ]
}

const copyOf = (node: unknown): Input | Array<unknown> =>
  Array.isArray(node) ? [...node] : typeof node === "object" && node !== null ? { ...(node as Input) } : {}

/** `root` with the value at `path` replaced (`set`), removed (`delete`) or given an extra key (`add`). */
const edit = (
  root: Input,
  path: Path,
  change:
    | { readonly _tag: "set"; readonly value: unknown }
    | { readonly _tag: "delete" }
    | { readonly _tag: "add"; readonly key: string; readonly value: unknown }
): unknown => {
  if (path.length === 0) {
    if (change._tag === "set") return change.value
    if (change._tag === "delete") return {}
    return { ...root, ...withOwnKeys([[change.key, change.value]]) }
  }
  const copy = copyOf(root) as Record<string | number, unknown>
  const [head, ...rest] = path as [string | number, ...Array<string | number>]
  if (rest.length === 0) {
    if (change._tag === "delete") delete copy[head]
    else if (change._tag === "set") put(copy, head, change.value)
    else put(copy, head, edit((copy[head] ?? {}) as Input, [], change))
    return copy
  }
  put(copy, head, edit((copy[head] ?? {}) as Input, rest, change))
  return copy
}

const change = fc.oneof(
  { weight: 6, arbitrary: adversarial.map((value) => ({ _tag: "set" as const, value })) },
  { weight: 1, arbitrary: fc.constant({ _tag: "delete" as const }) },
  { weight: 2, arbitrary: fc.tuple(key, adversarial).map(([k, value]) => ({ _tag: "add" as const, key: k, value })) }
)

/** The input the service saw, when it reached the implementation, is valid and faithful. */
const expectValidIfReached = (target: Target, input: unknown, outcome: Outcome) => {
  if (outcome._tag === "Refused") return
  expect(Schema.is(target.schema)(outcome.value)).toBe(true)
  expectFaithful(input as Input, outcome.value)
}

// ---------------------------------------------------------------------------------------------

const MB = 1 << 20

describe("property: input validation", () => {
  for (const [kind, target] of Object.entries(targets) as Array<[keyof typeof targets, Target]>) {
    describe(target.name, () => {
      it("a valid input reaches the implementation, unchanged", () =>
        fc.assert(
          fc.property(inputs[kind]("some"), (input) => {
            const outcome = outcomeOf(target.create(input))
            if (outcome._tag === "Refused") throw new Error(`refused a valid input: ${outcome.error.message}`)
            expectValidIfReached(target, input, outcome)
          }),
          { numRuns: 300 }
        ))

      it("any value as the whole input: a valid value reaches it, or InvalidRequest", () =>
        fc.assert(
          fc.property(fc.oneof(adversarial, fc.dictionary(key, adversarial, { maxKeys: 6 })), (input) => {
            expectValidIfReached(target, input, outcomeOf(target.create(input)))
          }),
          { numRuns: 500 }
        ))

      it("a valid input with one field replaced, removed or extended: valid and unchanged, or InvalidRequest", () =>
        fc.assert(
          fc.property(inputs[kind]("full"), fc.constantFrom(...pathsOf[kind]), change, (input, path, edition) => {
            const edited = edit(input, path, edition)
            expectValidIfReached(target, edited, outcomeOf(target.create(edited)))
          }),
          { numRuns: 600 }
        ))

      it("huge, deeply nested and cyclic values are refused at their field, never overflow", () => {
        const deepObject = nested(20_000, (inner) => ({ a: inner }))
        const deepArray = nested(20_000, (inner) => [inner])
        const cyclic: Input = { name: "cycle" }
        cyclic.self = cyclic
        const huge = "x".repeat(MB)
        const samples = fc.sample(inputs[kind]("full"), { numRuns: 3, seed: 42 })
        for (const input of samples) {
          for (const path of pathsOf[kind].filter((p) => p.length > 0 && p[0] !== "providerOptions")) {
            for (const value of [huge, deepObject, deepArray, cyclic, [huge], { [huge]: huge }]) {
              const outcome = outcomeOf(target.create(edit(input, path, { _tag: "set", value })))
              expect(outcome._tag, `${path.join(".")}`).toBe("Refused")
              if (outcome._tag === "Refused") {
                const at = path
                  .map((p) => (typeof p === "number" ? `[${p}]` : p))
                  .join(".")
                  .replace(/\.\[/g, "[")
                const related = issuePaths(outcome.error).some((p) => p.startsWith(at) || at.startsWith(p))
                expect(related, `${at}: ${issuePaths(outcome.error).join(", ").slice(0, 300)}`).toBe(true)
              }
            }
          }
          for (const value of [huge, deepObject, deepArray, cyclic, [huge]]) {
            expect(outcomeOf(target.create(value))._tag).toBe("Refused")
          }
        }
      })
    })
  }

  it("prototype keys in free-form records are refused, never dropped or turned into a prototype", () => {
    const [input] = fc.sample(linkInput("full"), { numRuns: 1, seed: 7 })
    for (const field of ["metadata", "providerOptions"]) {
      for (const value of [
        JSON.parse('{"__proto__":{"placetopay":{"polluted":true}}}'),
        JSON.parse('{"__proto__":"x","a":"b"}'),
        withOwnKeys([["__proto__", { polluted: "yes" }]])
      ]) {
        const outcome = outcomeOf(links.create({ ...input!, [field]: value } as never))
        expect(outcome._tag).toBe("Refused")
        if (outcome._tag === "Refused") expect(issuePaths(outcome.error)).toContain(`${field}.__proto__`)
      }
      // Keys that merely look special are kept.
      const kept = withOwnKeys([
        ["constructor", "c"],
        ["toString", "t"],
        ["hasOwnProperty", "h"]
      ])
      const outcome = outcomeOf(links.create({ ...input!, [field]: kept } as never))
      expect(outcome._tag).toBe("Reached")
      if (outcome._tag === "Reached") expect((outcome.value as Input)[field]).toEqual(kept)
    }
  })

  it("links.get / links.disable: any id is a lookup or InvalidRequest; 1 MB ids are refused", () => {
    fc.assert(
      fc.property(fc.oneof(adversarial, fc.string({ unit: "binary", maxLength: 300 })), (id) => {
        for (const call of [links.get, links.disable]) {
          const outcome = outcomeOf(call(id as string))
          if (outcome._tag === "Reached") {
            expect(outcome.value).toEqual({ id })
            expect(typeof id === "string" && id.length <= 200 && id.trim().length > 0).toBe(true)
          }
        }
      }),
      { numRuns: 500 }
    )
    for (const id of ["7".repeat(MB), `${"a".repeat(MB)}\u0000`]) {
      expect(outcomeOf(links.get(id))._tag).toBe("Refused")
      expect(outcomeOf(links.disable(id))._tag).toBe("Refused")
    }
  })

  describe("card data", () => {
    /** The same text with every digit and letter shifted: same shape, different value. */
    const shifted = (s: string) =>
      s
        .replace(/[0-9]/g, (d) => String((Number(d) + 1) % 10))
        .replace(/[a-y]/g, (l) => String.fromCharCode(l.charCodeAt(0) + 1))

    const withCard = (base: Input, fields: Partial<{ number: string; cvv: string; expiryMonth: number }>): Input => {
      const current = base.card as Card.Card
      return {
        ...base,
        card: Card.make({
          number: fields.number ?? Redacted.value(current.number),
          cvv: fields.cvv ?? Redacted.value(current.cvv),
          expiryMonth: fields.expiryMonth ?? current.expiryMonth,
          expiryYear: current.expiryYear,
          holderName: Redacted.value(current.holderName)
        })
      }
    }

    type Breakage = (card: { number: string; cvv: string }, base: Input) => Input
    const breakages: Record<string, Breakage> = {
      "Luhn broken": ({ number }, base) =>
        withCard(base, { number: `${number.slice(0, -1)}${(Number(number.at(-1)) + 1) % 10}` }),
      "too long": ({ number }, base) => withCard(base, { number: `${number}${"0".repeat(20)}` }),
      "too short": ({ number }, base) => withCard(base, { number: number.slice(0, 8) }),
      "with spaces": ({ number }, base) => withCard(base, { number: number.replace(/(\d{4})/g, "$1 ") }),
      "CVV too long": ({ cvv }, base) => withCard(base, { cvv: `${cvv}12` }),
      "CVV with letters": ({ cvv }, base) => withCard(base, { cvv: `${cvv}x` }),
      "month 13": (_, base) => withCard(base, { expiryMonth: 13 }),
      "plain strings, not Redacted": ({ cvv, number }, base) => ({
        ...base,
        card: { ...(base.card as Input), number, cvv }
      }),
      "card as one string": ({ cvv, number }, base) => ({ ...base, card: `${number} ${cvv}` }),
      "number as a number": ({ number }, base) => ({
        ...base,
        card: { ...(base.card as Input), number: Redacted.make(Number(number)) }
      }),
      "card data in unknown fields": ({ cvv, number }, base) => ({
        ...base,
        card: { ...(base.card as Input), pan: number, securityCode: cvv },
        cardNumber: number
      }),
      "another field wrong": (_, base) => ({ ...base, payer: { name: "" }, reference: 12 })
    }

    const texts = (error: PaymentError.PaymentError) => [
      error.message,
      String(error),
      JSON.stringify(error),
      ...(error.reason._tag === "InvalidRequest" ? error.reason.issues.map((i) => `${i.path} ${i.message}`) : [])
    ]

    it("an error never shows the card number, and does not depend on the CVV", () =>
      fc.assert(
        fc.property(
          chargeInput("some"),
          cardNumber,
          cvv,
          fc.constantFrom(...Object.keys(breakages)),
          (base, number, code, breakage) => {
            const secrets = { number, cvv: code }
            const input = breakages[breakage]!(secrets, withCard(base, secrets))
            const outcome = outcomeOf(charges.create(input as never))
            expect(outcome._tag).toBe("Refused")
            if (outcome._tag !== "Refused") return
            for (const t of [...texts(outcome.error), Cause.pretty(Cause.fail(outcome.error))]) {
              expect(t).not.toContain(number)
              expect(t).not.toContain(number.slice(0, 12))
              expect(t).not.toContain(number.replace(/(\d{4})/g, "$1 ").trim())
            }
            // The same breakage with another CVV of the same shape gives exactly the same error.
            const other = breakages[breakage]!(
              { number, cvv: shifted(code) },
              withCard(base, { number, cvv: shifted(code) })
            )
            const again = outcomeOf(charges.create(other as never))
            expect(again._tag).toBe("Refused")
            if (again._tag === "Refused") expect(texts(again.error)).toEqual(texts(outcome.error))
          }
        ),
        { numRuns: 300 }
      ))
  })

  describe("Webhooks.make: the raw-notification envelope", () => {
    const utf8 = (s: string) => new TextEncoder().encode(s).length
    const bodyArb = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      // Around the 64 KiB limit, in one-, two-, three- and four-byte characters.
      fc
        .tuple(
          fc.constantFrom("a", "é", "€", "😀", "\ud800"),
          fc.integer({ min: -4, max: 4 }),
          fc.integer({ min: 0, max: 3 })
        )
        .map(([char, delta, extra]) => {
          const units = Math.floor((MAX_BODY_BYTES + delta * char.length) / Math.max(1, utf8(char)))
          return `${"{".repeat(extra)}${char.repeat(Math.max(0, units))}`
        })
    )
    const notificationArb = fc.oneof(
      fc.record(
        {
          body: fc.oneof({ weight: 5, arbitrary: bodyArb }, { weight: 1, arbitrary: adversarial }),
          url: fc.oneof({ weight: 5, arbitrary: fc.string({ maxLength: 100 }) }, { weight: 1, arbitrary: adversarial }),
          headers: fc.oneof(fc.dictionary(key, fc.string({ maxLength: 20 }), { maxKeys: 4 }), adversarial),
          merchantId: fc.oneof(fc.string({ maxLength: 20 }), adversarial),
          provider: fc.oneof(fc.string({ maxLength: 20 }), adversarial)
        },
        { requiredKeys: ["body", "url"] }
      ),
      adversarial
    )

    it("any notification reaches the verifier with a well-formed envelope (≤ 64 KiB of UTF-8), or is WebhookRejected", () =>
      fc.assert(
        fc.property(notificationArb, (notification) => {
          const outcome = outcomeOf(webhooks.verify(notification as never), "WebhookRejected")
          if (outcome._tag === "Refused") return
          const raw = notification as Input
          expect(typeof raw.body).toBe("string")
          expect(utf8(raw.body as string)).toBeLessThanOrEqual(MAX_BODY_BYTES)
          expect(Schema.is(RawNotification)(outcome.value)).toBe(true)
          const { headers, ...rest } = outcome.value as Input
          const { headers: givenHeaders, ...givenRest } = raw
          expect(rest).toEqual(givenRest)
          // A `__proto__` header is dropped (its value is a string: it cannot become a prototype).
          const expectedHeaders = asDecoded(givenHeaders) as Input | undefined
          if (expectedHeaders !== undefined) Reflect.deleteProperty(expectedHeaders, "__proto__")
          expect(headers).toEqual(expectedHeaders)
        }),
        { numRuns: 500 }
      ))

    it("a body is accepted exactly when its UTF-8 encoding is at most 64 KiB", () =>
      fc.assert(
        fc.property(bodyArb, (body) => {
          const outcome = outcomeOf(webhooks.verify({ body, url: "/hooks" }), "WebhookRejected")
          expect(outcome._tag).toBe(utf8(body) <= MAX_BODY_BYTES ? "Reached" : "Refused")
        }),
        { numRuns: 300 }
      ))

    it("the size limit counts UTF-8 bytes: exactly 64 KiB passes, one byte more is rejected, whatever the characters", () => {
      for (const char of ["a", "é", "€", "😀"]) {
        const bytes = utf8(char)
        const fits = char.repeat(Math.floor(MAX_BODY_BYTES / bytes))
        const padding = "a".repeat(MAX_BODY_BYTES - utf8(fits))
        expect(outcomeOf(webhooks.verify({ body: fits + padding, url: "/" }), "WebhookRejected")._tag).toBe("Reached")
        expect(outcomeOf(webhooks.verify({ body: `${fits}${padding}a`, url: "/" }), "WebhookRejected")._tag).toBe(
          "Refused"
        )
      }
      // 30 000 characters, 90 000 bytes: over the limit although shorter than 64 Ki code units.
      expect(outcomeOf(webhooks.verify({ body: "€".repeat(30_000), url: "/" }), "WebhookRejected")._tag).toBe("Refused")
      expect(outcomeOf(webhooks.verify({ body: "x".repeat(MB), url: "/" }), "WebhookRejected")._tag).toBe("Refused")
    })
  })
})

function nested(depth: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = "leaf"
  for (let i = 0; i < depth; i++) value = wrap(value)
  return value
}
