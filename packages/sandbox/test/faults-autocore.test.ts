/**
 * Fault injection in the Autocore simulator, driven with raw `fetch` over loopback, and the two
 * simulators' faults kept apart when both share one server.
 */
import { randomBytes } from "node:crypto"
import { expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type AutocoreSandbox, Sandbox as Combined } from "../src/index.js"
import {
  account,
  apiKeyHeaders,
  cardItem,
  cashBody,
  chargeOrder,
  giftCardBody,
  linkBody,
  Sandbox,
  sandboxLayer,
  tokenHeaders
} from "./autocore-support.js"

type Raw =
  | {
      readonly _tag: "Answer"
      readonly status: number
      readonly contentType: string | null
      readonly retryAfter: string | null
      readonly text: string
    }
  | { readonly _tag: "ConnectionError"; readonly code: string | undefined; readonly name: string | undefined }

/** One exchange with `fetch`; a connection failure is a value (with its error code), not a throw. */
const raw = (url: string, init: RequestInit = {}): Effect.Effect<Raw> =>
  Effect.promise(async () => {
    try {
      const response = await fetch(url, init)
      return {
        _tag: "Answer",
        status: response.status,
        contentType: response.headers.get("content-type"),
        retryAfter: response.headers.get("retry-after"),
        text: await response.text()
      } as const
    } catch (error) {
      const cause = (error as { cause?: { code?: string; name?: string } }).cause
      return { _tag: "ConnectionError", code: cause?.code, name: (error as Error).name } as const
    }
  })

const answer = (reply: Raw) => {
  if (reply._tag !== "Answer") throw new Error(`expected an answer, got a connection error (${reply.code})`)
  return reply
}

