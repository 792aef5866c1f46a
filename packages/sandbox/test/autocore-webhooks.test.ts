import { describe, expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as AutocoreSandbox from "../src/AutocoreSandbox.js"
import {
  apiKeyHeaders,
  call,
  eventually,
  linkBody,
  ReceiverLive,
  Sandbox,
  sandboxLayer,
  uniquePath,
  WebhookReceiver
} from "./autocore-support.js"

const Live = Layer.mergeAll(sandboxLayer({ webhookRetryInterval: "80 millis" }), ReceiverLive)

const createLink = (webhookUrl: string) =>
  Effect.flatMap(Sandbox, (sandbox) =>
    call(sandbox.baseUrl, "POST", "/v2/links/schedule/", {
      headers: apiKeyHeaders(),
      body: linkBody({ temp_webhook_url: webhookUrl })
    })
  ).pipe(Effect.map((reply) => reply.body.code as string))

layer(Live, { excludeTestServices: true })("Autocore simulator webhooks", (it) => {
  describe("delivery", () => {
    it.effect("re-delivers until the receiver answers exactly 200, keeping the URL as given", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("retry")
        // The adapter's token travels in the query string: it must arrive byte for byte.
        const query = "?token=a1B2%2Bc3%2F%3D&merchant=hotel%20abc&ref=%2345645"
        yield* receiver.program(path, [500, 201, 500])
        const code = yield* createLink(`${receiver.baseUrl}${path}${query}`)
        yield* sandbox.payLink(code)
        const received = yield* eventually(receiver.received(path), (r) => r.length === 4)
        expect(received.map((r) => r.url)).toEqual(Array(4).fill(`${path}${query}`))
        expect(new Set(received.map((r) => JSON.stringify(r.body))).size).toBe(1)
        expect(received[0]!.headers["content-type"]).toContain("application/json")
        // The simulator records an attempt once its answer is read, just after the receiver saw it.
        const attempts = yield* eventually(
          Effect.map(sandbox.webhookDeliveries, (all) => all.filter((d) => d.url.includes(path))),
          (a) => a.length === 4 && a[3]!.status !== null
        )
        expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
          [1, 500],
          [2, 201],
          [3, 500],
          [4, 200]
        ])
        expect(new Set(attempts.map((d) => d.deliveryId)).size).toBe(1)
        // Each attempt's time and the start of what the receiver answered are logged.
        expect(attempts.map((d) => d.responseBody)).toEqual(["ok", "ok", "ok", "ok"])
        const times = attempts.map((d) => Date.parse(d.at))
        expect(times.every((t, i) => i === 0 || t >= times[i - 1]! + 60)).toBe(true)
        // Delivered: no further attempts.
        yield* Effect.sleep("250 millis")
        expect(yield* receiver.received(path)).toHaveLength(4)
      })
    )

    it.effect("a pending link payment notifies in_process, then its outcome once settled", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("pending")
        const code = yield* createLink(`${receiver.baseUrl}${path}`)
        const pay = (body: unknown) =>
          call(sandbox.baseUrl, "POST", `/__sandbox/autocore/links/${code}/pay`, {
            headers: { "content-type": "application/json" },
            body
          })
        const paid = yield* pay({ outcome: "pending_declined" })
        expect(paid.status).toBe(200)
        expect(paid.body).toMatchObject({
          status: "active",
          attempts: [{ outcome: "in_process", settlesTo: "declined" }]
        })
        // While in process the link takes no other payment.
        expect((yield* pay({ outcome: "approved" })).status).toBe(409)
        const settled = yield* call(sandbox.baseUrl, "POST", `/__sandbox/autocore/links/${code}/settle`)
        expect(settled.body).toMatchObject({ status: "active", attempts: [{ outcome: "declined", settlesTo: null }] })
        expect((yield* call(sandbox.baseUrl, "POST", `/__sandbox/autocore/links/${code}/settle`)).status).toBe(409)
        const webhooks = yield* eventually(receiver.received(path), (r) => r.length === 2)
        expect(webhooks.map((w) => w.body.details.status_code)).toEqual(["in_process", "rejected"])
        // One payment: the same voucher; the rejection reports no transaction id, as Autocore's do.
        expect(webhooks[0]!.body.voucher_url).toBe(webhooks[1]!.body.voucher_url)
        expect(webhooks[0]!.body.transaction_id).toBe(paid.body.attempts[0].transactionId)
        expect(webhooks[1]!.body.transaction_id).toBe("N/A")
        // Declined: payable again; a pending approval then pays it.
        yield* sandbox.payLink(code, "pending_approved")
        const done = yield* sandbox.settleLink(code)
        expect(done.status).toBe("paid")
        const all = yield* eventually(receiver.received(path), (r) => r.length === 4)
        expect(all.map((w) => w.body.details.status_code)).toEqual(["in_process", "rejected", "in_process", "applied"])
      })
    )

    it.effect("records unreachable receivers and keeps retrying without crashing", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        const url = `http://127.0.0.1:9${uniquePath("refused")}`
        const code = yield* createLink(url)
        yield* sandbox.payLink(code)
        const attempts = yield* eventually(
          Effect.map(sandbox.webhookDeliveries, (all) => all.filter((d) => d.url === url)),
          (a) => a.length >= 2
        )
        expect(attempts[0]).toMatchObject({ attempt: 1, status: null, error: expect.any(String) })
        expect(attempts[1]!.attempt).toBe(2)
      })
    )

    it.effect("sends the legacy payload without details when asked through the control endpoint", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const receiver = yield* WebhookReceiver
        const path = uniquePath("legacy")
        const code = yield* createLink(`${receiver.baseUrl}${path}`)
        const reply = yield* call(sandbox.baseUrl, "POST", `/__sandbox/autocore/links/${code}/pay`, {
          headers: { "content-type": "application/json" },
          body: { outcome: "approved", legacy: true }
        })
        expect(reply.status).toBe(200)
        const [webhook] = yield* eventually(receiver.received(path), (r) => r.length === 1)
        expect(Object.keys(webhook!.body).sort()).toEqual([
          "amount",
          "company",
          "external_ref_id",
          "hotel",
          "payment_date",
          "payment_status",
          "transaction_id",
          "voucher_url"
        ])
        expect(webhook!.body.payment_status).toBe("Aplicado")
        const webhooks = yield* call(sandbox.baseUrl, "GET", "/__sandbox/autocore/webhooks")
        expect(webhooks.body.some((d: { url: string }) => d.url.endsWith(path))).toBe(true)
      })
    )

    it.effect("validates control requests", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const unknown = yield* call(sandbox.baseUrl, "POST", "/__sandbox/autocore/links/nosuchcode/pay")
        expect(unknown.status).toBe(404)
        expect(unknown.body).toEqual({ code: 404, message: "Error http: 404", detail: "No existe el link nosuchcode" })
        const code = yield* createLink("http://127.0.0.1:9/unused")
        const bad = yield* call(sandbox.baseUrl, "POST", `/__sandbox/autocore/links/${code}/pay`, {
          headers: { "content-type": "application/json" },
          body: { outcome: "maybe" }
        })
        expect(bad.status).toBe(400)
        expect(bad.body.detail).toBe(
          "Campos inválidos: outcome (debe ser approved, declined, pending_approved o pending_declined)"
        )
        const state = yield* call(sandbox.baseUrl, "GET", "/__sandbox/autocore/state")
        expect(Object.keys(state.body).sort()).toEqual(["charges", "giftCards", "links", "orders"])
      })
    )
  })
})

