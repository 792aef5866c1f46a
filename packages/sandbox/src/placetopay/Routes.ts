/**
 * HTTP surface of the simulator, as one `HttpRouter` that needs the `Engine` service:
 * - PlacetoPay's payment-links API (spec §3), authenticated like the real service;
 * - the pages a guest goes through (`Pages.ts`): the checkout at a link's URL (`/link/show`), whose
 *   card form pays like the control endpoint, and each payment's session page at its `processUrl`
 *   (`/spa/session/:requestId/:code`), whose button settles a pending payment;
 * - control endpoints under `/__sandbox/placetopay/` for tests and tools. They take no credentials:
 *   the sandbox is meant to listen on loopback only.
 * The three API routes go through the fault injector (`Faults`) as `links.create`, `links.get` and
 * `links.disable`; the pages and the control endpoints never get faults.
 * Handlers never fail: every bad input becomes the status and body the contract prescribes.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Faults from "../Faults.js"
import * as Http from "../Http.js"
import { HttpError, json } from "../Http.js"
import { readForm } from "../pages/Form.js"
import * as Html from "../pages/Html.js"
import { SandboxError } from "../SandboxError.js"
import { readCardForm, unreadableForm } from "./CheckoutForm.js"
import type { Engine } from "./Engine.js"
import { EngineService } from "./Engine.js"
import type { SiteConfig } from "./Model.js"
import * as Pages from "./Pages.js"
import { formatIso } from "./Time.js"
import { authFailedMessage, envelope, linkView, paymentView } from "./Wire.js"

/** Offset for dates in answers given before the site is known (America/Bogota). */
const DEFAULT_OFFSET_MINUTES = -300

/**
 * The JSON body, `TooLarge` or `Malformed`. Like the real (Laravel) service, a body not declared as
 * JSON is not parsed: the request then simply has no `auth` (→ 401, code 100).
 */
const readJson = Effect.map(
  Http.readJson((contentType) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType.trim())),
  (body) =>
    body._tag === "Empty" || body._tag === "NotJson"
      ? ({ _tag: "Json", value: {} } as const)
      : body._tag === "Unreadable"
        ? ({ _tag: "Malformed" } as const)
        : body
)

const failed = (status: number, message: string, offsetMinutes: number, nowMs: number) =>
  json(envelope("FAILED", status, message, formatIso(nowMs, offsetMinutes)), status)

const LINK_ID = /^[1-9]\d{0,14}$/

/** The `:id` path parameter as a link id; anything else cannot name a link (→ 404). */
const linkIdParam = Effect.map(HttpRouter.params, (params) =>
  LINK_ID.test(params.id ?? "") ? Option.some(Number(params.id)) : Option.none()
)

/**
 * PlacetoPay's status envelope for refusals made before the site is known (dated in the default
 * offset); a defect answers `Server Error`, Laravel's wording.
 */
const handle = Http.handle(
  (status, message) =>
    Effect.flatMap(EngineService, (engine) =>
      Effect.map(engine.now, (nowMs) => envelope("FAILED", status, message, formatIso(nowMs, DEFAULT_OFFSET_MINUTES)))
    ),
  "Server Error"
)

/** Body, lazy expiry and authentication shared by the three API endpoints. */
const authenticated = <R>(
  handler: (context: {
    readonly engine: Engine
    readonly site: SiteConfig
    readonly body: unknown
    readonly nowMs: number
  }) => Effect.Effect<HttpServerResponse.HttpServerResponse, never, R>
) =>
  handle(
    Effect.gen(function* () {
      const engine = yield* EngineService
      const body = yield* readJson
      const nowMs = yield* engine.now
      if (body._tag === "TooLarge") return yield* new HttpError({ status: 413, message: "Request body too large." })
      if (body._tag === "Malformed") return yield* new HttpError({ status: 400, message: "Malformed JSON body." })
      yield* engine.expireDue
      const auth = yield* engine.authenticate(body.value)
      if (auth._tag === "Failed") return yield* new HttpError({ status: 401, message: authFailedMessage(auth.code) })
      return yield* handler({ engine, site: auth.site, body: body.value, nowMs })
    })
  )

