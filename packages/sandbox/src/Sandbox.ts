/**
 * Both simulators on one loopback server: PlacetoPay's routes (`/api/payment-link…`) and
 * Autocore's (`/v2/…`, `/v1/gift-cards`) do not overlap, so one base URL serves both adapters.
 * This is what `pasarela sandbox` and the demo run. Each simulator keeps its own fault rules and
 * request log (`placetopay.faults`, `autocore.faults`; see `Faults`).
 *
 * The server's root is a dashboard (`dashboardUrl`): every notification and webhook delivery with
 * each attempt's time, HTTP answer and the start of what the receiver answered, and the links,
 * charges, cash orders and gift cards, each linking to the page a guest pays on.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as AutocoreSandbox from "./AutocoreSandbox.js"
import * as Dashboard from "./dashboard/Routes.js"
import * as PlacetoPaySandbox from "./PlacetoPaySandbox.js"
import * as Server from "./Server.js"

export interface Options {
  readonly port?: number
  readonly host?: string
  readonly placetopay?: Omit<PlacetoPaySandbox.Options, "publicBaseUrl">
  readonly autocore?: AutocoreSandbox.Options
}

export interface Sandbox {
  /** One base URL for both simulators. */
  readonly baseUrl: string
  /** The dashboard: `<baseUrl>/`. */
  readonly dashboardUrl: string
  readonly placetopay: PlacetoPaySandbox.Controls
  readonly autocore: AutocoreSandbox.Controls
}

/** Starts both simulators (default sites and accounts unless given) on one server. */
export const serve = (
  options: Options = {}
): Effect.Effect<Sandbox, HttpServerError.ServeError | PlacetoPaySandbox.SandboxError, Scope.Scope> =>
  Effect.gen(function* () {
    const { server, baseUrl } = yield* Server.listen(options)
    const placetopay = yield* PlacetoPaySandbox.make({
      sites: PlacetoPaySandbox.defaultSites,
      ...options.placetopay,
      publicBaseUrl: baseUrl
    })
    const autocore = yield* AutocoreSandbox.make({ accounts: AutocoreSandbox.defaultAccounts, ...options.autocore })
    const dashboard = Dashboard.router({ placetopay: placetopay.dashboard, autocore: autocore.dashboard })
    const app = HttpRouter.concat(HttpRouter.concat(placetopay.router, autocore.router), dashboard).pipe(
      Effect.catchTag("RouteNotFound", () => HttpServerResponse.json({ error: "no such route" }, { status: 404 }))
    )
    yield* server.serve(app)
    return {
      baseUrl,
      dashboardUrl: `${baseUrl}/`,
      placetopay: placetopay.controls,
      autocore: autocore.controls
    }
  }).pipe(Effect.provide(FetchHttpClient.layer))

/** A running sandbox for code without Effect: `const sandbox = await Sandbox.start(); … await sandbox.close()`. */
export interface Started extends Sandbox {
  readonly close: () => Promise<void>
}

export const start = async (options: Options = {}): Promise<Started> => {
  const scope = Effect.runSync(Scope.make())
  const close = () => Effect.runPromise(Scope.close(scope, Exit.void))
  const sandbox = await Effect.runPromise(Scope.extend(serve(options), scope)).catch(async (error: unknown) => {
    await close()
    throw error
  })
  return { ...sandbox, close }
}