layer(ReceiverLive, { excludeTestServices: true })("Autocore simulator webhook limits", (it) => {
  it.effect("stops after maxWebhookAttempts, and when the sandbox's scope closes", () =>
    Effect.gen(function* () {
      const receiver = yield* WebhookReceiver
      const limited = uniquePath("limited")
      const endless = uniquePath("endless")
      yield* receiver.program(limited, [500, 500, 500, 500, 500])
      yield* receiver.program(endless, Array(1000).fill(503))
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sandbox = yield* AutocoreSandbox.serve({
            accounts: AutocoreSandbox.defaultAccounts,
            webhookRetryInterval: "50 millis",
            maxWebhookAttempts: 2
          })
          const code = yield* createLink(`${receiver.baseUrl}${limited}`).pipe(Effect.provideService(Sandbox, sandbox))
          yield* sandbox.payLink(code)
          yield* eventually(receiver.received(limited), (r) => r.length === 2)
          yield* Effect.sleep("200 millis")
          expect(yield* receiver.received(limited)).toHaveLength(2)
        })
      )
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sandbox = yield* AutocoreSandbox.serve({
            accounts: AutocoreSandbox.defaultAccounts,
            webhookRetryInterval: "50 millis"
          })
          const code = yield* createLink(`${receiver.baseUrl}${endless}`).pipe(Effect.provideService(Sandbox, sandbox))
          yield* sandbox.payLink(code)
          yield* eventually(receiver.received(endless), (r) => r.length >= 2)
        })
      )
      const atClose = (yield* receiver.received(endless)).length
      yield* Effect.sleep("200 millis")
      expect(yield* receiver.received(endless)).toHaveLength(atClose)
    })
  )
})
