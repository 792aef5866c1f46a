/**
 * A local simulator of PlacetoPay's payment-links API (see the project's PlacetoPay spec): strict
 * `auth` checks, links per site with their lifecycle, payments by test card, and signed PAID /
 * EXPIRED notifications, plus control endpoints (`/__sandbox/placetopay/…`) and methods to drive it
 * from tests.
 *
 * The sandbox is for loopback use only: its control endpoints take no credentials.
 *
 * Pages: a link's URL (`/link/show?genid=…&code=…`) is its checkout, whose card form pays like the
 * control endpoint below (test cards only); each payment's `processUrl` shows its result, with a
 * button that settles a pending one. `serve` also puts the dashboard at `/` (see `Sandbox`).
 *
 * Control endpoints (JSON; errors are `{ error: { reason, message } }`):
 * - `POST /__sandbox/placetopay/links/:id/pay` `{ card: { number, cvv?, expiry? }, payer? }` → `{ payment }`
 * - `POST /__sandbox/placetopay/links/:id/settle` → `{ payments }` (the pending ones just settled)
 * - `POST /__sandbox/placetopay/links/:id/expire` → `{ link }`
 * - `POST /__sandbox/placetopay/clock/advance` `{ ms }` → `{ offsetMs, now }`
 * - `POST /__sandbox/placetopay/auth-clock/skew` `{ ms }` → `{ authClockSkewMs }`
 * - `GET /__sandbox/placetopay/links` → `{ links }`, `GET /__sandbox/placetopay/notifications` → `{ notifications }`
 * - `POST /__sandbox/placetopay/faults` a fault rule or an array of them (see `Faults`) → `{ pending }`;
 *   `DELETE /__sandbox/placetopay/faults` drops pending rules and empties the logs;
 *   `GET /__sandbox/placetopay/faults` → `{ routes, pending, fired, requests }`
 *
 * Fault rules name the routes `links.create`, `links.get` and `links.disable` (or `"*"`); 5xx and
 * 429 faults answer in PlacetoPay's status envelope, and `clockSkew` shifts the clock seeds are
 * checked against for the requests it applies to.
 *
 * Where PlacetoPay's documentation is silent, the sandbox chooses:
 * - a reused nonce (same login, within the seed window) answers 401 code 102;
 * - auth checks run 100 → 101 → 102 → 103 → 104, so only a caller holding the secret learns about
 *   seeds or the site's state;
 * - capacity is `paymentsAllowed`, else 1 (single use) unless `isGeneric`, then unlimited
 *   (`totalPayments`/`availablePayments` are then null); a PENDING payment holds a slot until it settles;
 * - a link whose payments are all approved stays ACTIVE and never expires (no EXPIRED notification);
 * - `expirationDate` is answered as sent (`YYYY-MM-DD HH:mm:ss`), `paymentDate` as ISO 8601 with the
 *   site's offset: PlacetoPay documents both forms, so a client must read both;
 * - a body not sent as `application/json` is not read (→ 401, code 100), like the real Laravel app;
 * - the link of another site answers 401 `This action is unauthorized.`
 *
 * @example
 * ```ts
 * const sandbox = yield* PlacetoPaySandbox.serve({ sites: PlacetoPaySandbox.defaultSites })
 * // point the adapter at sandbox.baseUrl, create a link, then:
 * yield* sandbox.payLink(linkId, { number: "4111111111111111" })
 * ```
 */

import type * as HttpApp from "@effect/platform/HttpApp"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as DashboardPage from "./dashboard/Page.js"
import * as Dashboard from "./dashboard/Routes.js"
import * as Faults from "./Faults.js"
import { json } from "./Http.js"
import type { TranKeyAlgorithm } from "./placetopay/Auth.js"
import * as Engine from "./placetopay/Engine.js"
import type { SiteConfig } from "./placetopay/Model.js"
import type { DeliveredNotification } from "./placetopay/Notifier.js"
import { ROUTES, router as routes } from "./placetopay/Routes.js"
import { formatIso, parseOffset } from "./placetopay/Time.js"
import type { PaymentView } from "./placetopay/Wire.js"
import { envelope } from "./placetopay/Wire.js"
import { SandboxError } from "./SandboxError.js"
import * as Server from "./Server.js"

