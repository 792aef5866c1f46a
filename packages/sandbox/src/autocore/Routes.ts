/**
 * The simulator's HTTP surface: Autocore's five endpoints, the control endpoints under
 * `/__sandbox/autocore` (no auth: the sandbox listens on loopback only), and the hosted pages
 * (`Pages.ts`: a link's or gift card's pay page, a cash order's checkout, the dashboard's settle
 * button for charges), whose forms run the same transitions as the control endpoints.
 * The five API endpoints go through the fault injector as `links.create`, `giftCards.create`,
 * `charges.create`, `orders.create` and `hotels.list`; control endpoints and pages never get faults.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Record from "effect/Record"
import type * as Schema from "effect/Schema"
import type * as Faults from "../Faults.js"
import * as Http from "../Http.js"
import { HttpError, json } from "../Http.js"
import { readForm } from "../pages/Form.js"
import * as Html from "../pages/Html.js"
import { decryptCardField, findHotel, requireApiKey, requireAuthToken } from "./Auth.js"
import * as Cards from "./Cards.js"
import * as CheckoutForm from "./CheckoutForm.js"
import type { Engine } from "./Engine.js"
import type { Account, Hotel, LinkSnapshot } from "./Model.js"
import * as Pages from "./Pages.js"
import type { Context } from "./Store.js"
import * as Wire from "./Wire.js"
import {
  cashCreated,
  chargeApproved,
  chargeDeclined,
  chargePending,
  envelope,
  giftCardCreated,
  linkCreated
} from "./Wire.js"

export const controlPrefix = "/__sandbox/autocore"
/** Default `appBaseUrl` (relative to the request origin): the simulator's own pages. */
export const pagesPrefix = `${controlPrefix}/app`

/** Route names for fault rules. */
export const routes = ["links.create", "charges.create", "orders.create", "giftCards.create", "hotels.list"] as const
/** The routes authenticated by time-limited `auth_token` (the others use the API key, which has no clock). */
export const clockRoutes = ["charges.create", "orders.create", "hotels.list"] as const

export interface Dependencies {
  readonly accounts: ReadonlyArray<Account>
  readonly engine: Engine
  readonly appBaseUrl: string | undefined
  readonly authClockSkew: Duration.Duration
  readonly faults: Faults.Injector
}

/** Answers in Autocore's envelope (spec §3); a defect is a 500 that says nothing more. */
const handle = Http.handle(
  (status, message) => Effect.succeed(envelope(status, message)),
  "Error interno del simulador"
)

const invalid = (issues: ReadonlyArray<Wire.Issue>) =>
  new HttpError({ status: 400, message: Wire.validationDetail(issues) })

/** `http://host:port` of the request, used for absolute URLs the simulator hands out. */
const origin = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
  const host = request.headers.host
  return `http://${host !== undefined && host.length > 0 ? host : "127.0.0.1"}`
})

const pathname = (request: HttpServerRequest.HttpServerRequest): string =>
  new URL(request.url, "http://sandbox.invalid").pathname

export const notFound = (request: HttpServerRequest.HttpServerRequest) =>
  new HttpError({ status: 404, message: `No existe la ruta ${request.method} ${pathname(request)}` })

/**
 * The router ignores trailing slashes; Autocore's paths are exact (`/v2/links/schedule/` needs its
 * slash, `/v1/gift-cards` must not have one), so anything else is a 404 like an unknown path.
 */
const exactPath = (path: string) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    pathname(request) === path ? Effect.void : Effect.fail(notFound(request))
  )

/**
 * Reads a JSON body (bad JSON → 400, over `Http.MAX_BODY_BYTES` → 413). `optional`: an empty body
 * reads as `{}` (control endpoints).
 */
const readJson = (options: { readonly optional?: boolean } = {}) =>
  Effect.gen(function* () {
    const body = yield* Http.readJson((contentType) => contentType.toLowerCase().includes("application/json"))
    if (body._tag === "Json") return body.value
    if (body._tag === "Empty" && options.optional === true) return {} as unknown
    return yield* new HttpError(bodyRefusals[body._tag])
  })

const bodyRefusals = {
  Empty: { status: 400, message: "El cuerpo debe ser un objeto JSON" },
  NotJson: { status: 400, message: "Content-Type debe ser application/json" },
  Malformed: { status: 400, message: "El cuerpo no es JSON válido" },
  TooLarge: { status: 413, message: "El cuerpo supera 1 MiB" },
  Unreadable: { status: 400, message: "No se pudo leer el cuerpo" }
} as const

const validated = <A, I>(schema: Schema.Schema<A, I>, body: unknown, extra: ReadonlyArray<Wire.Issue> = []) =>
  Either.match(Wire.validate(schema, body, extra), {
    onLeft: (issues) => Effect.fail(invalid(issues)),
    onRight: Effect.succeed
  })

