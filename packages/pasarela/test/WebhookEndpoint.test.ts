/**
 * What the webhook endpoint promises the application: each event handled once per merchant, a
 * duplicate never answered 200 while the first delivery's outcome is unknown, a handler that fails
 * or hangs logged and retried by the gateway, and notifications only the merchant's own secret
 * could have signed.
 */
import { connect } from "node:net"
import { describe, expect, it } from "@effect/vitest"
import { Router } from "@pasarela/core"
import { Memory, MemoryNotification } from "@pasarela/memory"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import { DedupeStore, EventHandler, Pasarela, WebhookEndpoint } from "pasarela"
import { type Endpoint, forms, type Setup } from "./support/endpoints.js"
import { config, env, memoryNotification, placetopayPaid } from "./support/notifications.js"
import { post, send } from "./support/rawHttp.js"

const route = "/webhooks/hotel-bogota/memory"

const withEndpoint = async <A>(
  start: (setup: Setup) => Promise<Endpoint>,
  setup: Partial<Setup>,
  f: (endpoint: Endpoint) => Promise<A>
) => {
  const endpoint = await start({ config, env, ...setup })
  try {
    return await f(endpoint)
  } finally {
    await endpoint.close()
  }
}

const statuses = (answers: ReadonlyArray<{ readonly status: number }>) => answers.map((a) => a.status).sort()

describe.each(forms)("%s", (_name, start) => {
  it("answers concurrent duplicates 409 while the first is handled, and 500 when it fails", async () => {
    let calls = 0
    await withEndpoint(
      start,
      {
        behaviour: async () => {
          calls++
          await new Promise((resolve) => setTimeout(resolve, 300))
          if (calls === 1) throw new Error("database down")
        }
      },
      async (endpoint) => {
        const body = memoryNotification()
        const answers = await Promise.all(Array.from({ length: 5 }, () => send(endpoint.port, post(route, body))))
        // Not one 200 for an event whose handler failed.
        expect(statuses(answers)).toEqual([409, 409, 409, 409, 500])
        expect(calls).toBe(1)
        // The gateway delivers again: handled this time, then a duplicate.
        expect((await send(endpoint.port, post(route, body))).status).toBe(200)
        expect((await send(endpoint.port, post(route, body))).status).toBe(200)
        expect(calls).toBe(2)
      }
    )
  })

  it("gives a hanging handler its time limit, then answers 500 and frees the event", async () => {
    let calls = 0
    await withEndpoint(
      start,
      {
        options: { handlerTimeout: "400 millis" },
        behaviour: async () => {
          calls++
          if (calls === 1) await new Promise(() => {})
        }
      },
      async (endpoint) => {
        const body = memoryNotification()
        const first = send(endpoint.port, post(route, body))
        await new Promise((resolve) => setTimeout(resolve, 100))
        expect((await send(endpoint.port, post(route, body))).status).toBe(409)
        expect((await first).status).toBe(500)
        expect((await send(endpoint.port, post(route, body))).status).toBe(200)
        expect(calls).toBe(2)
      }
    )
  })

  it("finishes handling an event whose sender hung up, and answers its re-delivery as a duplicate", async () => {
    let finished = 0
    await withEndpoint(
      start,
      {
        behaviour: async () => {
          await new Promise((resolve) => setTimeout(resolve, 300))
          finished++
        }
      },
      async (endpoint) => {
        const body = memoryNotification()
        const socket = connect(endpoint.port, "127.0.0.1")
        await new Promise((resolve) => socket.once("connect", resolve))
        for (const part of post(route, body)) socket.write(part)
        await new Promise((resolve) => setTimeout(resolve, 100))
        socket.destroy()
        await new Promise((resolve) => setTimeout(resolve, 400))
        expect(finished).toBe(1)
        expect((await send(endpoint.port, post(route, body))).status).toBe(200)
        expect(finished).toBe(1)
      }
    )
  })

  it("handles two hotels' identical PlacetoPay notifications (same link id, same second) once each", async () => {
    await withEndpoint(start, {}, async (endpoint) => {
      const at = new Date()
      const quito = placetopayPaid(5, env.QUITO_SECRET, at)
      const cusco = placetopayPaid(5, env.CUSCO_SECRET, at)
      expect((await send(endpoint.port, post("/webhooks/hotel-quito/placetopay", quito))).status).toBe(200)
      expect((await send(endpoint.port, post("/webhooks/hotel-cusco/placetopay", cusco))).status).toBe(200)
      // A re-delivery to the same hotel is a duplicate.
      expect((await send(endpoint.port, post("/webhooks/hotel-quito/placetopay", quito))).status).toBe(200)
      // Each names its own link: the routed id `links.get` takes, the site's own id beside it.
      expect(endpoint.events.map((e) => [e.merchantId, e.subject.id, e.subject.providerId])).toEqual([
        ["hotel-quito", "placetopay:hotel-quito:primary:5", "5"],
        ["hotel-cusco", "placetopay:hotel-cusco:primary:5", "5"]
      ])
      // Each site's signature is its own: Quito's notification is forged at Cusco.
      expect((await send(endpoint.port, post("/webhooks/hotel-cusco/placetopay", quito))).status).toBe(400)
    })
  })

  it("refuses notifications signed with the memory provider's published secret", async () => {
    await withEndpoint(start, {}, async (endpoint) => {
      const forged = JSON.stringify(
        MemoryNotification.signed(Memory.defaultWebhookSecret, {
          ...JSON.parse(memoryNotification()),
          merchantId: "hotel-lima",
          reference: "BK-LIMA-VICTIM",
          amount: { amount: "5000000", currency: "COP" }
        })
      )
      expect((await send(endpoint.port, post("/webhooks/hotel-lima/memory", forged))).status).toBe(400)
      expect(endpoint.events).toEqual([])
    })
    // Unless the configuration says it is for tests.
    const testConfig = { merchants: { "hotel-lima": { provider: "memory", options: { testWebhooks: true } } } }
    await withEndpoint(start, { config: testConfig }, async (endpoint) => {
      const signed = JSON.stringify(
        MemoryNotification.signed(Memory.defaultWebhookSecret, {
          ...JSON.parse(memoryNotification()),
          merchantId: "hotel-lima"
        })
      )
      expect((await send(endpoint.port, post("/webhooks/hotel-lima/memory", signed))).status).toBe(200)
      expect(endpoint.events.map((e) => e.merchantId)).toEqual(["hotel-lima"])
    })
  })
})

