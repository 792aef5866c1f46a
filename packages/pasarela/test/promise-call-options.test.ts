/**
 * The Promise API's per-call `{ timeout, signal }`, against the sandbox over loopback HTTP: a call
 * stops when either fires, and its error says whether the request may have reached the gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Money, PaymentError } from "@pasarela/core"
import { Sandbox } from "@pasarela/sandbox"
import * as Effect from "effect/Effect"
import { createPasarela, type PasarelaClient } from "pasarela"

const env = { BOGOTA_PLACETOPAY_SECRET: "sandbox-secret-1001-NOT-A-REAL-KEY" }

let counter = 0
const linkInput = (merchantId = "hotel-bogota") => ({
  merchantId,
  reference: `CALL-${Date.now().toString(36)}-${counter++}`,
  description: "2 nights",
  amount: Money.make("120000", "COP"),
  expiresIn: "24 hours"
})

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to reject")
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(PaymentError.PaymentError)
      return error as PaymentError.PaymentError
    }
  )

describe("Promise API: { timeout, signal } per call", () => {
  let sandbox: Sandbox.Started
  let pasarela: PasarelaClient
  const run = <A>(effect: Effect.Effect<A, unknown>) => Effect.runPromise(Effect.orDie(effect))
  /** The PlacetoPay create requests the sandbox has seen. */
  const creates = () =>
    run(sandbox.placetopay.faults.requests).then((requests) => requests.filter((r) => r.route === "links.create"))
  /** The gateway answers the next request to `route` after `ms`. */
  const slow = (route: string, ms: number) =>
    run(sandbox.placetopay.faults.inject({ route, fault: { kind: "latency", ms } }))

  beforeAll(async () => {
    sandbox = await Sandbox.start()
    pasarela = await createPasarela(
      {
        merchants: {
          "hotel-bogota": {
            provider: "placetopay",
            options: { login: "sandbox-login-site-1001", baseUrl: sandbox.baseUrl },
            secrets: { secretKey: "BOGOTA_PLACETOPAY_SECRET" }
          },
          "hotel-lima": { provider: "memory" }
        }
      },
      { env }
    )
  })
  afterAll(async () => {
    await pasarela.close()
    await sandbox.close()
  })

  it("answers as usual when neither fires", async () => {
    const controller = new AbortController()
    const link = await pasarela.links.create(linkInput(), { timeout: "10 seconds", signal: controller.signal })
    expect(link.status).toBe("active")
    expect((await pasarela.links.get(link.id, { timeout: 10_000 })).id).toBe(link.id)
  })

  it("a signal aborted before the call: Aborted, nothing sent (on every provider)", async () => {
    const before = (await creates()).length
    const error = await rejection(pasarela.links.create(linkInput(), { signal: AbortSignal.abort() }))
    expect(error.reason).toMatchObject({ _tag: "Aborted", detail: "nothing was sent" })
    expect(error.isRetrySafe).toBe(true)
    expect(error.mayHaveTakenEffect).toBe(false)
    expect((await creates()).length).toBe(before)
    const memory = await rejection(pasarela.links.create(linkInput("hotel-lima"), { signal: AbortSignal.abort() }))
    expect(memory.reason._tag).toBe("Aborted")
  })

  it("a create whose time limit passes on its way: OutcomeUnknown naming the reference, sent once", async () => {
    await slow("links.create", 2_000)
    const input = linkInput()
    const before = (await creates()).length
    const error = await rejection(pasarela.links.create(input, { timeout: 300 }))
    expect(error.reason).toMatchObject({
      _tag: "OutcomeUnknown",
      detail: "no answer within the call's 300 ms after the request was sent"
    })
    expect(error.message).toContain(input.reference)
    expect(error.mayHaveTakenEffect).toBe(true)
    expect((await creates()).length).toBe(before + 1)
  })

  it("a create aborted on its way: OutcomeUnknown", async () => {
    await slow("links.create", 2_000)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 300)
    const error = await rejection(pasarela.links.create(linkInput(), { signal: controller.signal }))
    expect(error.reason).toMatchObject({
      _tag: "OutcomeUnknown",
      detail: "the call was aborted after the request was sent"
    })
  })

  it("a query past its time limit: Timeout (it changed nothing)", async () => {
    const link = await pasarela.links.create(linkInput())
    await slow("links.get", 2_000)
    const error = await rejection(pasarela.links.get(link.id, { timeout: "300 millis" }))
    expect(error.reason).toMatchObject({ _tag: "Timeout", afterMillis: 300 })
    expect(error.isRetrySafe).toBe(true)
  })

  it("a timeout that is not a positive duration is refused before anything is sent", async () => {
    const before = (await creates()).length
    for (const timeout of [0, -5, "soon", Number.POSITIVE_INFINITY, "30 days"]) {
      const error = await rejection(pasarela.links.create(linkInput(), { timeout: timeout as never }))
      expect(error.reason).toMatchObject({ _tag: "InvalidRequest", issues: [{ path: "timeout" }] })
    }
    expect((await creates()).length).toBe(before)
  })
})