const param = (name: string) =>
  Effect.flatMap(HttpRouter.params, (params) => {
    const value = params[name]
    return value === undefined
      ? Effect.fail(new HttpError({ status: 404, message: `Falta ${name}` }))
      : Effect.succeed(value)
  })

export const make = ({ accounts, engine, appBaseUrl, authClockSkew, faults }: Dependencies): HttpRouter.HttpRouter => {
  const context: Effect.Effect<Context, never, HttpServerRequest.HttpServerRequest> = Effect.map(origin, (base) => ({
    apiBaseUrl: base,
    appBaseUrl: (appBaseUrl ?? `${base}${pagesPrefix}`).replace(/\/+$/, "")
  }))

  const hotelOf = (account: Account, hotelId: number): Effect.Effect<Hotel, HttpError> => {
    const lookup = findHotel(accounts, account, hotelId)
    switch (lookup._tag) {
      case "Found":
        return Effect.succeed(lookup.hotel)
      case "Foreign":
        return Effect.fail(new HttpError({ status: 403, message: `El hotel ${hotelId} no pertenece a la cuenta` }))
      case "Unknown":
        return Effect.fail(new HttpError({ status: 404, message: `No existe el hotel ${hotelId}` }))
    }
  }

  const apiKey = requireApiKey(accounts)
  const authToken = requireAuthToken(accounts, authClockSkew)

  const createLink = Effect.gen(function* () {
    yield* exactPath("/v2/links/schedule/")
    const account = yield* apiKey
    const body = yield* readJson()
    const request = yield* validated(Wire.LinkRequest, body, Wire.sourceIssues(account, body, []))
    const hotel = yield* hotelOf(account, request.hotel_id)
    const link = yield* engine.createLink({ account, hotel, context: yield* context }, request)
    return json(linkCreated(link.url, link.code))
  })

  const createGiftCard = Effect.gen(function* () {
    yield* exactPath("/v1/gift-cards")
    const account = yield* apiKey
    const request = yield* validated(Wire.GiftCardRequest, yield* readJson())
    // The body names no hotel; its pay page is the account's first hotel's (seed: /payment/marina/GC_…).
    const hotel = account.hotels[0]
    if (hotel === undefined) return yield* new HttpError({ status: 404, message: "La cuenta no tiene hoteles" })
    const card = yield* engine.createGiftCard({ account, hotel, context: yield* context }, request)
    return json(giftCardCreated(card.giftCardCode, card.paymentLink, card.paymentLinkCode))
  })

  const createCharge = Effect.gen(function* () {
    yield* exactPath("/v2/virtual-terminal/credit-card")
    const account = yield* authToken
    const body = yield* readJson()
    const request = yield* validated(Wire.ChargeRequest, body, Wire.sourceIssues(account, body, ["order"]))
    const hotel = yield* hotelOf(account, request.order.hotel_id)
    // Plain card values live only in this scope: never stored, logged or echoed in errors.
    const plain = Record.map(request.card_item, (field) => decryptCardField(account.cardEncryptionKey, field))
    const decrypted = Option.all(plain)
    if (Option.isNone(decrypted)) {
      const undecryptable = Object.entries(plain).filter(([, value]) => Option.isNone(value))
      return yield* invalid(
        undecryptable.map(([field]) => ({ path: `card_item.${field}`, message: "no se pudo descifrar" }))
      )
    }
    const card = decrypted.value
    const cardIssues = Wire.cardIssues(card)
    if (cardIssues.length > 0) return yield* invalid(cardIssues)
    const now = yield* Clock.currentTimeMillis
    const expired = Cards.isExpired(Number(card.cc_expire_year), Number(card.cc_expire_month), now)
    const scenario = Cards.scenario(card.cc_number, expired)
    const who = { account, hotel, context: yield* context }
    const charge = yield* engine.createCharge(who, request, { last4: card.cc_number.slice(-4), scenario })
    switch (charge.status) {
      case "applied":
        return json(chargeApproved(charge, now))
      case "in_process":
        return json(chargePending(charge, now))
      case "rejected":
      case "invalid_card":
        return json(chargeDeclined(charge, now), 400)
    }
  })

  const createOrder = Effect.gen(function* () {
    yield* exactPath("/v2/apms/cash")
    const account = yield* authToken
    const request = yield* validated(Wire.CashRequest, yield* readJson())
    const hotel = yield* hotelOf(account, request.order.hotel_id)
    const order = yield* engine.createOrder({ account, hotel, context: yield* context }, request)
    return json(cashCreated(order.transactionId, order.apmDetailId, order.checkoutUrl))
  })

  const listHotels = Effect.gen(function* () {
    yield* exactPath("/v2/hotels")
    const account = yield* authToken
    const request = yield* HttpServerRequest.HttpServerRequest
    const base = yield* origin
    const query = new URL(request.url, base).searchParams
    const issues: Array<Wire.Issue> = []
    const number = (name: string, fallback: number, min: number, max: number): number => {
      const raw = query.get(name)
      if (raw === null || raw === "") return fallback
      if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        issues.push({ path: name, message: `debe ser un entero entre ${min} y ${max}` })
        return fallback
      }
      return Number(raw)
    }
    const offset = number("offset", 0, 0, 999_999_999)
    const limit = number("limit", 10, 1, 100)
    if (issues.length > 0) return yield* invalid(issues)
    const total = account.hotels.length
    const data = account.hotels.slice(offset, offset + limit).map(({ id, name, currency }) => ({ id, name, currency }))
    const totalPages = Math.ceil(total / limit)
    const at = (start: number) => `${base}/v2/hotels?offset=${start}&limit=${limit}`
    const lastStart = totalPages === 0 ? 0 : (totalPages - 1) * limit
    return json({
      paginate_info: {
        start: offset,
        items: data.length,
        total_items: total,
        total_pages: totalPages,
        links: {
          first: at(0),
          previous: offset > 0 ? at(Math.max(0, offset - limit)) : null,
          next: offset + limit < total ? at(offset + limit) : null,
          last: at(lastStart)
        }
      },
      data
    })
  })

  /** A control endpoint on the record named by path parameter `name`, with an optional JSON body. */
  const control = <A, I, B, E>(
    name: string,
    schema: Schema.Schema<A, I>,
    run: (id: string, request: A) => Effect.Effect<B, E>
  ) =>
    Effect.gen(function* () {
      const id = yield* param(name)
      return json(yield* run(id, yield* validated(schema, yield* readJson({ optional: true }))))
    })

  const payLinkControl = control("code", Wire.LinkPayControlRequest, (code, request) =>
    engine.payLink(code, request.outcome ?? "approved", { legacy: request.legacy ?? false })
  )
  const settleLinkControl = control("code", Wire.SettleControlRequest, (code, request) =>
    engine.settleLink(code, { legacy: request.legacy ?? false })
  )
  const settleControl = control("transactionId", Wire.SettleControlRequest, (transactionId, request) =>
    engine.settleCharge(transactionId, { legacy: request.legacy ?? false })
  )
  const payOrderControl = control("transactionId", Wire.PayControlRequest, (transactionId, request) =>
    engine.payOrder(transactionId, request.outcome ?? "approved", { legacy: request.legacy ?? false })
  )

  // ---- hosted pages (Pages.ts); their forms run the same transitions as the control endpoints ----

  const requestPath = Effect.map(HttpServerRequest.HttpServerRequest, (request) => pathname(request))
  const query = Effect.map(
    HttpServerRequest.HttpServerRequest,
    (request) => new URL(request.url, "http://sandbox.invalid").searchParams
  )
  const notFoundPage = Html.respond(Pages.notFoundPage(), 404)

  /** The link of `/payment/:hotel/:code`, when the hotel's slug matches. */
  const pageLink = Effect.gen(function* () {
    const slug = yield* param("hotel")
    const link = yield* engine.findLink(yield* param("code"))
    const hotel = accounts.flatMap((account) => account.hotels).find((h) => h.id === link?.hotelId)
    return link === undefined || hotel?.slug !== slug ? undefined : link
  })

  const giftCardOf = (link: LinkSnapshot) =>
    link.kind === "gift_card" ? engine.findGiftCard(link.code) : Effect.succeed(undefined)

  /** The link's page as it is now; `attempt` names the attempt to show the result of. */
  const showLink = (
    link: LinkSnapshot,
    path: string,
    extra: { attempt?: string; form?: Pages.CardForm },
    status = 200
  ) =>
    Effect.map(giftCardOf(link), (giftCard) =>
      Html.respond(
        Pages.linkPage({
          link,
          giftCard,
          path,
          ...(extra.form === undefined ? {} : { form: extra.form }),
          attempt: link.attempts.find((a) => a.transactionId === extra.attempt)
        }),
        status
      )
    )

  /** The page's own path without a trailing `/settle`. */
  const linkPagePath = Effect.map(requestPath, (path) => path.replace(/\/settle$/, ""))

  const linkPage = Effect.gen(function* () {
    const link = yield* pageLink
    if (link === undefined) return notFoundPage
    const attempt = (yield* query).get("attempt") ?? undefined
    return yield* showLink(link, yield* linkPagePath, attempt === undefined ? {} : { attempt })
  })

  const payFromPage = Effect.gen(function* () {
    const link = yield* pageLink
    if (link === undefined) return notFoundPage
    const path = yield* linkPagePath
    const form = yield* readForm
    if (form._tag !== "Form")
      return yield* showLink(link, path, { form: { error: CheckoutForm.messages.unreadable } }, 400)
    const echo = { holder: form.fields.holder ?? "", expiry: form.fields.expiry ?? "" }
    const outcome = CheckoutForm.readCardForm(form.fields, yield* Clock.currentTimeMillis)
    if (Either.isLeft(outcome)) return yield* showLink(link, path, { form: { ...echo, error: outcome.left } }, 422)
    const paid = yield* Effect.either(engine.payLink(link.code, outcome.right, {}))
    if (Either.isLeft(paid)) return yield* showLink((yield* engine.findLink(link.code)) ?? link, path, {}, 409)
    return Html.seeOther(`${path}?attempt=${encodeURIComponent(paid.right.attempts.at(-1)!.transactionId)}`)
  })

  const settleFromPage = Effect.gen(function* () {
    const link = yield* pageLink
    if (link === undefined) return notFoundPage
    const path = yield* linkPagePath
    const pending = link.attempts.find((a) => a.outcome === "in_process")
    yield* Effect.ignore(engine.settleLink(link.code, {}))
    return Html.seeOther(pending === undefined ? path : `${path}?attempt=${encodeURIComponent(pending.transactionId)}`)
  })

  const cashPage = Effect.gen(function* () {
    const order = yield* engine.findOrder(yield* param("transactionId"))
    if (order === undefined) return notFoundPage
    const done = (yield* query).get("done") === "1"
    return Html.respond(Pages.cashPage({ order, path: yield* requestPath, justDone: done }))
  })

  /** The cash page's buttons: "paid at the store" (approved) or a rejected order. */
  const payCashFromPage = Effect.gen(function* () {
    const order = yield* engine.findOrder(yield* param("transactionId"))
    if (order === undefined) return notFoundPage
    const path = yield* requestPath
    const form = yield* readForm
    const outcome = form._tag === "Form" && form.fields.outcome === "declined" ? "declined" : "approved"
    if (form._tag !== "Form") return Html.respond(Pages.cashPage({ order, path }), 400)
    const paid = yield* Effect.either(engine.payOrder(order.transactionId, outcome, {}))
    return Either.isRight(paid) ? Html.seeOther(`${path}?done=1`) : Html.respond(Pages.cashPage({ order, path }), 409)
  })

  /** The dashboard's button for a charge in process: settles it like the control endpoint, back to the dashboard. */
  const settleChargeFromPage = Effect.gen(function* () {
    yield* Effect.ignore(engine.settleCharge(yield* param("transactionId"), {}))
    return Html.seeOther("/")
  })

  const faultControl = Http.faultEndpoints(Effect.succeed(faults), readJson())

  return HttpRouter.empty.pipe(
    HttpRouter.post("/v2/links/schedule/", faults.wrap("links.create", handle(createLink))),
    HttpRouter.post("/v1/gift-cards", faults.wrap("giftCards.create", handle(createGiftCard))),
    HttpRouter.post("/v2/virtual-terminal/credit-card", faults.wrap("charges.create", handle(createCharge))),
    HttpRouter.post("/v2/apms/cash", faults.wrap("orders.create", handle(createOrder))),
    HttpRouter.get("/v2/hotels", faults.wrap("hotels.list", handle(listHotels))),
    HttpRouter.get(`${controlPrefix}/faults`, handle(faultControl.state)),
    HttpRouter.post(`${controlPrefix}/faults`, handle(faultControl.inject)),
    HttpRouter.del(`${controlPrefix}/faults`, handle(faultControl.clear)),
    HttpRouter.post(`${controlPrefix}/links/:code/pay`, handle(payLinkControl)),
    HttpRouter.post(`${controlPrefix}/charges/:transactionId/settle`, handle(settleControl)),
    HttpRouter.post(`${controlPrefix}/orders/:transactionId/pay`, handle(payOrderControl)),
    HttpRouter.get(`${controlPrefix}/state`, handle(Effect.map(engine.state, (state) => json(state)))),
    HttpRouter.get(`${controlPrefix}/webhooks`, handle(Effect.map(engine.webhookDeliveries, (d) => json(d)))),
    HttpRouter.post(`${controlPrefix}/links/:code/settle`, handle(settleLinkControl)),
    HttpRouter.get(`${pagesPrefix}/payment/:hotel/:code`, handle(linkPage)),
    HttpRouter.post(`${pagesPrefix}/payment/:hotel/:code`, handle(payFromPage)),
    HttpRouter.post(`${pagesPrefix}/payment/:hotel/:code/settle`, handle(settleFromPage)),
    HttpRouter.get(`${pagesPrefix}/checkout/cash/:transactionId`, handle(cashPage)),
    HttpRouter.post(`${pagesPrefix}/checkout/cash/:transactionId`, handle(payCashFromPage)),
    HttpRouter.post(`${pagesPrefix}/charges/:transactionId/settle`, handle(settleChargeFromPage))
  )
}
