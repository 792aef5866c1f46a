/**
 * A local simulator of Autocore's API, strict about the wire contract (`spec/autocore.md`), so an
 * adapter that passes against it can work against the real service.
 *
 * Endpoints: `POST /v2/links/schedule/`, `POST /v1/gift-cards` (API key), `POST
 * /v2/virtual-terminal/credit-card`, `POST /v2/apms/cash`, `GET /v2/hotels` (auth token).
 * Control endpoints (no auth: the sandbox is meant for loopback only):
 * - `POST /__sandbox/autocore/links/:code/pay` body `{ outcome?, legacy? }` (links and `GC_…` links);
 *   `outcome` `approved` (default), `declined`, or `pending_approved` / `pending_declined` (an
 *   `in_process` webhook now, the final one on `POST /__sandbox/autocore/links/:code/settle`)
 * - `POST /__sandbox/autocore/charges/:transactionId/settle` body `{ legacy? }`
 * - `POST /__sandbox/autocore/orders/:transactionId/pay` body `{ outcome?, legacy? }`
 * - `GET /__sandbox/autocore/state`, `GET /__sandbox/autocore/webhooks`
 * - `POST /__sandbox/autocore/faults` a fault rule or an array of them (see `Faults`) → `{ pending }`;
 *   `DELETE /__sandbox/autocore/faults` drops pending rules and empties the logs;
 *   `GET /__sandbox/autocore/faults` → `{ routes, pending, fired, requests }`.
 *   Routes: `links.create`, `charges.create`, `orders.create`, `giftCards.create`, `hotels.list`;
 *   5xx and 429 faults answer in Autocore's `{ code, message, detail }` envelope; `clockSkew` applies
 *   to the auth-token routes only (charges, orders, hotels): API keys have no clock.
 * Hosted pages (the default `appBaseUrl`): `/__sandbox/autocore/app/payment/:hotel/:code`, a link's
 * or gift card's pay page whose card form takes Autocore's test cards (and only those), and
 * `/__sandbox/autocore/app/checkout/cash/:transactionId`, a cash order's checkout with a "paid at the
 * store" button; both run the same transitions as the control endpoints. `serve` also puts the
 * dashboard at `/` (see `Sandbox`).
 *
 * Test cards (`testCards`; any future expiry, CVC 123): 4111111111111111 approved, 1111111111111111
 * declined — it fails the Luhn check on purpose, so charge it with `skipLuhnCheck: true` (`--skip-luhn`
 * in the CLI) —, 36417002140808 pending then approved, 5555555555554444 pending then declined.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as Auth from "./autocore/Auth.js"
import * as Cards from "./autocore/Cards.js"
import * as Engine from "./autocore/Engine.js"
import type {
  Account,
  ChargeSnapshot,
  DeliveryOptions,
  LinkPaymentOutcome,
  LinkSnapshot,
  OrderSnapshot,
  Outcome,
  StateSnapshot,
  WebhookDelivery
} from "./autocore/Model.js"
import * as Notifier from "./autocore/Notifier.js"
import * as Routes from "./autocore/Routes.js"
import { envelope } from "./autocore/Wire.js"
import type * as DashboardPage from "./dashboard/Page.js"
import * as Dashboard from "./dashboard/Routes.js"
import * as Faults from "./Faults.js"
import { json } from "./Http.js"
import type { SandboxError } from "./SandboxError.js"
import * as Server from "./Server.js"

export type {
  Account,
  ChargeSnapshot,
  DeliveryOptions,
  GiftCardSnapshot,
  Hotel,
  LinkPaymentOutcome,
  LinkSnapshot,
  OrderSnapshot,
  Outcome,
  PaymentAttempt,
  StateSnapshot,
  WebhookDelivery
} from "./autocore/Model.js"

/**
 * Failure of `payLink` / `settleCharge` / `payOrder`: reason `NotFound` (unknown id) or `Conflict`
 * (already done). The same class as `PlacetoPaySandbox.SandboxError`.
 */
export { SandboxError, type SandboxErrorReason } from "./SandboxError.js"