const notFound = (site: SiteConfig, nowMs: number) => failed(404, "Resource not found", site.offsetMinutes, nowMs)

/** Laravel's wording when a policy refuses: the link exists but belongs to another site. */
const otherSite = (site: SiteConfig, nowMs: number) =>
  failed(401, "This action is unauthorized.", site.offsetMinutes, nowMs)

const requestBaseUrl = Effect.gen(function* () {
  const engine = yield* EngineService
  if (engine.publicBaseUrl !== undefined) return engine.publicBaseUrl
  const request = yield* HttpServerRequest.HttpServerRequest
  return `http://${request.headers.host ?? "127.0.0.1"}`
})

const createLink = authenticated(({ engine, site, body, nowMs }) =>
  Effect.gen(function* () {
    const baseUrl = yield* requestBaseUrl
    const created = yield* engine.createLink(site, body, baseUrl)
    const date = formatIso(nowMs, site.offsetMinutes)
    if (Either.isLeft(created))
      return json({ ...envelope("FAILED", 422, "Validation error.", date), errors: created.left }, 422)
    return json(
      {
        ...envelope("OK", 201, "Link de pago creado correctamente.", date),
        id: created.right.id,
        url: created.right.url
      },
      201
    )
  })
)

const queryLink = authenticated(({ engine, site, nowMs }) =>
  Effect.gen(function* () {
    const id = yield* linkIdParam
    if (Option.isNone(id)) return notFound(site, nowMs)
    const found = yield* engine.queryLink(site, id.value)
    switch (found._tag) {
      case "NotFound":
        return notFound(site, nowMs)
      case "OtherSite":
        return otherSite(site, nowMs)
      case "Found":
        return json(found.view)
    }
  })
)

const disableLink = authenticated(({ engine, site, nowMs }) =>
  Effect.gen(function* () {
    const id = yield* linkIdParam
    if (Option.isNone(id)) return notFound(site, nowMs)
    const result = yield* engine.disableLink(site, id.value)
    switch (result._tag) {
      case "NotFound":
        return notFound(site, nowMs)
      case "OtherSite":
        return otherSite(site, nowMs)
      case "AlreadyDisabled":
        return failed(400, "The payment link is already disabled.", site.offsetMinutes, nowMs)
      case "Expired":
        return failed(400, "The payment link has expired and cannot be disabled.", site.offsetMinutes, nowMs)
      case "Disabled":
        return json({
          ...envelope("OK", 200, "Link de pago desactivado correctamente.", formatIso(nowMs, site.offsetMinutes)),
          id: result.link.id
        })
    }
  })
)

// ---- pages: the link's checkout and its sessions (see Pages.ts) ----

const siteInfo = (site: SiteConfig): Pages.SiteInfo => ({ name: site.name, timeZoneOffset: site.timeZoneOffset })

/** The link `genid` and `code` in the query name, when both match one. */
const linkFromQuery = Effect.gen(function* () {
  const engine = yield* EngineService
  yield* engine.expireDue
  const params = yield* HttpServerRequest.ParsedSearchParams
  const genid = typeof params.genid === "string" && LINK_ID.test(params.genid) ? Number(params.genid) : undefined
  const found = genid === undefined ? Option.none() : yield* engine.findLink(genid)
  return Option.filter(found, ({ link }) => link.code === params.code)
})

const notFoundPage = Html.respond(Pages.notFoundPage(), 404)

/** The checkout page of link `id` as it is now, with the guest's form and the message that refused it. */
const checkoutAgain = (id: number, status: number, form: Pages.CheckoutForm) =>
  Effect.flatMap(EngineService, (engine) =>
    Effect.map(engine.findLink(id), (found) =>
      Option.match(found, {
        onNone: () => notFoundPage,
        onSome: ({ link, site }) => Html.respond(Pages.checkoutPage(linkView(link, site), siteInfo(site), form), status)
      })
    )
  )

const checkoutPage = Effect.map(linkFromQuery, (found) =>
  Option.match(found, {
    onNone: () => notFoundPage,
    onSome: ({ link, site }) => Html.respond(Pages.checkoutPage(linkView(link, site), siteInfo(site)))
  })
)

