/**
 * Fault injection in the PlacetoPay simulator, driven with raw `fetch` over loopback: what the
 * client sees for each fault, and whether the request was processed (a link created) behind it.
 */
import { expect, layer } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { Faults, PlacetoPaySandbox } from "../src/index.js"
import { authFor, linkRequest, site1 } from "./placetopay-support.js"

class Sandbox extends Context.Tag("test/FaultsPlacetoPaySandbox")<Sandbox, PlacetoPaySandbox.PlacetoPaySandbox>() {}

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

const postJson = (url: string, body: unknown, signal?: AbortSignal) =>
  raw(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    ...(signal === undefined ? {} : { signal })
  })

const answer = (reply: Raw) => {
  if (reply._tag !== "Answer") throw new Error(`expected an answer, got a connection error (${reply.code})`)
  return reply
}

const setup = Effect.gen(function* () {
  const sandbox = yield* Sandbox
  yield* sandbox.faults.clear
  return sandbox
})

/** Creates a link with a fresh reference; returns the reply and the reference. */
const create = (sandbox: PlacetoPaySandbox.PlacetoPaySandbox, signal?: AbortSignal) => {
  const body = linkRequest()
  return Effect.map(
    postJson(`${sandbox.baseUrl}/api/payment-link`, { auth: authFor(site1), ...body }, signal),
    (reply) => ({ reply, reference: body.reference })
  )
}

const linksWith = (sandbox: PlacetoPaySandbox.PlacetoPaySandbox, reference: string) =>
  Effect.map(sandbox.links, (links) => links.filter((link) => link.reference === reference).length)

/** A link made without faults, for get / disable requests. */
const existingLink = (sandbox: PlacetoPaySandbox.PlacetoPaySandbox) =>
  Effect.map(create(sandbox), ({ reply }) => (JSON.parse(answer(reply).text) as { id: number }).id)

const query = (sandbox: PlacetoPaySandbox.PlacetoPaySandbox, id: number) =>
  postJson(`${sandbox.baseUrl}/api/payment-link/${id}`, { auth: authFor(site1) })

const disable = (sandbox: PlacetoPaySandbox.PlacetoPaySandbox, id: number) =>
  postJson(`${sandbox.baseUrl}/api/payment-link/disable/${id}`, { auth: authFor(site1) })

const statusOf = (sandbox: PlacetoPaySandbox.PlacetoPaySandbox, id: number) =>
  Effect.map(sandbox.links, (links) => links.find((link) => link.id === id)?.status)

const serve = Layer.scoped(Sandbox, PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites })).pipe(
  Layer.orDie
)