export interface Options {
  readonly accounts: ReadonlyArray<Account>
  /**
   * Base of the hosted pay pages in link URLs (`<appBaseUrl>/payment/<hotel slug>/<code>`) and cash
   * `checkout_url`s. Default: the simulator's own pages, `<request origin>/__sandbox/autocore/app`.
   */
  readonly appBaseUrl?: string
  /** Pause between webhook re-deliveries. Default 30 minutes, like Autocore. */
  readonly webhookRetryInterval?: Duration.DurationInput
  /** Attempts per webhook, the first included. Default: unlimited, like Autocore. */
  readonly maxWebhookAttempts?: number
  /** Added to the clock auth tokens are judged by (e.g. `"31 seconds"` makes fresh tokens expired). */
  readonly authClockSkew?: Duration.DurationInput
}

/**
 * Two test accounts with obviously fake keys. The first uses the spec's test-vector keys (§2, §6);
 * the second has two sources, so requests from it must name one.
 */
export const defaultAccounts: ReadonlyArray<Account> = [
  {
    accessKey: "TESTACCESSKEY001",
    secretKey: "TESTSECRETKEY0123456789abcdefXYZ",
    cardEncryptionKey: "TESTSECRETKEY0123456789abcdefXYZ",
    company: "Company Example",
    sources: ["Autocore WebApp"],
    hotels: [
      { id: 1, name: "Hotel Marina", currency: "COP", slug: "marina" },
      { id: 5, name: "Hotel ABC", currency: "COP", slug: "hotel_abc" },
      { id: 103, name: "Hotel Centro", currency: "COP", slug: "hotel_centro" },
      { id: 7, name: "Hotel Playa", currency: "USD", slug: "hotel_playa" }
    ]
  },
  {
    accessKey: "TESTACCESSKEY002",
    secretKey: "TESTSECRETKEY-second-account-fake",
    cardEncryptionKey: "TESTCARDKEY-second-account-fake",
    company: "Otra Empresa de Prueba",
    sources: ["Autocore WebApp", "Bitrix24"],
    hotels: [
      { id: 201, name: "Hostal Sur", currency: "COP", slug: "hostal_sur" },
      { id: 202, name: "Hotel Norte", currency: "USD", slug: "hotel_norte" }
    ]
  }
]

/** What tests and demos drive the simulator with; everything here is also a control endpoint. */
export interface Controls {
  readonly accounts: ReadonlyArray<Account>
  /**
   * Pays a link or a gift card's `GC_…` link (default approved); a declined attempt leaves it
   * payable. `pending_…` outcomes notify `in_process` now and their outcome on `settleLink`.
   */
  readonly payLink: (
    code: string,
    outcome?: LinkPaymentOutcome,
    options?: DeliveryOptions
  ) => Effect.Effect<LinkSnapshot, SandboxError>
  /** Settles the link's payment in process to its outcome and notifies. */
  readonly settleLink: (code: string, options?: DeliveryOptions) => Effect.Effect<LinkSnapshot, SandboxError>
  /** Settles a pending charge to its test card's final outcome and notifies. */
  readonly settleCharge: (
    transactionId: string,
    options?: DeliveryOptions
  ) => Effect.Effect<ChargeSnapshot, SandboxError>
  /** Completes a cash order (default approved) and notifies. */
  readonly payOrder: (
    transactionId: string,
    outcome?: Outcome,
    options?: DeliveryOptions
  ) => Effect.Effect<OrderSnapshot, SandboxError>
  /** Snapshots for assertions; no card data beyond last four digits, no credentials. */
  readonly state: Effect.Effect<StateSnapshot>
  /** Every webhook attempt so far, in order. */
  readonly webhookDeliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
  /** Fault injection on the five API routes, and the log of API requests. */
  readonly faults: Faults.Controls
}

export interface AutocoreSandbox extends Controls {
  /** `http://127.0.0.1:<port>`: the API base URL to configure an adapter with. */
  readonly baseUrl: string
}

/** The simulator without a server, to mount elsewhere (same shape as the PlacetoPay simulator's). */
export interface Handle {
  /** Every route of the simulator; unknown paths fail with `RouteNotFound` so routers can be combined. */
  readonly router: HttpRouter.HttpRouter
  /** `router` answering unknown paths with Autocore's 404 envelope. */
  readonly app: HttpApp.Default
  readonly controls: Controls
  /** What the dashboard shows of this simulator (see `Sandbox`: the dashboard at the server's root). */
  readonly dashboard: Effect.Effect<DashboardPage.AutocoreView>
}

/** Details of the error answers faults produce. */
const FAULT_DETAILS: Readonly<Record<number, string>> = {
  429: "Demasiadas solicitudes",
  500: "Error interno del servidor",
  502: "Bad Gateway",
  503: "Servicio no disponible",
  504: "Gateway Timeout"
}

