import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import { PaymentError, type ProviderHttp } from "@pasarela/core"
import * as Either from "effect/Either"
import { Client } from "../src/index.js"

const NOW = Date.parse("2026-01-27T15:15:00Z")
const envelope = (reason: number, message: string) =>
  JSON.stringify({ status: { status: "FAILED", reason, message, date: "2026-01-27T10:15:00-05:00" } })
const exchange = (status: number, body: string, headers: Record<string, string> = {}): ProviderHttp.Answer => ({
  status,
  body,
  headers: Headers.fromInput(headers)
})
/** The error a caller gets for this answer (the reason `classify` gives, as `ProviderHttp` reports it). */
const failure = (operation: Client.Operation, ex: ProviderHttp.Answer, reference?: string): PaymentError.PaymentError =>
  new PaymentError.PaymentError({
    provider: "placetopay",
    operation,
    reason: Either.getOrThrowWith(
      Either.flip(Client.classify(operation, Client.decodeQueried, ex, NOW, reference)),
      () => new Error("ok")
    )
  })
const operations: ReadonlyArray<Client.Operation> = ["links.create", "links.get", "links.disable"]

describe("Client.authenticationCode", () => {
  it("reads the code in both documented message forms", () => {
    expect(Client.authenticationCode("Authentication failed 102")).toBe("102")
    expect(Client.authenticationCode("102 (Authentication Failed)")).toBe("102")
    expect(Client.authenticationCode("103 (Authentication Failed)")).toBe("103")
    expect(Client.authenticationCode("This action is unauthorized.")).toBeUndefined()
    expect(Client.authenticationCode("Authentication failed 2021")).toBeUndefined()
  })
})