layer(serve, { excludeTestServices: true })("PlacetoPay simulator faults", (it) => {
  it.effect("without rules every API request is logged by route, with no fault; controls and pages are not", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const id = yield* existingLink(sandbox)
      expect(answer(yield* query(sandbox, id)).status).toBe(200)
      expect(answer(yield* disable(sandbox, id)).status).toBe(200)
      yield* raw(`${sandbox.baseUrl}/__sandbox/placetopay/links`)
      yield* raw(`${sandbox.baseUrl}/link/show?genid=${id}&code=x`)
      expect(yield* sandbox.faults.requests).toEqual([
        { seq: 1, route: "links.create" },
        { seq: 2, route: "links.get" },
        { seq: 3, route: "links.disable" }
      ])
      expect(yield* sandbox.faults.fired).toEqual([])
    })
  )

  it.effect("5xx: the status in PlacetoPay's envelope, and nothing processed", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      for (const status of [500, 502, 503, 504] as const) {
        yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "status", status } })
        const { reference, reply } = yield* create(sandbox)
        const got = answer(reply)
        expect(got.status).toBe(status)
        expect(got.contentType).toContain("application/json")
        expect(JSON.parse(got.text)).toMatchObject({ status: { status: "FAILED", reason: status } })
        expect(yield* linksWith(sandbox, reference)).toBe(0)
      }
      // Each rule applied once: the next create goes through.
      const { reference, reply } = yield* create(sandbox)
      expect(answer(reply).status).toBe(201)
      expect(yield* linksWith(sandbox, reference)).toBe(1)
      expect((yield* sandbox.faults.fired).map((f) => f.fault)).toEqual([
        { kind: "status", status: 500 },
        { kind: "status", status: 502 },
        { kind: "status", status: 503 },
        { kind: "status", status: 504 }
      ])
    })
  )

  it.effect("rateLimit: 429 with Retry-After in seconds; nothing processed", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const id = yield* existingLink(sandbox)
      yield* sandbox.faults.inject({ route: "links.disable", fault: { kind: "rateLimit", retryAfterSeconds: 7 } })
      const got = answer(yield* disable(sandbox, id))
      expect(got.status).toBe(429)
      expect(got.retryAfter).toBe("7")
      expect(JSON.parse(got.text)).toMatchObject({ status: { status: "FAILED", reason: 429 } })
      expect(yield* statusOf(sandbox, id)).toBe("ACTIVE")
    })
  )

  it.effect("resetBefore: a connection reset, and no link created", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "resetBefore" } })
      const { reference, reply } = yield* create(sandbox)
      expect(reply).toMatchObject({ _tag: "ConnectionError", code: "ECONNRESET" })
      expect(yield* linksWith(sandbox, reference)).toBe(0)
      expect(yield* sandbox.faults.requests).toEqual([{ seq: 1, route: "links.create", fault: "resetBefore" }])
    })
  )

  it.effect("resetAfter: a connection reset, but the link was created (the ambiguous case)", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "resetAfter" } })
      const { reference, reply } = yield* create(sandbox)
      expect(reply).toMatchObject({ _tag: "ConnectionError", code: "ECONNRESET" })
      expect(yield* linksWith(sandbox, reference)).toBe(1)

      const id = yield* existingLink(sandbox)
      yield* sandbox.faults.inject({ route: "links.disable", fault: { kind: "resetAfter" } })
      expect(yield* disable(sandbox, id)).toMatchObject({ _tag: "ConnectionError", code: "ECONNRESET" })
      expect(yield* statusOf(sandbox, id)).toBe("INACTIVE")
    })
  )

  it.effect("truncatedBody: the real status, half the JSON; the link was created", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "truncatedBody" } })
      const { reference, reply } = yield* create(sandbox)
      const got = answer(reply)
      expect(got.status).toBe(201)
      expect(got.contentType).toContain("application/json")
      expect(() => JSON.parse(got.text)).toThrow()
      expect(got.text.startsWith('{"status":{"status":"OK"')).toBe(true)
      expect(yield* linksWith(sandbox, reference)).toBe(1)
    })
  )

  it.effect("malformedJson: the real status, a body that is not JSON; the link was created", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "malformedJson" } })
      const { reference, reply } = yield* create(sandbox)
      const got = answer(reply)
      expect(got.status).toBe(201)
      expect(got.text.startsWith("{status:")).toBe(true)
      expect(() => JSON.parse(got.text)).toThrow()
      expect(yield* linksWith(sandbox, reference)).toBe(1)
    })
  )

  it.effect("htmlPage: the real status with a text/html page", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const id = yield* existingLink(sandbox)
      yield* sandbox.faults.inject({ route: "links.get", fault: { kind: "htmlPage" } })
      const got = answer(yield* query(sandbox, id))
      expect(got.status).toBe(200)
      expect(got.contentType).toContain("text/html")
      expect(got.text).toBe(Faults.HTML_PAGE)
    })
  )

  it.effect("contractViolation: valid JSON whose fields have the wrong types; the link was created", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "contractViolation" } })
      const { reference, reply } = yield* create(sandbox)
      const got = answer(reply)
      expect(got.status).toBe(201)
      const body = JSON.parse(got.text) as Record<string, unknown>
      expect(body.status).toBeNull()
      expect(typeof body.id).toBe("string")
      expect(typeof body.url).toBe("number")
      expect(yield* linksWith(sandbox, reference)).toBe(1)
    })
  )

  it.effect("latency: the answer comes late; a client that gives up first still leaves the link created", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "latency", ms: 20 } })
      const slow = yield* create(sandbox)
      expect(answer(slow.reply).status).toBe(201)
      expect(yield* linksWith(sandbox, slow.reference)).toBe(1)

      yield* sandbox.faults.inject({ route: "links.create", fault: { kind: "latency", ms: 30_000 } })
      const abandoned = yield* create(sandbox, AbortSignal.timeout(300))
      expect(abandoned.reply).toMatchObject({ _tag: "ConnectionError", name: "TimeoutError" })
      expect(yield* linksWith(sandbox, abandoned.reference)).toBe(1)
    })
  )

  it.effect("clockSkew: seeds judged by a shifted clock (103) for `times` requests, then the real one", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const id = yield* existingLink(sandbox)
      yield* sandbox.faults.inject({ route: "links.get", times: 2, fault: { kind: "clockSkew", seconds: 600 } })
      for (let i = 0; i < 2; i++) {
        const skewed = answer(yield* query(sandbox, id))
        expect(skewed.status).toBe(401)
        expect(JSON.parse(skewed.text)).toMatchObject({ status: { message: expect.stringContaining("103") } })
      }
      expect(answer(yield* query(sandbox, id)).status).toBe(200)
      // A small shift stays inside the ±5 minute window.
      yield* sandbox.faults.inject({ route: "links.get", fault: { kind: "clockSkew", seconds: -120 } })
      expect(answer(yield* query(sandbox, id)).status).toBe(200)
      // Well outside it: the seed has whole seconds and the request takes time, so a shift just past
      // 300 s can land back inside the window on a slow machine (the boundary itself is tested in placetopay-auth).
      yield* sandbox.faults.inject({ route: "links.get", fault: { kind: "clockSkew", seconds: -330 } })
      expect(answer(yield* query(sandbox, id)).status).toBe(401)
    })
  )

  it.effect("rules match their route only, `*` any; they fire in the order injected, `times` each", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const id = yield* existingLink(sandbox)
      yield* sandbox.faults.inject({ route: "links.disable", fault: { kind: "status", status: 503 } })
      yield* sandbox.faults.inject({ times: 2, fault: { kind: "status", status: 500 } })
      yield* sandbox.faults.inject({ route: "links.get", fault: { kind: "status", status: 502 } })
      expect((yield* sandbox.faults.pending).map((r) => [r.route, r.remaining])).toEqual([
        ["links.disable", 1],
        ["*", 2],
        ["links.get", 1]
      ])
      const statuses: Array<number> = []
      for (let i = 0; i < 4; i++) statuses.push(answer(yield* query(sandbox, id)).status)
      // The `*` rule comes first for queries (twice), then the links.get one, then none.
      expect(statuses).toEqual([500, 500, 502, 200])
      expect(answer(yield* disable(sandbox, id)).status).toBe(503)
      expect(yield* sandbox.faults.pending).toEqual([])
      expect((yield* sandbox.faults.requests).map((r) => [r.route, r.fault])).toEqual([
        ["links.create", undefined],
        ["links.get", "status"],
        ["links.get", "status"],
        ["links.get", "status"],
        ["links.get", undefined],
        ["links.disable", "status"]
      ])
      expect((yield* sandbox.faults.fired).map((f) => [f.seq, f.route, f.ruleId])).toEqual([
        [2, "links.get", 2],
        [3, "links.get", 2],
        [4, "links.get", 3],
        [6, "links.disable", 1]
      ])
    })
  )

  it.effect("control endpoints: POST a rule or an array, GET the state, DELETE to clear", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const url = `${sandbox.baseUrl}/__sandbox/placetopay/faults`
      const posted = answer(
        yield* postJson(url, [
          { route: "links.create", fault: { kind: "resetBefore" } },
          { route: "links.get", times: 3, fault: { kind: "latency", ms: 5 } }
        ])
      )
      expect(posted.status).toBe(200)
      expect(JSON.parse(posted.text).pending).toHaveLength(2)
      expect(answer(yield* postJson(url, { fault: { kind: "rateLimit", retryAfterSeconds: 1 } })).status).toBe(200)
      const { reply } = yield* create(sandbox)
      expect(reply).toMatchObject({ _tag: "ConnectionError", code: "ECONNRESET" })

      const state = JSON.parse(answer(yield* raw(url)).text)
      expect(state.routes).toEqual(["links.create", "links.get", "links.disable"])
      expect(state.pending.map((r: Faults.PendingRule) => r.fault.kind)).toEqual(["latency", "rateLimit"])
      expect(state.fired).toEqual([{ seq: 1, route: "links.create", ruleId: 1, fault: { kind: "resetBefore" } }])
      expect(state.requests).toEqual([{ seq: 1, route: "links.create", fault: "resetBefore" }])

      expect(answer(yield* raw(url, { method: "DELETE" })).status).toBe(200)
      expect(yield* sandbox.faults.pending).toEqual([])
      expect(yield* sandbox.faults.requests).toEqual([])
      expect(answer((yield* create(sandbox)).reply).status).toBe(201)
    })
  )

  it.effect("control endpoints refuse bad rules with 400 and add nothing", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const url = `${sandbox.baseUrl}/__sandbox/placetopay/faults`
      const bad: ReadonlyArray<unknown> = [
        { route: "links.list", fault: { kind: "resetBefore" } },
        { fault: { kind: "status", status: 501 } },
        { fault: { kind: "latency", ms: Faults.MAX_LATENCY_MS + 1 } },
        { times: 0, fault: { kind: "resetAfter" } },
        { times: 1.5, fault: { kind: "resetAfter" } },
        { fault: { kind: "clockSkew" } },
        { fault: { kind: "explode" } },
        { fault: { kind: "resetAfter" }, extra: true },
        [{ fault: { kind: "resetAfter" } }, { route: "nope", fault: { kind: "resetAfter" } }]
      ]
      for (const body of bad) {
        const got = answer(yield* postJson(url, body))
        expect(got.status).toBe(400)
        expect(JSON.parse(got.text)).toMatchObject({ error: { reason: "InvalidRequest" } })
      }
      expect(
        answer(yield* raw(url, { method: "POST", body: "{", headers: { "content-type": "application/json" } }))
      ).toMatchObject({ status: 400 })
      expect(yield* sandbox.faults.pending).toEqual([])
    })
  )

  it.effect("programmatic rules get the same checks, and at most MAX_PENDING_RULES wait at once", () =>
    Effect.gen(function* () {
      const sandbox = yield* setup
      const refused = yield* Effect.either(
        sandbox.faults.inject({ route: "charges.create", fault: { kind: "resetBefore" } })
      )
      expect(Either.isLeft(refused) && refused.left._tag).toBe("FaultRuleError")
      const outOfBounds = yield* Effect.either(
        sandbox.faults.inject({ fault: { kind: "rateLimit", retryAfterSeconds: -1 } })
      )
      expect(Either.isLeft(outOfBounds)).toBe(true)
      const many = Array.from({ length: Faults.MAX_PENDING_RULES }, () => ({ fault: { kind: "resetBefore" } }) as const)
      expect(yield* sandbox.faults.injectAll(many)).toHaveLength(Faults.MAX_PENDING_RULES)
      const full = yield* Effect.either(sandbox.faults.inject({ fault: { kind: "resetAfter" } }))
      expect(Either.isLeft(full) && full.left.message).toContain(`at most ${Faults.MAX_PENDING_RULES}`)
      yield* sandbox.faults.clear
      expect(yield* sandbox.faults.pending).toEqual([])
    })
  )
})
