import { describe, expect, it } from "@effect/vitest"
import * as Core from "@pasarela/core"
import { CallOptions, PaymentError } from "@pasarela/core"
import * as PaymentErrorModule from "@pasarela/core/PaymentError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

const error = (operation: string, reason: PaymentError.PaymentError["reason"]) =>
  new PaymentError.PaymentError({ provider: "placetopay", operation, reason })

describe("PaymentError", () => {
  it("says whether a retry is safe and whether the operation may have taken effect", () => {
    const cases = [
      [error("links.create", new PaymentError.InvalidRequest({ issues: [] })), false, false],
      [error("links.create", new PaymentError.Authentication({ code: "102", detail: "bad tranKey" })), false, false],
      [error("links.disable", new PaymentError.Conflict({ detail: "already disabled" })), false, false],
      [error("links.create", new PaymentError.RateLimited({ retryAfterMillis: 1000 })), true, false],
      [error("links.create", new PaymentError.ProviderUnavailable({ status: 503, detail: "down" })), true, false],
      [error("links.get", new PaymentError.Timeout({ afterMillis: 30000 })), true, false],
      [error("links.create", new PaymentError.Timeout({ afterMillis: 30000 })), true, false],
      [error("charges.create", new PaymentError.Aborted({ detail: "nothing was sent" })), true, false],
      [
        error("charges.create", new PaymentError.OutcomeUnknown({ detail: "connection reset", advice: "check" })),
        false,
        true
      ]
    ] as const
    for (const [e, retrySafe, mayHaveTakenEffect] of cases) {
      expect([e.reason._tag, e.isRetrySafe, e.mayHaveTakenEffect]).toEqual([
        e.reason._tag,
        retrySafe,
        mayHaveTakenEffect
      ])
    }
  })

  it("has a readable message naming provider, merchant, operation and every field", () => {
    const e = new PaymentError.PaymentError({
      provider: "autocore",
      operation: "links.create",
      merchantId: "hotel-7",
      reason: new PaymentError.InvalidRequest({
        issues: [
          new PaymentError.FieldIssue({ path: "amount", message: "must be whole" }),
          new PaymentError.FieldIssue({ path: "payer.email", message: "must be an email address" })
        ]
      })
    })
    expect(e.message).toBe(
      "autocore (merchant hotel-7) links.create: invalid request: amount: must be whole; payer.email: must be an email address"
    )
    expect(String(e)).toContain("invalid request")
  })

  it("carries the provider's code and a hint on authentication failures", () => {
    const e = error(
      "links.get",
      new PaymentError.Authentication({ code: "103", detail: "seed", hint: "check the server clock" })
    )
    expect(e.message).toContain("(code 103)")
    expect(e.message).toContain("check the server clock")
  })

  it("is one namespace of the package, the same module as its subpath", () => {
    expect(Object.keys(Core).filter((name) => name in PaymentError)).toEqual(["PaymentError"])
    expect(PaymentErrorModule.PaymentError).toBe(PaymentError.PaymentError)
    expect(PaymentErrorModule.NotFound).toBe(PaymentError.NotFound)
  })
})

describe("CallOptions", () => {
  it.effect("a per-call timeout wins over the provider's", () =>
    Effect.gen(function* () {
      const fallback = Duration.seconds(30)
      expect(Duration.toMillis(yield* CallOptions.timeoutOr(fallback))).toBe(30_000)
      const perCall = yield* CallOptions.timeoutOr(fallback).pipe(CallOptions.withTimeout("5 seconds"))
      expect(Duration.toMillis(perCall)).toBe(5_000)
    })
  )
})
