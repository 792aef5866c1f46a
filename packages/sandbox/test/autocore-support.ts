/** Shared helpers of the Autocore simulator tests: real loopback HTTP, a webhook receiver. */
import { createServer } from "node:http"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as AutocoreSandbox from "../src/AutocoreSandbox.js"

export const [account, secondAccount] = AutocoreSandbox.defaultAccounts as readonly [
  AutocoreSandbox.Account,
  AutocoreSandbox.Account
]

export const nowSeconds = () => Math.floor(Date.now() / 1000)

export const tokenHeaders = (acc: AutocoreSandbox.Account = account, ageSeconds = 0) => ({
  auth_token: AutocoreSandbox.authToken(acc.accessKey, acc.secretKey, nowSeconds() - ageSeconds),
  "content-type": "application/json"
})

export const apiKeyHeaders = (acc: AutocoreSandbox.Account = account) => ({
  access_key: acc.accessKey,
  secret_key: acc.secretKey,
  "content-type": "application/json"
})

// biome-ignore lint/suspicious/noExplicitAny: JSON replies are drilled into freely by assertions.
export type Json = any

export interface Reply {
  readonly status: number
  readonly body: Json
  readonly text: string
}

/** One HTTP exchange with `fetch`; the body is JSON-encoded unless it is already a string. */
export const call = (
  baseUrl: string,
  method: string,
  path: string,
  options: { readonly headers?: Record<string, string>; readonly body?: unknown } = {}
): Effect.Effect<Reply> =>
  Effect.promise(async () => {
    const init: RequestInit = { method, headers: options.headers ?? {} }
    if (options.body !== undefined) {
      init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body)
    }
    const response = await fetch(`${baseUrl}${path}`, init)
    const text = await response.text()
    let body: unknown
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status: response.status, body, text }
  })

export const futureYear = String(new Date().getUTCFullYear() + 3)

/** An encrypted `card_item` for `number` with the account's card key. */
export const cardItem = (
  number: string,
  overrides: { readonly cvc?: string; readonly month?: string; readonly year?: string; readonly key?: string } = {}
) => {
  const key = overrides.key ?? account.cardEncryptionKey
  const enc = (text: string) => AutocoreSandbox.encryptCardField(key, text)
  return {
    cc_number: enc(number),
    cc_code: enc(overrides.cvc ?? "123"),
    cc_expire_month: enc(overrides.month ?? "12"),
    cc_expire_year: enc(overrides.year ?? futureYear),
    cc_holder: enc("JOHN DOE")
  }
}

export const chargeOrder = (overrides: Record<string, unknown> = {}) => ({
  ref_name: "Jhon",
  ref_lastname: "Doe",
  ref_number: "123456789",
  external_ref_id: "mkid-000000001-test",
  source: "Autocore WebApp",
  detail: "Booking payment Hotel ABC",
  amount: 1000,
  installments: 2,
  tax_percent: 0,
  service_percent: 0,
  hotel_id: 1,
  email: "jhon@example.com",
  phone: "3012104578",
  address: "My address",
  fiscal_number: "123456789",
  ip: "181.204.153.195",
  ...overrides
})

export const linkBody = (overrides: Record<string, unknown> = {}) => ({
  source: "Autocore WebApp",
  hotel_id: 5,
  guest_name: "Laura Pelaez",
  email: "laura@example.com",
  country_code: "57",
  phone: "3012104512",
  amount: 120000,
  currency: "COP",
  booking_dates: "2026-01-27 - 2026-01-29",
  description: "Reserva de 3 dias en Hotel ABC",
  available_hours: 24,
  reservation_id: "BK-00230690",
  external_ref_id: "#45645",
  allowed_payment_options: ["nequi", "daviplata", "pse", "credit_card"],
  redirect: {
    success_url: "https://app-dev.autocore.pro/main/link/success",
    failure_url: "https://app-dev.autocore.pro/main/link/failure"
  },
  ...overrides
})