/** The card form posted: the same payment as the control endpoint's, then the session's page. */
const payFromCheckout = Effect.gen(function* () {
  const engine = yield* EngineService
  const found = yield* linkFromQuery
  if (Option.isNone(found)) return notFoundPage
  const { link, site } = found.value
  const language = Pages.messageLanguage(linkView(link, site))
  const form = yield* readForm
  if (form._tag !== "Form") return yield* checkoutAgain(link.id, 400, { error: unreadableForm(language) })
  const read = readCardForm(form.fields, language)
  const echo = { holder: form.fields.holder ?? "", expiry: form.fields.expiry ?? "" }
  if (Either.isLeft(read)) return yield* checkoutAgain(link.id, 422, { ...echo, error: read.left })
  const paid = yield* Effect.either(engine.payLink(link.id, read.right.card, read.right.payer))
  if (Either.isRight(paid)) return Html.seeOther(Html.localPath(paid.right.processUrl))
  const error = paid.left
  switch (error.reason) {
    case "LinkNotPayable":
    case "LinkNotActive":
      return yield* checkoutAgain(link.id, 409, {})
    case "InvalidCard":
      return yield* checkoutAgain(link.id, 422, { ...echo, error: error.message })
    default:
      return notFoundPage
  }
})

const SESSION_ID = /^[1-9]\d{0,14}$/

/** The payment whose `processUrl` this request's path is. */
const sessionFromPath = Effect.gen(function* () {
  const engine = yield* EngineService
  const params = yield* HttpRouter.params
  const requestId = params.requestId ?? ""
  if (!SESSION_ID.test(requestId)) return Option.none()
  const found = yield* engine.findSession(Number(requestId))
  return Option.filter(found, ({ payment }) => payment.processUrl.endsWith(`/${requestId}/${params.code ?? ""}`))
})

const sessionPage = Effect.gen(function* () {
  const engine = yield* EngineService
  yield* engine.expireDue
  const found = yield* sessionFromPath
  if (Option.isNone(found)) return notFoundPage
  const { link, site, payment } = found.value
  return Html.respond(Pages.sessionPage(linkView(link, site), siteInfo(site), paymentView(payment, site)))
})

/** The session page's button: settles the link's pending payments (as the control endpoint does). */
const settleFromSession = Effect.gen(function* () {
  const engine = yield* EngineService
  const found = yield* sessionFromPath
  if (Option.isNone(found)) return notFoundPage
  yield* Effect.ignore(engine.settlePending(found.value.link.id))
  return Html.seeOther(Html.localPath(found.value.payment.processUrl))
})

// ---- control endpoints ----

/**
 * Control endpoints answer `{ error: { reason, message } }`: a refused operation's reason (status
 * by `SandboxError.httpStatus`), `TooLarge` for a body over the limit, `InvalidRequest` for one
 * they cannot use, `Internal` for a defect.
 */
const control = Http.handle((status, message, reason) => {
  const fallback = status === 413 ? "TooLarge" : status === 500 ? "Internal" : "InvalidRequest"
  return Effect.succeed({ error: { reason: reason ?? fallback, message } })
}, "Internal sandbox error")

const badRequest = (message: string) => new HttpError({ status: 400, message })

/** The body as JSON, or the refusal. */
const controlJson = Effect.flatMap(readJson, (body) => {
  if (body._tag === "TooLarge") return Effect.fail(new HttpError({ status: 413, message: "Request body too large" }))
  if (body._tag === "Malformed") return Effect.fail(badRequest("Malformed JSON body"))
  return Effect.succeed(body.value)
})

const controlBody = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.flatMap(controlJson, (value) =>
    Schema.decodeUnknown(schema, { errors: "all" })(value).pipe(Effect.mapError((error) => badRequest(String(error))))
  )

/** Runs a control operation on the link named by `:id`. */
const withLinkId = <A>(
  run: (engine: Engine, id: number) => Effect.Effect<HttpServerResponse.HttpServerResponse, SandboxError | HttpError, A>
) =>
  Effect.gen(function* () {
    const engine = yield* EngineService
    const id = yield* linkIdParam
    if (Option.isNone(id)) return yield* new SandboxError({ reason: "LinkNotFound", message: "Not a link id" })
    return yield* run(engine, id.value)
  })