export { MAX_BODY_BYTES } from "./Http.js"
export type { TranKeyAlgorithm } from "./placetopay/Auth.js"
export { SEED_WINDOW_MS, tranKey } from "./placetopay/Auth.js"
export type { Card, LinkSnapshot, PayerInput } from "./placetopay/Engine.js"
export { defaultPayer, EngineService as Engine } from "./placetopay/Engine.js"
export type { DeliveredNotification, LinkNotification } from "./placetopay/Notifier.js"
export { signature } from "./placetopay/Notifier.js"
export { CONTROL_PREFIX, ROUTES, router } from "./placetopay/Routes.js"
export type { LinkView } from "./placetopay/Wire.js"
export type { SandboxErrorReason } from "./SandboxError.js"
export { SandboxError } from "./SandboxError.js"

/** A PlacetoPay site: its credentials and settings. */
export interface Site {
  readonly id: number
  readonly name: string
  readonly login: string
  readonly secretKey: string
  /** How tranKeys are hashed; legacy sites use SHA-1. Default `sha256`. */
  readonly tranKeyAlgorithm?: TranKeyAlgorithm
  /** `±HH:MM`; default `-05:00` (America/Bogota, no DST). */
  readonly timeZoneOffset?: string
  /** An inactive site answers 401 with code 104. Default true. */
  readonly active?: boolean
  /** Method codes enabled on the site; a create request naming another is refused (422). Default: any. */
  readonly paymentMethods?: ReadonlyArray<string>
}

export interface Options {
  readonly sites: ReadonlyArray<Site>
  /** Base of link URLs; default the server's own address (with `make`: the request's Host). */
  readonly publicBaseUrl?: string
  /**
   * Milliseconds added to real time when checking auth seeds (negative = behind). Independent of
   * `advanceClock`, so moving link time by days does not break authentication.
   */
  readonly authClockSkew?: number
}

/**
 * Two ready-made test sites. Their credentials are fake and public: never use them anywhere but a
 * local sandbox.
 */
export const defaultSites: ReadonlyArray<Site> = [
  {
    id: 1001,
    name: "Pasarela Sandbox Hotel Uno",
    login: "sandbox-login-site-1001",
    secretKey: "sandbox-secret-1001-NOT-A-REAL-KEY"
  },
  {
    id: 1002,
    name: "Pasarela Sandbox Hotel Dos",
    login: "sandbox-login-site-1002",
    secretKey: "sandbox-secret-1002-NOT-A-REAL-KEY"
  }
]

/** A payment as the query endpoint lists it (spec §3.2). */
export type PaymentRecord = PaymentView

/** Drives the simulator from a test; the same operations as the control endpoints. */
export interface Controls {
  readonly sites: ReadonlyArray<Site>
  /** Pays through the link with a test card (spec §5); a PAID notification is delivered before it returns. */
  readonly payLink: (
    linkId: number,
    card: Engine.Card,
    payer?: Engine.PayerInput
  ) => Effect.Effect<PaymentRecord, SandboxError>
  /** Resolves the link's pending payments per their test cards; returns the ones settled. */
  readonly settlePending: (linkId: number) => Effect.Effect<ReadonlyArray<PaymentRecord>, SandboxError>
  /** Expires an ACTIVE link now (and delivers its EXPIRED notification). */
  readonly expireLink: (linkId: number) => Effect.Effect<Engine.LinkSnapshot, SandboxError>
  /** Moves the sandbox clock forward, then expires (and notifies) what that passed. */
  readonly advanceClock: (duration: Duration.DurationInput) => Effect.Effect<void>
  /** Sets the skew (ms, may be negative) of the clock auth seeds are checked against. */
  readonly setAuthClockSkew: (ms: number) => Effect.Effect<void>
  /** The sandbox clock: real time plus what `advanceClock` added. */
  readonly now: Effect.Effect<Date>
  readonly links: Effect.Effect<ReadonlyArray<Engine.LinkSnapshot>>
  /** Delivery attempts so far, oldest first (waits for ones still in flight). */
  readonly notifications: Effect.Effect<ReadonlyArray<DeliveredNotification>>
  /** Fault injection on `links.create`, `links.get`, `links.disable`, and the log of API requests. */
  readonly faults: Faults.Controls
}

/** A running sandbox. */
export interface PlacetoPaySandbox extends Controls {
  /** e.g. `http://127.0.0.1:54321` */
  readonly baseUrl: string
}

/** The simulator without a server, to mount elsewhere. */
export interface Handle {
  /** Every route, with unmatched requests answered 404 in PlacetoPay's envelope. */
  readonly app: HttpApp.Default
  /** The same routes, unmatched requests left to the enclosing router. */
  readonly router: HttpRouter.HttpRouter
  readonly controls: Controls
  /** What the dashboard shows of this simulator (see `Sandbox`: the dashboard at the server's root). */
  readonly dashboard: Effect.Effect<DashboardPage.PlacetoPayView>
}