export const cashBody = (overrides: Record<string, unknown> = {}) => ({
  order: {
    ref_name: "Jhon",
    ref_lastname: "Doe",
    ref_number: "CASH-1",
    detail: "Booking payment Hotel ABC",
    amount: 123000,
    tax_percent: 0,
    service_percent: 0,
    hotel_id: 103,
    email: "jhon@example.com",
    fiscal_number: "123456789",
    phone: "3012105687",
    ip: "181.204.153.195",
    ...overrides
  },
  cash: {
    address: "My address",
    user_type: "N",
    fiscal_number_type: "CC",
    payment_type: "daviplata",
    response_url: "https://mywebpage/payment/response"
  }
})

export const giftCardBody = (overrides: Record<string, unknown> = {}) => ({
  sender: {
    name: "Jhon Doe",
    document_type: "CC",
    document_number: "11113333",
    email: "jhon@example.com",
    address: "123 Main St",
    phone: "5551234",
    country_code: "+57"
  },
  recipient: { name: "Jane Doe", email: "jane@example.com" },
  amount: 50000,
  currency: "COP",
  note: "Happy Birthday!",
  external_ref_id: "id_345",
  temp_webhook_url: "http://127.0.0.1:9/webhooks",
  success_url: "https://app-dev.autocore.pro/",
  failure_url: "https://app.autocore.pro/",
  ...overrides
})

export interface Received {
  /** Path and query exactly as the request line carried them. */
  readonly url: string
  readonly body: Json
  readonly headers: Record<string, string | Array<string> | undefined>
}

export interface Receiver {
  readonly baseUrl: string
  /** Statuses answered to requests on `path`, in order; after the list runs out, 200. */
  readonly program: (path: string, statuses: ReadonlyArray<number>) => Effect.Effect<void>
  readonly received: (path: string) => Effect.Effect<ReadonlyArray<Received>>
}

export class WebhookReceiver extends Context.Tag("test/WebhookReceiver")<WebhookReceiver, Receiver>() {}

/** A tiny loopback server standing in for the merchant's webhook endpoint. */
export const receiver: Effect.Effect<Receiver, never, Scope.Scope> = Effect.gen(function* () {
  const log = yield* Ref.make<ReadonlyArray<Received>>([])
  const plans = new Map<string, Array<number>>()
  const server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const url = req.url ?? ""
      const path = url.split("?")[0]!
      Effect.runSync(
        Ref.update(log, (entries) => [
          ...entries,
          { url, body: JSON.parse(Buffer.concat(chunks).toString("utf8")), headers: req.headers }
        ])
      )
      res.statusCode = plans.get(path)?.shift() ?? 200
      res.end("ok")
    })
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    program: (path, statuses) => Effect.sync(() => void plans.set(path, [...statuses])),
    received: (path) => Effect.map(Ref.get(log), (entries) => entries.filter((e) => e.url.split("?")[0] === path))
  }
})

export const ReceiverLive = Layer.scoped(WebhookReceiver, receiver)

/** Polls `effect` until `done` holds (about 5 s at most), returning the last value. */
export const eventually = <A>(effect: Effect.Effect<A>, done: (a: A) => boolean): Effect.Effect<A> =>
  effect.pipe(
    Effect.filterOrFail(done, () => "not yet"),
    Effect.retry(Schedule.spaced(Duration.millis(20)).pipe(Schedule.upTo(Duration.seconds(5)))),
    Effect.orElse(() => effect)
  )

let counter = 0
/** A receiver path no other test uses. */
export const uniquePath = (name: string) => `/hooks/${name}-${++counter}`

export class Sandbox extends Context.Tag("test/AutocoreSandbox")<Sandbox, AutocoreSandbox.AutocoreSandbox>() {}

export const sandboxLayer = (options: Partial<AutocoreSandbox.ServeOptions> = {}) =>
  Layer.scoped(Sandbox, AutocoreSandbox.serve({ accounts: AutocoreSandbox.defaultAccounts, ...options })).pipe(
    Layer.orDie
  )