const optionalString = Schema.optionalWith(Schema.String, { exact: true })

export const PayBody = Schema.Struct({
  card: Schema.Struct({ number: Schema.String, cvv: optionalString, expiry: optionalString }),
  payer: Schema.optionalWith(
    Schema.Struct({
      name: optionalString,
      surname: optionalString,
      email: optionalString,
      phone: optionalString,
      document: optionalString,
      documentType: optionalString
    }),
    { exact: true }
  )
})

const MsBody = Schema.Struct({ ms: Schema.Int })

const payControl = withLinkId((engine, id) =>
  Effect.gen(function* () {
    const body = yield* controlBody(PayBody)
    const payment = yield* engine.payLink(id, body.card, body.payer)
    return json({ payment })
  })
)

const settleControl = withLinkId((engine, id) => Effect.map(engine.settlePending(id), (payments) => json({ payments })))

const expireControl = withLinkId((engine, id) => Effect.map(engine.expireLink(id), (link) => json({ link })))

const advanceControl = Effect.gen(function* () {
  const engine = yield* EngineService
  const { ms } = yield* controlBody(MsBody)
  if (ms < 0) return yield* badRequest("The clock only moves forward: ms must be ≥ 0")
  yield* engine.advanceClock(ms)
  return json({ offsetMs: yield* engine.clockOffset, now: new Date(yield* engine.now).toISOString() })
})

const skewControl = Effect.gen(function* () {
  const engine = yield* EngineService
  const { ms } = yield* controlBody(MsBody)
  yield* engine.setAuthClockSkew(ms)
  return json({ authClockSkewMs: ms })
})

const linksControl = Effect.flatMap(EngineService, (engine) => Effect.map(engine.links, (links) => json({ links })))

const notificationsControl = Effect.flatMap(EngineService, (engine) =>
  Effect.map(engine.notifications, (notifications) => json({ notifications }))
)

const faultControl = Http.faultEndpoints(Faults.InjectorService, controlJson)

export const CONTROL_PREFIX = "/__sandbox/placetopay"

/** Route names for fault rules. */
export const ROUTES = ["links.create", "links.get", "links.disable"] as const

/** Every PlacetoPay route; provide `EngineService` and `Faults.InjectorService` (or use `PlacetoPaySandbox.make`). */
export const router: HttpRouter.HttpRouter<never, EngineService | Faults.InjectorService> = HttpRouter.empty.pipe(
  HttpRouter.post("/api/payment-link", Faults.wrap("links.create")(createLink)),
  HttpRouter.post("/api/payment-link/disable/:id", Faults.wrap("links.disable")(disableLink)),
  HttpRouter.post("/api/payment-link/:id", Faults.wrap("links.get")(queryLink)),
  HttpRouter.get("/link/show", checkoutPage),
  HttpRouter.post("/link/show", payFromCheckout),
  HttpRouter.get("/spa/session/:requestId/:code", sessionPage),
  HttpRouter.post("/spa/session/:requestId/:code", settleFromSession),
  HttpRouter.post(`${CONTROL_PREFIX}/links/:id/pay`, control(payControl)),
  HttpRouter.post(`${CONTROL_PREFIX}/links/:id/settle`, control(settleControl)),
  HttpRouter.post(`${CONTROL_PREFIX}/links/:id/expire`, control(expireControl)),
  HttpRouter.post(`${CONTROL_PREFIX}/clock/advance`, control(advanceControl)),
  HttpRouter.post(`${CONTROL_PREFIX}/auth-clock/skew`, control(skewControl)),
  HttpRouter.get(`${CONTROL_PREFIX}/links`, control(linksControl)),
  HttpRouter.get(`${CONTROL_PREFIX}/notifications`, control(notificationsControl)),
  HttpRouter.get(`${CONTROL_PREFIX}/faults`, control(faultControl.state)),
  HttpRouter.post(`${CONTROL_PREFIX}/faults`, control(faultControl.inject)),
  HttpRouter.del(`${CONTROL_PREFIX}/faults`, control(faultControl.clear))
)