const send = (baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  raw(`${baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })

const setup = Effect.gen(function* () {
  const sandbox = yield* Sandbox
  yield* sandbox.faults.clear
  return sandbox
})

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`

const createLink = (sandbox: AutocoreSandbox.AutocoreSandbox) => {
  const ref = unique("ref")
  return Effect.map(
    send(sandbox.baseUrl, "POST", "/v2/links/schedule/", apiKeyHeaders(), linkBody({ external_ref_id: ref })),
    (reply) => ({ reply, ref })
  )
}

const linksWith = (sandbox: AutocoreSandbox.AutocoreSandbox, ref: string) =>
  Effect.map(sandbox.state, (s) => s.links.filter((l) => l.externalRefId === ref).length)

const createCharge = (sandbox: AutocoreSandbox.AutocoreSandbox) => {
  const ref = unique("charge")
  return Effect.map(
    send(sandbox.baseUrl, "POST", "/v2/virtual-terminal/credit-card", tokenHeaders(), {
      order: chargeOrder({ external_ref_id: ref }),
      card_item: cardItem("4111111111111111")
    }),
    (reply) => ({ reply, ref })
  )
}

const chargesWith = (sandbox: AutocoreSandbox.AutocoreSandbox, ref: string) =>
  Effect.map(sandbox.state, (s) => s.charges.filter((c) => c.externalRefId === ref).length)

layer(sandboxLayer(), { excludeTestServices: true })("Autocore simulator faults", (it) => {
  it.effect("every API route is logged under its name; controls and pages are not", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const { reply } = yield* createLink(sandbox)
      expect(answer(reply).status).toBe(200)
      yield* createCharge(sandbox)
      yield* send(sandbox.baseUrl, "POST", "/v2/apms/cash", tokenHeaders(), cashBody())
      yield* send(sandbox.baseUrl, "POST", "/v1/gift-cards", apiKeyHeaders(), giftCardBody())
      yield* send(sandbox.baseUrl, "GET", "/v2/hotels", tokenHeaders())
      yield* send(sandbox.baseUrl, "GET", "/__sandbox/autocore/state", {})
      expect((yield* sandbox.faults.requests).map((r) => r.route)).toEqual([
        "links.create",
        "charges.create",
        "orders.create",
        "giftCards.create",
        "hotels.list"
      ])
      expect(sandbox.faults.routes).toEqual([
        "links.create",
        "charges.create",
        "orders.create",
        "giftCards.create",
        "hotels.list"
      ])
    })
  )

  it.effect("5xx and 429 answer in Autocore's envelope, and nothing is processed", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "charges.create", fault: { kind: "status", status: 503 } })
      const unavailable = yield* createCharge(sandbox)
      const got = answer(unavailable.reply)
      expect(got.status).toBe(503)
      expect(JSON.parse(got.text)).toEqual({ code: 503, message: "Error http: 503", detail: expect.any(String) })
      expect(yield* chargesWith(sandbox, unavailable.ref)).toBe(0)

      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "rateLimit", retryAfterSeconds: 30 } })
      const limited = yield* createLink(sandbox)
      const tooMany = answer(limited.reply)
      expect(tooMany.status).toBe(429)
      expect(tooMany.retryAfter).toBe("30")
      expect(JSON.parse(tooMany.text)).toMatchObject({ code: 429, message: "Error http: 429" })
      expect(yield* linksWith(sandbox, limited.ref)).toBe(0)
    })
  )

  it.effect("resetBefore leaves no charge; resetAfter leaves the charge made (and the client without an answer)", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "charges.create", fault: { kind: "resetBefore" } })
      const before = yield* createCharge(sandbox)
      expect(before.reply).toMatchObject({ _tag: "ConnectionError", code: "ECONNRESET" })
      expect(yield* chargesWith(sandbox, before.ref)).toBe(0)

      yield* sandbox.faults.inject({ route: "charges.create", fault: { kind: "resetAfter" } })
      const after = yield* createCharge(sandbox)
      expect(after.reply).toMatchObject({ _tag: "ConnectionError", code: "ECONNRESET" })
      expect(yield* chargesWith(sandbox, after.ref)).toBe(1)
    })
  )

  it.effect("body faults keep the real status and process the request", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "truncatedBody" } })
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "malformedJson" } })
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "htmlPage" } })
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "contractViolation" } })
      const next = Effect.gen(function* () {
        const { ref, reply } = yield* createLink(sandbox)
        expect(yield* linksWith(sandbox, ref)).toBe(1)
        const got = answer(reply)
        expect(got.status).toBe(200)
        return got
      })
      const truncated = yield* next
      const malformed = yield* next
      const html = yield* next
      const violation = yield* next
      expect(() => JSON.parse(truncated.text)).toThrow()
      expect(truncated.text.startsWith('{"msg":')).toBe(true)
      expect(() => JSON.parse(malformed.text)).toThrow()
      expect(html.contentType).toContain("text/html")
      expect(JSON.parse(violation.text)).toEqual({ msg: expect.any(Number), url: expect.any(Number), code: 12 })
    })
  )

  it.effect("clockSkew breaks auth tokens; it is refused on API-key routes, which have no clock", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "hotels.list", fault: { kind: "clockSkew", seconds: 31 } })
      const skewed = answer(yield* send(sandbox.baseUrl, "GET", "/v2/hotels", tokenHeaders()))
      expect(skewed.status).toBe(401)
      expect(JSON.parse(skewed.text).detail).toContain("vencido")
      expect(answer(yield* send(sandbox.baseUrl, "GET", "/v2/hotels", tokenHeaders())).status).toBe(200)

      const refused = yield* Effect.either(
        sandbox.faults.inject({ route: "links.create", fault: { kind: "clockSkew", seconds: 60 } })
      )
      expect(Either.isLeft(refused) && refused.left.message).toContain("without a clock")
    })
  )

  it.effect("latency: a client that gives up first still leaves the charge made", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "charges.create", fault: { kind: "latency", ms: 30_000 } })
      const ref = unique("slow")
      const reply = yield* raw(`${sandbox.baseUrl}/v2/virtual-terminal/credit-card`, {
        method: "POST",
        headers: tokenHeaders(account),
        body: JSON.stringify({ order: chargeOrder({ external_ref_id: ref }), card_item: cardItem("4111111111111111") }),
        signal: AbortSignal.timeout(300)
      })
      expect(reply).toMatchObject({ _tag: "ConnectionError", name: "TimeoutError" })
      expect(yield* chargesWith(sandbox, ref)).toBe(1)
    })
  )

  it.effect("control endpoints: POST, GET, DELETE; bad rules are a 400 in Autocore's envelope", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const path = "/__sandbox/autocore/faults"
      const json = { "content-type": "application/json" }
      const posted = answer(
        yield* send(sandbox.baseUrl, "POST", path, json, { route: "giftCards.create", fault: { kind: "resetBefore" } })
      )
      expect(posted.status).toBe(200)
      expect(JSON.parse(posted.text).pending).toEqual([
        { id: 1, route: "giftCards.create", remaining: 1, fault: { kind: "resetBefore" } }
      ])
      const gift = yield* send(sandbox.baseUrl, "POST", "/v1/gift-cards", apiKeyHeaders(), giftCardBody())
      expect(gift).toMatchObject({ _tag: "ConnectionError", code: "ECONNRESET" })
      const state = JSON.parse(answer(yield* send(sandbox.baseUrl, "GET", path, {})).text)
      expect(state.fired).toEqual([{ seq: 1, route: "giftCards.create", ruleId: 1, fault: { kind: "resetBefore" } }])
      expect(state.pending).toEqual([])

      for (const body of [
        { route: "links.get", fault: { kind: "resetBefore" } },
        { route: "links.create", fault: { kind: "clockSkew", seconds: 5 } },
        { fault: { kind: "status", status: 418 } }
      ]) {
        const bad = answer(yield* send(sandbox.baseUrl, "POST", path, json, body))
        expect(bad.status).toBe(400)
        expect(JSON.parse(bad.text)).toMatchObject({ code: 400, message: "Error http: 400" })
      }
      yield* sandbox.faults.inject({ fault: { kind: "resetBefore" } })
      expect(answer(yield* send(sandbox.baseUrl, "DELETE", path, {})).status).toBe(200)
      expect(yield* sandbox.faults.pending).toEqual([])
      expect(yield* sandbox.faults.requests).toEqual([])
    })
  )
})

it.scopedLive("on the combined server each simulator has its own faults", () =>
  Effect.gen(function* () {
    const sandbox = yield* Combined.serve()
    yield* sandbox.placetopay.faults.inject({ times: 5, fault: { kind: "status", status: 503 } })
    const hotels = answer(yield* send(sandbox.baseUrl, "GET", "/v2/hotels", tokenHeaders()))
    expect(hotels.status).toBe(200)
    yield* sandbox.autocore.faults.inject({ route: "hotels.list", fault: { kind: "status", status: 500 } })
    expect(answer(yield* send(sandbox.baseUrl, "GET", "/v2/hotels", tokenHeaders())).status).toBe(500)
    const placetopay = answer(
      yield* send(sandbox.baseUrl, "POST", "/api/payment-link/1", { "content-type": "application/json" }, {})
    )
    expect(placetopay.status).toBe(503)
    expect((yield* sandbox.autocore.faults.requests).map((r) => r.fault)).toEqual([undefined, "status"])
    expect((yield* sandbox.placetopay.faults.requests).map((r) => r.route)).toEqual(["links.get"])
  })
)