/** Messages of the error answers faults produce (Laravel's wording). */
const FAULT_MESSAGES: Readonly<Record<number, string>> = {
  429: "Too Many Attempts.",
  500: "Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

const invalidOptions = (message: string) => new SandboxError({ reason: "InvalidOptions", message })

const siteConfigs = (sites: ReadonlyArray<Site>): Effect.Effect<ReadonlyArray<SiteConfig>, SandboxError> =>
  Effect.gen(function* () {
    if (sites.length === 0) return yield* invalidOptions("At least one site is required")
    const configs: Array<SiteConfig> = []
    for (const site of sites) {
      const timeZoneOffset = site.timeZoneOffset ?? "-05:00"
      const offsetMinutes = parseOffset(timeZoneOffset)
      if (offsetMinutes === undefined)
        return yield* invalidOptions(`Site ${site.id}: timeZoneOffset must look like -05:00`)
      if (!Number.isSafeInteger(site.id) || site.id <= 0)
        return yield* invalidOptions(`Site ${site.id}: id must be a positive integer`)
      if (site.login === "" || site.secretKey === "")
        return yield* invalidOptions(`Site ${site.id}: login and secretKey must not be empty`)
      if (configs.some((c) => c.id === site.id)) return yield* invalidOptions(`Two sites have id ${site.id}`)
      if (configs.some((c) => c.login === site.login)) return yield* invalidOptions(`Two sites share a login`)
      configs.push({
        id: site.id,
        name: site.name,
        login: site.login,
        secretKey: site.secretKey,
        tranKeyAlgorithm: site.tranKeyAlgorithm ?? "sha256",
        timeZoneOffset,
        offsetMinutes,
        active: site.active ?? true,
        paymentMethods: site.paymentMethods
      })
    }
    return configs
  })

/** Builds the simulator's state, routes and controls; notifications go out through the `HttpClient`. */
export const make = (options: Options): Effect.Effect<Handle, SandboxError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const sites = yield* siteConfigs(options.sites)
    const engine = yield* Engine.make({
      sites,
      publicBaseUrl: options.publicBaseUrl?.replace(/\/+$/, ""),
      authClockSkewMs: options.authClockSkew ?? 0
    })
    const faults = yield* Faults.make({
      routes: ROUTES,
      errorResponse: (status) =>
        Effect.map(engine.now, (now) =>
          json(envelope("FAILED", status, FAULT_MESSAGES[status] ?? "Server Error", formatIso(now, -300)), status)
        )
    })
    const router = routes.pipe(
      HttpRouter.provideService(Engine.EngineService, engine),
      HttpRouter.provideService(Faults.InjectorService, faults)
    )
    const app: HttpApp.Default = router.pipe(
      Effect.catchTag("RouteNotFound", () =>
        Effect.map(engine.now, (now) => json(envelope("FAILED", 404, "Resource not found", formatIso(now, -300)), 404))
      )
    )
    const controls: Controls = {
      sites: options.sites,
      payLink: engine.payLink,
      settlePending: engine.settlePending,
      expireLink: engine.expireLink,
      advanceClock: (duration) => engine.advanceClock(Duration.toMillis(duration)),
      setAuthClockSkew: engine.setAuthClockSkew,
      now: Effect.map(engine.now, (ms) => new Date(ms)),
      links: engine.links,
      notifications: engine.notifications,
      faults: Faults.controls(faults)
    }
    const dashboard = Effect.map(engine.view, ({ links, deliveries }) => ({
      sites: sites.map(({ id, name }) => ({ id, name })),
      links,
      deliveries
    }))
    return { app, router, controls, dashboard }
  })

/**
 * Starts the simulator on a Node HTTP server (default 127.0.0.1, a free port) and returns once it
 * listens; the server stops when the scope closes. Notifications are sent with undici.
 */
export const serve = (
  options: Options & { readonly port?: number; readonly host?: string }
): Effect.Effect<PlacetoPaySandbox, HttpServerError.ServeError | SandboxError, Scope.Scope> =>
  Effect.gen(function* () {
    const { server, baseUrl } = yield* Server.listen(options)
    const client = yield* Layer.build(NodeHttpClient.layerUndici)
    const handle = yield* make({ ...options, publicBaseUrl: options.publicBaseUrl ?? baseUrl }).pipe(
      Effect.provide(client)
    )
    // The dashboard at the root; anything else unmatched gets PlacetoPay's 404 envelope.
    const app = HttpRouter.concat(handle.router, Dashboard.router({ placetopay: handle.dashboard }))
    yield* server.serve(app.pipe(Effect.catchTag("RouteNotFound", () => handle.app)))
    return { ...handle.controls, baseUrl }
  })