/** Builds the simulator without a server, to mount it beside others. Webhook fibers live in the scope. */
export const make = (options: Options): Effect.Effect<Handle, never, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function* () {
    const problems = [...Auth.configurationProblems(options.accounts)]
    const maxAttempts = options.maxWebhookAttempts
    if (maxAttempts !== undefined && !(Number.isInteger(maxAttempts) && maxAttempts >= 1)) {
      problems.push("maxWebhookAttempts must be a positive integer")
    }
    // Invalid options are a programming error in the caller's test setup, not a runtime condition.
    if (problems.length > 0) return yield* Effect.dieMessage(`AutocoreSandbox options: ${problems.join("; ")}`)
    const retryInterval = Duration.decode(options.webhookRetryInterval ?? "30 minutes")
    const notifier = yield* Notifier.make({
      retryInterval,
      maxAttempts,
      attemptTimeout: Duration.seconds(10)
    })
    const engine = yield* Engine.make(notifier)
    const faults = yield* Faults.make({
      routes: Routes.routes,
      clockRoutes: Routes.clockRoutes,
      errorResponse: (status) => Effect.succeed(json(envelope(status, FAULT_DETAILS[status] ?? "Error"), status))
    })
    const router = Routes.make({
      accounts: options.accounts,
      engine,
      appBaseUrl: options.appBaseUrl,
      authClockSkew: Duration.decode(options.authClockSkew ?? 0),
      faults
    })
    const app: HttpApp.Default = router.pipe(
      Effect.catchTag("RouteNotFound", (error: HttpServerError.RouteNotFound) =>
        Effect.succeed(json(envelope(404, Routes.notFound(error.request).message), 404))
      )
    )
    const controls: Controls = {
      accounts: options.accounts,
      payLink: (code, outcome = "approved", delivery = {}) => engine.payLink(code, outcome, delivery),
      settleLink: (code, delivery = {}) => engine.settleLink(code, delivery),
      settleCharge: (transactionId, delivery = {}) => engine.settleCharge(transactionId, delivery),
      payOrder: (transactionId, outcome = "approved", delivery = {}) =>
        engine.payOrder(transactionId, outcome, delivery),
      state: engine.state,
      webhookDeliveries: engine.webhookDeliveries,
      faults: Faults.controls(faults)
    }
    const dashboard = Effect.zipWith(engine.state, engine.webhookDeliveries, (state, deliveries) => ({
      hotels: options.accounts.flatMap((account) => account.hotels),
      state,
      deliveries,
      retryIntervalMs: Duration.toMillis(retryInterval),
      maxAttempts
    }))
    return { router, app, controls, dashboard }
  })

export interface ServeOptions extends Options {
  /** Default 0: any free port. */
  readonly port?: number
  /** Default `127.0.0.1`. The control endpoints have no auth: keep it on loopback. */
  readonly host?: string
}

/** Serves the simulator on a Node HTTP server; returns once listening, stops when the scope closes. */
export const serve = (options: ServeOptions): Effect.Effect<AutocoreSandbox, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function* () {
    const { app, router, controls, dashboard } = yield* make(options).pipe(Effect.provide(FetchHttpClient.layer))
    const { server, baseUrl } = yield* Server.listen(options)
    // The dashboard at the root; anything else unmatched gets Autocore's 404 envelope.
    const withDashboard = HttpRouter.concat(router, Dashboard.router({ autocore: dashboard }))
    yield* server.serve(withDashboard.pipe(Effect.catchTag("RouteNotFound", () => app)))
    return { ...controls, baseUrl }
  })

/** `auth_token` for `accessKey`/`secretKey` at Unix second `ts` (spec §2), for scripts and tests. */
export const authToken: (accessKey: string, secretKey: string, ts: number | string) => string = Auth.authToken

/** Encrypts one `card_item` field with the default cipher (spec §6), for scripts and tests. */
export const encryptCardField: (cardEncryptionKey: string, plaintext: string) => string = (key, plaintext) =>
  Auth.encryptCardField(key, plaintext)

/** The routes' path prefix for control endpoints. */
export const controlPrefix: string = Routes.controlPrefix

export type TestCard = Cards.TestCard

/**
 * Autocore's test cards (spec §5), as this simulator and Autocore's development environment treat
 * them. The declined one fails the Luhn check on purpose (`skipLuhnCheck: true` on it).
 */
export const testCards: ReadonlyArray<TestCard> = Cards.list
