/**
 * Property tests of `providerOptions.placetopay` (the adapter's own input, decoded by the adapter):
 * any value is refused before I/O with `InvalidRequest` (or `Unsupported`), or the request goes
 * out; never a defect. The gateway here answers every request with PlacetoPay's 401.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { Money, type PaymentError, PaymentLinks } from "@pasarela/core"
import { deeplyNested as deep, expectTypedOutcome as expectTypedOutcomeOf } from "@pasarela/testing"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as fc from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import { PlacetoPay } from "../src/index.js"

/** The adapters log every refusal and request; these runs make thousands. */
const quiet = Logger.withMinimumLogLevel(LogLevel.None)

const requests: Array<string> = []
const refusingGateway = Layer.succeed(
  HttpClient.HttpClient,
  HttpClient.make((request) =>
    Effect.sync(() => {
      requests.push(request.url)
      const body = {
        status: {
          status: "FAILED",
          reason: 401,
          message: "Authentication failed 102",
          date: "2026-01-01T00:00:00-05:00"
        }
      }
      return HttpClientResponse.fromWeb(
        request,
        new Response(JSON.stringify(body), { status: 401, headers: { "content-type": "application/json" } })
      )
    })
  )
)
const layer = PlacetoPay.layer({
  login: "property-login",
  secretKey: Redacted.make("property-secret"),
  baseUrl: "https://sites-test.placetopay.com"
}).pipe(Layer.provide(refusingGateway))

const base = { reference: "BK-1", description: "2 nights", amount: Money.make("120000", "COP") }

const value = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1e308, -1, 1.5, "", "__proto__", "\u0000", [], {}, null),
  fc.constantFrom(JSON.parse('{"__proto__":{"polluted":true}}'), JSON.parse('{"constructor":{"prototype":{}}}'))
)
const options = fc.oneof(
  value,
  fc.record(
    {
      sessionMinutes: value,
      modifiers: fc.oneof(
        value,
        fc.array(fc.record({ type: value, code: value, additional: value }), { maxLength: 2 })
      ),
      skipResult: value,
      recipients: fc.oneof(
        value,
        fc.array(fc.record({ email: value, phoneNumber: value, sendSMS: value }), { maxLength: 2 })
      ),
      additional: fc.oneof(value, fc.array(fc.record({ keyword: value, value, displayOn: value }), { maxLength: 2 })),
      unknownOption: value
    },
    { requiredKeys: [] }
  )
)

/** Refused before any request, or sent (and refused by the gateway's bad-keys answer): never a defect. */
const expectTypedOutcome = (exit: Exit.Exit<unknown, PaymentError.PaymentError>) =>
  expectTypedOutcomeOf(exit, requests.length, "Authentication")

describe("property: PlacetoPay providerOptions", () => {
  it.live("any providerOptions.placetopay: refused before I/O, or sent; never a defect", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const runtime = yield* Effect.runtime<never>()
      yield* Effect.promise(() =>
        fc.assert(
          fc.asyncProperty(options, async (placetopay) => {
            requests.length = 0
            expectTypedOutcome(
              await Runtime.runPromiseExit(runtime)(links.create({ ...base, providerOptions: { placetopay } }))
            )
          }),
          { numRuns: 300 }
        )
      )
    }).pipe(Effect.provide(layer), quiet)
  )

  it.live("deeply nested and 1 MB option values: a typed outcome, never a defect", () =>
    Effect.gen(function* () {
      const links = yield* PaymentLinks
      const cases: ReadonlyArray<readonly [string, unknown, "InvalidRequest" | "any"]> = [
        ["sessionMinutes nested 5 000 deep", { sessionMinutes: deep(5_000) }, "InvalidRequest"],
        [
          "a modifier's invoice nested 5 000 deep",
          { modifiers: [{ type: "FEDERAL_GOVERNMENT", code: 17934, additional: { invoice: deep(5_000) } }] },
          "InvalidRequest"
        ],
        ["recipients nested 5 000 deep", { recipients: deep(5_000) }, "InvalidRequest"],
        ["the options nested 5 000 deep", deep(5_000), "InvalidRequest"],
        ["the options a 1 MB string", "x".repeat(1 << 20), "InvalidRequest"],
        ["an additional value nested 5 000 deep", { additional: [{ keyword: "k", value: deep(5_000) }] }, "any"]
      ]
      const outcomes: Record<string, string> = {}
      const expected: Record<string, string> = {}
      for (const [name, placetopay, expect] of cases) {
        requests.length = 0
        const exit = yield* Effect.exit(links.create({ ...base, providerOptions: { placetopay } }))
        let outcome: string
        try {
          outcome = expectTypedOutcome(exit)
        } catch (error) {
          outcome = `defect: ${String(error).slice(0, 120)}`
        }
        outcomes[name] = expect === "any" && !outcome.startsWith("defect") ? "any" : outcome
        expected[name] = expect
      }
      expect(outcomes).toEqual(expected)
    }).pipe(Effect.provide(layer), quiet)
  )
})
