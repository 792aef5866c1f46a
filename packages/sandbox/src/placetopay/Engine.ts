/**
 * The running simulator: sites, the sandbox clocks, state, and the operations both the HTTP routes
 * and the programmatic controls use. Provided to the router as the `Engine` service.
 */

import { createHash, randomBytes } from "node:crypto"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { AuthClockShift } from "../Faults.js"
import { SandboxError } from "../SandboxError.js"
import type { AuthResult } from "./Auth.js"
import * as Auth from "./Auth.js"
import { brandOf, expiryEnd, luhnValid, normalizeNumber, outcomeOf } from "./Cards.js"
import type { Link, Payer, Payment, SiteConfig } from "./Model.js"
import { isEnglish } from "./Model.js"
import type { DeliveredNotification, LinkNotification, NotificationStatus } from "./Notifier.js"
import { deliver, notification } from "./Notifier.js"
import * as Store from "./Store.js"
import { formatIso, parseLocal } from "./Time.js"
import type { LinkView, PaymentView, ValidationErrors } from "./Wire.js"
import { decodeCreateLink, linkView, paymentView } from "./Wire.js"

/** A link as the query endpoint shows it, plus the site it belongs to. */
export interface LinkSnapshot extends LinkView {
  readonly siteId: number
}

/** Card data for a sandbox payment. Only the last four digits are kept. */
export interface Card {
  readonly number: string
  readonly cvv?: string | undefined
  /** `MM/YY` or `MM/YYYY`. */
  readonly expiry?: string | undefined
}

export type PayerInput = Partial<Payer>

export const defaultPayer: Payer = {
  name: "Sandbox",
  surname: "Payer",
  email: "payer@example.com",
  phone: "+573000000000",
  document: "1000000000",
  documentType: "CC"
}

export type QueryResult =
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "OtherSite" }
  | { readonly _tag: "Found"; readonly view: LinkView }

export interface Engine {
  readonly sites: ReadonlyArray<SiteConfig>
  /** Where links point when the sandbox was given a public base URL. */
  readonly publicBaseUrl: string | undefined
  /** Sandbox clock: real time plus the offset `advanceClock` accumulates. */
  readonly now: Effect.Effect<number>
  /** Checks `auth` (spec §2) including nonce replay; spends the nonce on success. Honours `Faults.AuthClockShift`. */
  readonly authenticate: (body: unknown) => Effect.Effect<AuthResult<SiteConfig>>
  /** Lazy expiry before an API call; notifications go out in the background. */
  readonly expireDue: Effect.Effect<void>
  readonly createLink: (
    site: SiteConfig,
    body: unknown,
    baseUrl: string
  ) => Effect.Effect<Either.Either<Link, ValidationErrors>>
  readonly queryLink: (site: SiteConfig, id: number) => Effect.Effect<QueryResult>
  readonly disableLink: (site: SiteConfig, id: number) => Effect.Effect<Store.DisableResult>
  readonly findLink: (id: number) => Effect.Effect<Option.Option<{ readonly link: Link; readonly site: SiteConfig }>>
  /** The payment of checkout session `requestId` (its `processUrl`), with its link and site. */
  readonly findSession: (
    requestId: number
  ) => Effect.Effect<Option.Option<{ readonly link: Link; readonly site: SiteConfig; readonly payment: Payment }>>
  readonly payLink: (id: number, card: Card, payer?: PayerInput) => Effect.Effect<PaymentView, SandboxError>
  readonly settlePending: (id: number) => Effect.Effect<ReadonlyArray<PaymentView>, SandboxError>
  readonly expireLink: (id: number) => Effect.Effect<LinkSnapshot, SandboxError>
  readonly advanceClock: (ms: number) => Effect.Effect<void>
  readonly setAuthClockSkew: (ms: number) => Effect.Effect<void>
  readonly clockOffset: Effect.Effect<number>
  readonly links: Effect.Effect<ReadonlyArray<LinkSnapshot>>
  /** Every delivery so far, oldest first; waits for deliveries still in flight. */
  readonly notifications: Effect.Effect<ReadonlyArray<DeliveredNotification>>
  /** What the pages show: every link and every finished delivery, now (expiry notifications go out in the background). */
  readonly view: Effect.Effect<{
    readonly links: ReadonlyArray<LinkSnapshot>
    readonly deliveries: ReadonlyArray<DeliveredNotification>
  }>
}

export class EngineService extends Context.Tag("@pasarela/sandbox/PlacetoPaySandbox/Engine")<EngineService, Engine>() {}