describe("Promise API endpoint options", () => {
  it("serves under the path of webhooks.publicBaseUrl, and basePath wins over it", async () => {
    const hooks = { ...config, webhooks: { publicBaseUrl: "https://hotel-app.example/hooks/pasarela/" } }
    await withEndpoint(forms[0]![1], { config: hooks }, async (endpoint) => {
      expect(
        (await send(endpoint.port, post("/hooks/pasarela/hotel-bogota/memory", memoryNotification()))).status
      ).toBe(200)
      expect((await send(endpoint.port, post(route, memoryNotification()))).status).toBe(404)
    })
    const explicit = { ...config, webhooks: { ...hooks.webhooks, basePath: "/inbound" } }
    await withEndpoint(forms[0]![1], { config: explicit }, async (endpoint) => {
      expect((await send(endpoint.port, post("/inbound/hotel-bogota/memory", memoryNotification()))).status).toBe(200)
    })
  })

  it("refuses to start with endpoint options that make no sense, naming each", async () => {
    const error = await forms[0]![1]({
      config: { ...config, webhooks: { publicBaseUrl: "not a url", maxBodyBytes: 0 } },
      env
    }).catch((e: unknown) => e)
    expect(String(error)).toMatch(/webhooks\.publicBaseUrl/)
    const options = await forms[0]![1]({
      config,
      env,
      options: { maxBodyBytes: -1, handlerTimeout: "soon" as WebhookEndpoint.Options["handlerTimeout"] & string }
    }).catch((e: unknown) => e)
    expect(String(options)).toMatch(/maxBodyBytes.*handlerTimeout/s)
  })

  it("aborts onEvent's signal when the handler runs out of time", async () => {
    const { createPasarela } = await import("pasarela")
    let resolveAborted: (aborted: boolean) => void = () => {}
    const aborted = new Promise<boolean>((resolve) => {
      resolveAborted = resolve
    })
    const pasarela = await createPasarela(config, {
      env,
      webhooks: { handlerTimeout: "200 millis" },
      onEvent: (_event, { signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener("abort", () => {
            resolveAborted(signal.aborted)
            reject(new Error("gave up"))
          })
        )
    })
    try {
      const response = await pasarela.webhooks.handle(
        new Request(`http://localhost${route}`, { method: "POST", body: memoryNotification() })
      )
      expect(response.status).toBe(500)
      expect(await aborted).toBe(true)
    } finally {
      await pasarela.close()
    }
  })
})

describe("WebhookEndpoint.handle", () => {
  const layer = Pasarela.layer(config).pipe(
    Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
  )
  /** `handle` with `handler` as the application's. */
  const handleWith = (body: string, handler: EventHandler.Handler) =>
    WebhookEndpoint.handle({ merchantId: "hotel-bogota", provider: "memory", url: route, body, headers: {} }).pipe(
      Effect.provideService(EventHandler.EventHandler, handler)
    )

  it.live("logs the handler's error (never the secret), with the event's key", () =>
    Effect.gen(function* () {
      const logs: Array<string> = []
      const logger = Logger.make(({ message, cause, annotations }) => {
        logs.push(
          `${JSON.stringify(message)} ${cause._tag === "Empty" ? "" : String(cause)} ${JSON.stringify([...annotations])}`
        )
      })
      const outcome = yield* handleWith(memoryNotification(), () =>
        Effect.fail(new Error("the bookings table is locked"))
      ).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
      expect(outcome).toMatchObject({ status: 500, result: "handler-failed" })
      const line = logs.find((l) => l.includes("webhook handler failed"))
      expect(line).toContain("the bookings table is locked")
      expect(line).toContain(outcome.event!.dedupeKey)
      expect(logs.join("\n")).not.toContain(env.BOGOTA_SECRET)
    }).pipe(Effect.provide(layer))
  )

  it.live("answers a defect in the handler with 500, like a failure", () =>
    Effect.gen(function* () {
      const outcome = yield* handleWith(memoryNotification(), () => Effect.die("boom")).pipe(
        Effect.provide(Logger.remove(Logger.defaultLogger))
      )
      expect(outcome).toMatchObject({ status: 500, result: "handler-failed" })
    }).pipe(Effect.provide(layer))
  )

  it.live("claims a key for a lease: in progress meanwhile, free again after it", () =>
    Effect.gen(function* () {
      const store = DedupeStore.makeMemory()
      expect(yield* store.claim("k", "200 millis")).toBe("claimed")
      expect(yield* store.claim("k", "200 millis")).toBe("in-progress")
      yield* Effect.sleep("250 millis")
      expect(yield* store.claim("k", "200 millis")).toBe("claimed")
      yield* store.complete("k")
      expect(yield* store.claim("k", "200 millis")).toBe("done")
      yield* store.release("other")
      expect(yield* store.claim("other", "1 second")).toBe("claimed")
      yield* store.release("other")
      expect(yield* store.claim("other", "1 second")).toBe("claimed")
    })
  )

  it.live("handles one delivery while the same event arrives again, on the Router it was given", () =>
    Effect.gen(function* () {
      const started = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const body = memoryNotification()
      const first = yield* Effect.fork(
        handleWith(body, () => Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(release)))
      )
      yield* Deferred.await(started)
      expect(yield* handleWith(body, () => Effect.void)).toMatchObject({
        status: 409,
        result: "in-progress"
      })
      yield* Deferred.succeed(release, undefined)
      expect((yield* first).result).toBe("handled")
      expect((yield* handleWith(body, () => Effect.void)).result).toBe("duplicate")
      expect((yield* Router.Router).merchants).toContain("hotel-bogota")
    }).pipe(Effect.provide(layer))
  )
})