describe("Client.classify", () => {
  it("401: Authentication with the code and its hint", () => {
    for (const operation of operations) {
      const e103 = failure(operation, exchange(401, envelope(401, "103 (Authentication Failed)")))
      expect(e103.reason).toMatchObject({
        _tag: "Authentication",
        code: "103",
        detail: "103 (Authentication Failed)",
        hint: "check the server clock (seed more than 5 minutes off)"
      })
      const e101 = failure(operation, exchange(401, envelope(401, "Authentication failed 101")))
      expect(e101.reason).toMatchObject({ _tag: "Authentication", code: "101" })
      expect(e101.message).toContain("credentials of another environment?")
      expect(e101.isRetrySafe).toBe(false)
      expect(e101.mayHaveTakenEffect).toBe(false)
    }
    // Without a code on a link read: the link may be another site's.
    expect(failure("links.get", exchange(401, envelope(401, "This action is unauthorized."))).reason).toMatchObject({
      _tag: "Authentication",
      hint: "the link may belong to another site"
    })
    expect(failure("links.create", exchange(401, "<html>nope</html>")).reason._tag).toBe("Authentication")
  })

  it("404: NotFound", () => {
    expect(failure("links.get", exchange(404, envelope(404, "Resource not found"))).reason).toMatchObject({
      _tag: "NotFound",
      detail: "Resource not found"
    })
    expect(failure("links.create", exchange(404, "")).reason._tag).toBe("NotFound")
  })

  it("422: InvalidRequest with the per-field errors", () => {
    const body = JSON.stringify({
      ...JSON.parse(envelope(422, "Validation error.")),
      errors: { expirationDate: ["The expirationDate field must be a date after now."] }
    })
    const error = failure("links.create", exchange(422, body))
    expect(error.reason._tag).toBe("InvalidRequest")
    if (error.reason._tag === "InvalidRequest") {
      expect(error.reason.issues.map((i) => ({ path: i.path, message: i.message }))).toEqual([
        { path: "expiresAt", message: "The expirationDate field must be a date after now." }
      ])
    }
    expect(failure("links.create", exchange(422, envelope(422, "Validation error."))).reason._tag).toBe(
      "InvalidRequest"
    )
  })

  it("400: Conflict on disable, a violation elsewhere", () => {
    const body = envelope(400, "The payment link is already disabled.")
    expect(failure("links.disable", exchange(400, body)).reason).toMatchObject({
      _tag: "Conflict",
      detail: expect.stringContaining("already disabled")
    })
    expect(failure("links.get", exchange(400, body)).reason._tag).toBe("ProtocolViolation")
    expect(failure("links.create", exchange(400, body)).reason._tag).toBe("ProtocolViolation")
  })

  it("429: RateLimited with Retry-After in seconds or as a date", () => {
    expect(failure("links.get", exchange(429, "", { "retry-after": "3" })).reason).toMatchObject({
      _tag: "RateLimited",
      retryAfterMillis: 3000
    })
    expect(
      failure("links.create", exchange(429, "", { "retry-after": new Date(NOW + 10_000).toUTCString() })).reason
    ).toMatchObject({ _tag: "RateLimited", retryAfterMillis: 10_000 })
    const bare = failure("links.get", exchange(429, ""))
    expect(bare.reason).toMatchObject({ _tag: "RateLimited" })
    expect(bare.isRetrySafe).toBe(true)
  })

  it("503: ProviderUnavailable for every operation", () => {
    for (const operation of operations) {
      const error = failure(operation, exchange(503, "<html>maintenance</html>"))
      expect(error.reason).toMatchObject({ _tag: "ProviderUnavailable", status: 503 })
      expect(error.mayHaveTakenEffect).toBe(false)
    }
  })

  it("502 / 504: ProviderUnavailable for a query; OutcomeUnknown where the request may have been acted on", () => {
    for (const status of [502, 504]) {
      expect(failure("links.get", exchange(status, "")).reason).toMatchObject({ _tag: "ProviderUnavailable", status })
      const create = failure("links.create", exchange(status, ""))
      expect(create.reason._tag).toBe("OutcomeUnknown")
      expect(create.mayHaveTakenEffect).toBe(true)
      expect(failure("links.disable", exchange(status, "")).reason._tag).toBe("OutcomeUnknown")
    }
  })

  it("500: OutcomeUnknown on a create (advice to look for the reference), ProviderUnavailable on a query", () => {
    const create = failure("links.create", exchange(500, envelope(500, "Server Error")))
    expect(create.reason).toMatchObject({ _tag: "OutcomeUnknown", advice: Client.createAdvice() })
    expect(create.mayHaveTakenEffect).toBe(true)
    expect(create.isRetrySafe).toBe(false)
    const get = failure("links.get", exchange(500, ""))
    expect(get.reason).toMatchObject({ _tag: "ProviderUnavailable", status: 500 })
    expect(get.isRetrySafe).toBe(true)
    expect(failure("links.disable", exchange(500, "")).reason).toMatchObject({
      _tag: "OutcomeUnknown",
      advice: Client.DISABLE_ADVICE
    })
  })

  it("an undecodable 2xx: ProtocolViolation for a query; OutcomeUnknown for a create or disable PlacetoPay acted on", () => {
    for (const body of ["not json", "{}", JSON.stringify({ id: "21" })]) {
      expect(failure("links.get", exchange(200, body)).reason).toMatchObject({ _tag: "ProtocolViolation", status: 200 })
      const disable = failure("links.disable", exchange(200, body))
      expect(disable.reason).toMatchObject({ _tag: "OutcomeUnknown", advice: Client.DISABLE_ADVICE })
      expect(disable.mayHaveTakenEffect).toBe(true)
      const create = failure("links.create", exchange(201, body))
      expect(create.reason._tag).toBe("OutcomeUnknown")
      expect(create.mayHaveTakenEffect).toBe(true)
    }
  })

  it("a create's advice names its reference and what to do", () => {
    const error = failure("links.create", exchange(502, ""), "BK-77")
    expect(error.reason).toMatchObject({ _tag: "OutcomeUnknown", advice: Client.createAdvice("BK-77") })
    expect(error.message).toContain(`check the PlacetoPay site's panel for reference "BK-77" before creating it again`)
    expect(error.message).toContain("a duplicate reference may be refused")
  })

  it("a violation's detail names paths, never values", () => {
    const error = failure(
      "links.get",
      exchange(200, JSON.stringify({ id: 1, status: "ACTIVE", reference: "secret-ish" }))
    )
    expect(error.message).toContain("url")
    expect(error.message).not.toContain("secret-ish")
  })

  it("an unlisted status: ProtocolViolation", () => {
    expect(failure("links.get", exchange(418, "")).reason).toMatchObject({ _tag: "ProtocolViolation", status: 418 })
    expect(failure("links.get", exchange(302, "")).reason._tag).toBe("ProtocolViolation")
  })

  it("a valid 2xx decodes", () => {
    const link = {
      id: 21,
      status: "ACTIVE",
      url: "u",
      name: "n",
      reference: "r",
      description: "d",
      amount: { currency: "COP", total: 1 }
    }
    expect(Client.classify("links.get", Client.decodeQueried, exchange(200, JSON.stringify(link)), NOW)).toEqual(
      Either.right({ ...link, payments: [] })
    )
  })
})

describe("Client.isReadOnly", () => {
  it("only links.get: the one operation retried after sending", () => {
    expect(operations.filter(Client.isReadOnly)).toEqual(["links.get"])
  })
})