export interface EngineOptions {
  readonly sites: ReadonlyArray<SiteConfig>
  readonly publicBaseUrl: string | undefined
  readonly authClockSkewMs: number
}

const hex = (bytes: number): string => randomBytes(bytes).toString("hex")

const notificationMessages = {
  PAID: ["El link de pago ha sido pagado", "The payment link has been paid"],
  EXPIRED: ["El link de pago ha expirado", "The payment link has expired"]
} as const

export const make = (options: EngineOptions): Effect.Effect<Engine, never, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const state = yield* Ref.make(Store.initialState(options.authClockSkewMs))
    const delivered = yield* Ref.make(Chunk.empty<DeliveredNotification>())
    const inFlight = yield* Ref.make<ReadonlyArray<Fiber.RuntimeFiber<void>>>([])
    const sites = options.sites

    const siteOf = (link: Link): SiteConfig => sites.find((s) => s.id === link.siteId)!

    const now = Effect.zipWith(Clock.currentTimeMillis, Ref.get(state), (real, s) => real + s.clockOffsetMs)

    const snapshot = (link: Link): LinkSnapshot => ({ ...linkView(link, siteOf(link)), siteId: link.siteId })

    const notify = (
      link: Link,
      status: NotificationStatus,
      atMs: number
    ): Array<{ url: string; body: LinkNotification }> => {
      if (link.notificationUrl === null) return []
      const site = siteOf(link)
      return [
        {
          url: link.notificationUrl,
          body: notification({
            linkId: link.id,
            reference: link.reference,
            status,
            message: notificationMessages[status][isEnglish(link) ? 1 : 0],
            date: formatIso(atMs, site.offsetMinutes),
            secretKey: site.secretKey
          })
        }
      ]
    }

    // Sequential within a batch so the record keeps the order events happened in.
    const deliverAll = (batch: ReadonlyArray<{ url: string; body: LinkNotification }>) =>
      Effect.forEach(
        batch,
        ({ url, body }) =>
          now.pipe(
            Effect.flatMap((atMs) => deliver(client, url, body, atMs)),
            Effect.flatMap((d) => Ref.update(delivered, Chunk.append(d)))
          ),
        { discard: true }
      )

    const deliverInBackground = (batch: ReadonlyArray<{ url: string; body: LinkNotification }>) =>
      batch.length === 0
        ? Effect.void
        : Effect.forkDaemon(deliverAll(batch)).pipe(
            // Finished deliveries leave the list here, so it holds what is in flight, not every delivery ever.
            Effect.flatMap((fiber) =>
              Ref.update(inFlight, (fibers) => [...fibers.filter((f) => f.unsafePoll() === null), fiber])
            )
          )

    /** Expires what is due and returns the EXPIRED notifications to send. */
    const sweep = Effect.gen(function* () {
      const at = yield* now
      const expired = yield* Ref.modify(state, (s) => Store.sweepExpired(s, at))
      return expired.flatMap((link) => notify(link, "EXPIRED", at))
    })

    const expireDue = Effect.flatMap(sweep, deliverInBackground)
    const expireDueAndWait = Effect.flatMap(sweep, deliverAll)

    const authenticate = (body: unknown) =>
      Effect.gen(function* () {
        const real = yield* Clock.currentTimeMillis
        // The configured skew, plus a `clockSkew` fault's shift for this request only.
        const authNow = real + (yield* Ref.get(state)).authSkewMs + (yield* AuthClockShift)
        const result = Auth.authenticate(body, sites, authNow)
        if (result._tag === "Failed") return result
        const fresh = yield* Ref.modify(state, (s) =>
          Store.spendNonce(s, result.replayKey, result.replayUntil, authNow)
        )
        // A replayed nonce answers 102: its tranKey was valid once but authenticates no new request.
        return fresh ? result : ({ _tag: "Failed", code: 102 } as const)
      })

    const createLink = (site: SiteConfig, body: unknown, baseUrl: string) =>
      Effect.gen(function* () {
        const at = yield* now
        const decoded = decodeCreateLink(body, { nowMs: at, site })
        if (Either.isLeft(decoded)) return Either.left(decoded.left)
        const request = decoded.right
        const code = createHash("sha1").update(randomBytes(20)).digest("hex")
        const expiresAt = parseLocal(request.expirationDate, site.offsetMinutes)!
        const link = yield* Ref.modify(state, (s) =>
          Store.createLink(s, { site, request, expiresAt, baseUrl, code, nowMs: at })
        )
        return Either.right(link)
      })

    const queryLink = (site: SiteConfig, id: number) =>
      Effect.map(Ref.get(state), (s): QueryResult => {
        const link = Store.linkOf(s, id)
        if (link === undefined) return { _tag: "NotFound" }
        if (link.siteId !== site.id) return { _tag: "OtherSite" }
        return { _tag: "Found", view: linkView(link, site) }
      })

    const disableLink = (site: SiteConfig, id: number) => Ref.modify(state, (s) => Store.disableLink(s, site.id, id))

    const findLink = (id: number) =>
      Effect.map(Ref.get(state), (s) =>
        Option.fromNullable(Store.linkOf(s, id)).pipe(Option.map((link) => ({ link, site: siteOf(link) })))
      )

    const findSession = (requestId: number) =>
      Effect.map(Ref.get(state), (s) =>
        Option.fromNullable(Store.sessionOf(s, requestId)).pipe(
          Option.map(({ link, payment }) => ({ link, payment, site: siteOf(link) }))
        )
      )

    const invalidCard = (message: string) => Effect.fail(new SandboxError({ reason: "InvalidCard", message }))

    const payLink = (id: number, card: Card, payer?: PayerInput) =>
      Effect.gen(function* () {
        yield* expireDueAndWait
        const digits = normalizeNumber(card.number)
        if (digits === undefined || !luhnValid(digits))
          return yield* invalidCard("The card number must be 13 to 19 digits and pass the Luhn check")
        if (card.cvv !== undefined && !/^\d{3,4}$/.test(card.cvv))
          return yield* invalidCard("The CVV must be 3 or 4 digits")
        const validUntil = card.expiry === undefined ? undefined : expiryEnd(card.expiry)
        if (card.expiry !== undefined && validUntil === undefined)
          return yield* invalidCard("The expiry must be MM/YY or MM/YYYY")
        const at = yield* now
        const attempt: Store.CardAttempt = {
          lastDigits: digits.slice(-4),
          brand: brandOf(digits),
          outcome: outcomeOf(digits),
          expired: validUntil !== undefined && validUntil <= at,
          payer: { ...defaultPayer, ...payer },
          sessionCode: hex(16)
        }
        const { payment, link } = yield* yield* Ref.modify(state, (s) => Store.payLink(s, id, attempt, at))
        if (payment.status === "APPROVED") yield* deliverAll(notify(link, "PAID", at))
        return paymentView(payment, siteOf(link))
      })

    const settlePending = (id: number) =>
      Effect.gen(function* () {
        yield* expireDueAndWait
        const at = yield* now
        const { settled, link } = yield* yield* Ref.modify(state, (s) => Store.settlePending(s, id, at))
        yield* deliverAll(settled.filter((p) => p.status === "APPROVED").flatMap(() => notify(link, "PAID", at)))
        return settled.map((p) => paymentView(p, siteOf(link)))
      })

    const expireLink = (id: number) =>
      Effect.gen(function* () {
        yield* expireDueAndWait
        const at = yield* now
        const link = yield* yield* Ref.modify(state, (s) => Store.forceExpire(s, id))
        yield* deliverAll(notify(link, "EXPIRED", at))
        return snapshot(link)
      })

    const advanceClock = (ms: number) =>
      Ref.update(state, (s) => ({ ...s, clockOffsetMs: s.clockOffsetMs + ms })).pipe(Effect.zipRight(expireDueAndWait))

    const setAuthClockSkew = (ms: number) => Ref.update(state, (s) => ({ ...s, authSkewMs: ms }))

    const links = Effect.zipRight(
      expireDueAndWait,
      Effect.map(Ref.get(state), (s) => Store.allLinks(s).map(snapshot))
    )

    const notifications = Effect.gen(function* () {
      const pending = yield* Ref.get(inFlight)
      yield* Fiber.awaitAll(pending)
      yield* Ref.update(inFlight, (fibers) => fibers.filter((f) => !pending.includes(f)))
      return Chunk.toReadonlyArray(yield* Ref.get(delivered))
    })

    const view = Effect.zipRight(
      expireDue,
      Effect.zipWith(Ref.get(state), Ref.get(delivered), (s, d) => ({
        links: Store.allLinks(s).map(snapshot),
        deliveries: Chunk.toReadonlyArray(d)
      }))
    )

    return {
      sites,
      publicBaseUrl: options.publicBaseUrl,
      now,
      authenticate,
      expireDue,
      createLink,
      queryLink,
      disableLink,
      findLink,
      findSession,
      payLink,
      settlePending,
      expireLink,
      advanceClock,
      setAuthClockSkew,
      clockOffset: Effect.map(Ref.get(state), (s) => s.clockOffsetMs),
      links,
      notifications,
      view
    } satisfies Engine
  })
