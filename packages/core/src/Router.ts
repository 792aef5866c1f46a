/**
 * Per-hotel routing: the neutral services, dispatched on the input's `merchantId` to that
 * merchant's provider. Each merchant's provider layer is built lazily, once, and reused; results
 * are stamped with merchant and provider, and link ids encode both and the route — primary or
 * fallback — that made the link (see `RoutedId`).
 */
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import { Charges } from "./Charges.js"
import { GiftCards } from "./GiftCards.js"
import { Configuration, FieldIssue, InvalidRequest, NotFound, PaymentError, WebhookRejected } from "./PaymentError.js"
import type { PaymentEvent } from "./PaymentEvent.js"
import type { CreatePaymentLinkInput, PaymentLink } from "./PaymentLink.js"
import { PaymentLinks, type PaymentLinksService } from "./PaymentLinks.js"
import { PaymentOrders } from "./PaymentOrders.js"
import * as Provider from "./Provider.js"
import * as RoutedId from "./RoutedId.js"
import { defaultReplies, type RawNotification, Webhooks, type WebhooksService } from "./Webhooks.js"

/** Everything a provider layer offers. Unsupported operations fail with `Unsupported`. */
export type ProviderServices = Provider.Provider | PaymentLinks | Charges | PaymentOrders | GiftCards | Webhooks

export interface Route<E = unknown, R = never> {
  /** The merchant's provider. */
  readonly provider: Layer.Layer<ProviderServices, E, R>
  /**
   * Tried for link creation only when the primary's failure proves nothing was created
   * (unavailable, rate limited, or timed out before sending) — never after an ambiguous outcome.
   */
  readonly fallback?: Layer.Layer<ProviderServices, E, R>
}

/**
 * An event verified by one of a merchant's routes, as the router hands it out: stamped with the
 * merchant, and a link's `subject.id` made the routed id `links.get` takes (the provider's own
 * kept as `subject.providerId`). A fallback's dedupe keys say so: a fallback on another site of the
 * same provider numbers its links as the primary's site does, and the two sites' link 1 are two facts.
 */
export const stampEvent = (event: PaymentEvent, merchantId: string, route: RoutedId.Route): PaymentEvent => ({
  ...event,
  merchantId,
  dedupeKey: route === "fallback" ? `${event.dedupeKey}:fallback` : event.dedupeKey,
  subject:
    event.subject.kind === "link"
      ? {
          kind: "link",
          id: RoutedId.encode({ provider: event.provider, merchantId, route, id: event.subject.id }),
          providerId: event.subject.id
        }
      : event.subject
})

/** True when `error` proves the operation did not happen, so another provider may be tried. */
export const provesNothingHappened = (error: PaymentError): boolean =>
  !error.mayHaveTakenEffect &&
  (error.reason._tag === "ProviderUnavailable" ||
    error.reason._tag === "RateLimited" ||
    error.reason._tag === "Timeout")

/** One of a merchant's configured providers, with its services. */
export interface RouteServices {
  readonly route: RoutedId.Route
  readonly services: Context.Context<ProviderServices>
}

/** The router's own view: which merchants it serves and their services, for webhook endpoints. */
export interface RouterShape {
  readonly merchants: ReadonlyArray<string>
  /** The merchant's services from its primary provider, or from the provider named. */
  readonly servicesFor: (
    merchantId: string,
    provider?: string
  ) => Effect.Effect<Context.Context<ProviderServices>, PaymentError>
  /**
   * The merchant's routes served by `provider`, primary first: where a notification from that
   * provider may come from (a fallback can be another site of the same provider, with its own
   * secret). Empty when none is.
   */
  readonly routesFor: (
    merchantId: string,
    provider: string
  ) => Effect.Effect<ReadonlyArray<RouteServices>, PaymentError>
  /** Verifies with each of the merchant's routes on `provider`, as the router's `Webhooks` does. */
  readonly verify: (
    notification: RawNotification & { readonly merchantId: string; readonly provider: string }
  ) => Effect.Effect<PaymentEvent, PaymentError>
  /** The services of the route a routed id names (see `RoutedId`), and the id decoded. */
  readonly servicesForId: (
    routedId: string
  ) => Effect.Effect<
    { readonly id: RoutedId.RoutedId; readonly services: Context.Context<ProviderServices> },
    PaymentError
  >
}

export class Router extends Context.Tag("@pasarela/core/Router")<Router, RouterShape>() {}

export const providerInfo = Provider.make({
  name: "router",
  displayName: "Router",
  capabilities: Provider.allOperations
})

const unknownMerchant = (operation: string, merchantId: string) =>
  new PaymentError({
    provider: "router",
    operation,
    merchantId,
    reason: new Configuration({
      issues: [new FieldIssue({ path: "merchantId", message: `no merchant "${merchantId}" is configured` })]
    })
  })

const missingMerchant = (operation: string) =>
  new PaymentError({
    provider: "router",
    operation,
    reason: new InvalidRequest({
      issues: [new FieldIssue({ path: "merchantId", message: "is required: it names the hotel to route to" })]
    })
  })

/** Errors from a merchant's provider carry the merchant too. */
const stampError = (merchantId: string) => (error: PaymentError) =>
  error.merchantId === merchantId ? error : new PaymentError({ ...error, merchantId })

/** The link as the router hands it out: stamped with the merchant, its id naming the route that made it. */
const stampLink = (merchantId: string, route: RoutedId.Route | undefined, link: PaymentLink): PaymentLink => ({
  ...link,
  merchantId,
  id: RoutedId.encode({ provider: link.provider, merchantId, route, id: link.id })
})

/** A routed id whose merchant's configuration no longer has what made the link. */
const routeGone = (operation: string, routed: RoutedId.RoutedId, message: string) =>
  new PaymentError({
    provider: "router",
    operation,
    merchantId: routed.merchantId,
    reason: new Configuration({
      issues: [new FieldIssue({ path: `merchants.${routed.merchantId}.${routed.route ?? "provider"}`, message })]
    })
  })

/**
 * Builds the router from routes keyed by merchant id. Provider layers are built on first use, in
 * the router's scope, and shared by every later call for that merchant.
 */
export const make = <E, R>(
  routes: Readonly<Record<string, Route<E, R>>>
): Effect.Effect<
  Context.Context<PaymentLinks | Charges | PaymentOrders | GiftCards | Webhooks | Provider.Provider | Router>,
  never,
  R | Scope.Scope
> =>
  Effect.gen(function* () {
    const scope = yield* Effect.scope
    const context = yield* Effect.context<R>()
    const built = new Map<Layer.Layer<ProviderServices, E, R>, Context.Context<ProviderServices>>()
    const lock = yield* Effect.makeSemaphore(1)

    // Builds a provider layer once; a failed build is not cached, so a later call can succeed.
    // The map is read without the lock (the common case: already built); the lock only keeps two
    // first calls from building the same layer twice.
    const build = (merchantId: string, operation: string, layer: Layer.Layer<ProviderServices, E, R>) =>
      Effect.suspend(() => {
        const ready = built.get(layer)
        return ready !== undefined ? Effect.succeed(ready) : buildOnce(merchantId, operation, layer)
      })

    const buildOnce = (merchantId: string, operation: string, layer: Layer.Layer<ProviderServices, E, R>) =>
      lock.withPermits(1)(
        Effect.suspend(() => {
          const existing = built.get(layer)
          if (existing !== undefined) return Effect.succeed(existing)
          return Scope.fork(scope, ExecutionStrategy.sequential).pipe(
            Effect.flatMap((child) =>
              Layer.buildWithScope(layer, child).pipe(
                Effect.provide(context),
                Effect.tapError(() => Scope.close(child, Exit.void)),
                Effect.tap((services) => Effect.sync(() => built.set(layer, services)))
              )
            ),
            Effect.catchAllCause((cause) =>
              Effect.fail(
                new PaymentError({
                  provider: "router",
                  operation,
                  merchantId,
                  reason: new Configuration({
                    issues: [
                      new FieldIssue({
                        path: `merchants.${merchantId}`,
                        message: `its provider could not start: ${describeFailure(Cause.squash(cause))}`
                      })
                    ]
                  })
                })
              )
            )
          )
        })
      )

    const servicesFor = (merchantId: string, operation: string, provider?: string) => {
      const route = routes[merchantId]
      if (route === undefined || !Object.hasOwn(routes, merchantId)) {
        return Effect.fail(unknownMerchant(operation, merchantId))
      }
      return build(merchantId, operation, route.provider).pipe(
        Effect.flatMap((primary) => {
          if (provider === undefined || Context.get(primary, Provider.Provider).name === provider) {
            return Effect.succeed(primary)
          }
          if (route.fallback === undefined) return Effect.fail(unknownMerchant(operation, merchantId))
          return build(merchantId, operation, route.fallback)
        })
      )
    }

    /** The merchant's routes whose provider is `provider`, primary first. */
    const routesFor = (merchantId: string, operation: string, provider: string) => {
      const route = routes[merchantId]
      if (route === undefined || !Object.hasOwn(routes, merchantId)) {
        return Effect.fail(unknownMerchant(operation, merchantId))
      }
      const candidates: ReadonlyArray<readonly [RoutedId.Route, Layer.Layer<ProviderServices, E, R>]> =
        route.fallback === undefined
          ? [["primary", route.provider]]
          : [
              ["primary", route.provider],
              ["fallback", route.fallback]
            ]
      return Effect.map(
        Effect.forEach(candidates, ([name, layer]) =>
          Effect.map(build(merchantId, operation, layer), (services) => ({ route: name, services }))
        ),
        (all) => all.filter(({ services }) => Context.get(services, Provider.Provider).name === provider)
      )
    }

    /**
     * Verifies with each of the merchant's routes on the notification's provider, primary first:
     * the first that accepts it made the event (its secret, its route in the event's link id).
     */
    const verifyRouted = (notification: RawNotification & { readonly merchantId: string; readonly provider: string }) =>
      Effect.flatMap(routesFor(notification.merchantId, "webhooks.verify", notification.provider), (candidates) => {
        const attempt = (i: number): Effect.Effect<PaymentEvent, PaymentError> => {
          const candidate = candidates[i]
          if (candidate === undefined) return Effect.fail(unknownMerchant("webhooks.verify", notification.merchantId))
          const verified = Context.get(candidate.services, Webhooks)
            .verify(notification)
            .pipe(Effect.map((event) => stampEvent(event, notification.merchantId, candidate.route)))
          // Refused by every route: the primary's reason is the one reported.
          return i + 1 < candidates.length
            ? Effect.catchAll(verified, (first) => Effect.mapError(attempt(i + 1), () => first))
            : verified
        }
        return attempt(0)
      })

    const merchantOf = (operation: string, input: unknown) => {
      const merchantId = (input as { merchantId?: unknown } | null)?.merchantId
      return typeof merchantId === "string" ? Effect.succeed(merchantId) : Effect.fail(missingMerchant(operation))
    }

    const withMerchant = <A, Id, S>(
      operation: Provider.Operation,
      tag: Context.Tag<Id, S>,
      input: unknown,
      f: (service: S, merchantId: string) => Effect.Effect<A, PaymentError>
    ) =>
      Effect.flatMap(merchantOf(operation, input), (merchantId) =>
        servicesFor(merchantId, operation).pipe(
          Effect.flatMap((services) => f(Context.get(services as Context.Context<Id>, tag), merchantId)),
          Effect.mapError(stampError(merchantId))
        )
      )

    /**
     * The services of the route a routed id names. An id without a route (issued before routes
     * were recorded) goes by provider name: the primary's, else the fallback's.
     */
    const servicesOfRoute = (operation: string, routed: RoutedId.RoutedId) => {
      if (routed.route === undefined) return servicesFor(routed.merchantId, operation, routed.provider)
      const route = routes[routed.merchantId]
      if (route === undefined || !Object.hasOwn(routes, routed.merchantId)) {
        return Effect.fail(unknownMerchant(operation, routed.merchantId))
      }
      const layer = routed.route === "primary" ? route.provider : route.fallback
      if (layer === undefined) {
        return Effect.fail(routeGone(operation, routed, "has no fallback configured, and the link was made by one"))
      }
      return Effect.flatMap(build(routed.merchantId, operation, layer), (services) => {
        const name = Context.get(services, Provider.Provider).name
        return name === routed.provider
          ? Effect.succeed(services)
          : Effect.fail(
              routeGone(
                operation,
                routed,
                `its ${routed.route} is "${name}", not "${routed.provider}", the provider that made the link`
              )
            )
      })
    }

    const lookup = (operation: Provider.Operation, routedId: string) =>
      Option.match(RoutedId.decode(routedId), {
        onNone: () =>
          Effect.fail(
            new PaymentError({
              provider: "router",
              operation,
              reason: new NotFound({ detail: `"${routedId.slice(0, 80)}" is not a link id this router issued` })
            })
          ),
        onSome: (routed) =>
          servicesOfRoute(operation, routed).pipe(
            Effect.map((services) => ({ routed, links: Context.get(services, PaymentLinks) })),
            Effect.mapError(stampError(routed.merchantId))
          )
      })

    const createLink = (input: CreatePaymentLinkInput) =>
      Effect.flatMap(merchantOf("links.create", input), (merchantId) => {
        const route = routes[merchantId]
        const primary = withMerchant("links.create", PaymentLinks, input, (service) => service.create(input))
        const fallback = route?.fallback
        const fromPrimary = Effect.map(primary, (link) => stampLink(merchantId, "primary", link))
        if (fallback === undefined) return fromPrimary
        return fromPrimary.pipe(
          Effect.catchIf(provesNothingHappened, (first) =>
            build(merchantId, "links.create", fallback).pipe(
              Effect.flatMap((services) => Context.get(services, PaymentLinks).create(input)),
              Effect.tap(() =>
                Effect.logWarning("link created on the fallback provider").pipe(
                  Effect.annotateLogs({ merchant: merchantId, primaryFailure: first.reason._tag })
                )
              ),
              Effect.map((link) => stampLink(merchantId, "fallback", link)),
              Effect.mapError(stampError(merchantId))
            )
          )
        )
      })

    // The router's services dispatch without validating: the merchant's provider validates (once),
    // and an operation it lacks is reported as Unsupported whatever the input.
    const links: PaymentLinksService = {
      provider: providerInfo,
      create: createLink,
      get: (id) =>
        Effect.flatMap(lookup("links.get", id), ({ routed, links }) =>
          links.get(routed.id).pipe(
            Effect.map((link) => stampLink(routed.merchantId, routed.route, link)),
            Effect.mapError(stampError(routed.merchantId))
          )
        ),
      disable: (id) =>
        Effect.flatMap(lookup("links.disable", id), ({ routed, links }) =>
          links.disable(routed.id).pipe(
            Effect.map((link) => stampLink(routed.merchantId, routed.route, link)),
            Effect.mapError(stampError(routed.merchantId))
          )
        )
    }

    const webhooks: WebhooksService = {
      provider: providerInfo,
      replies: defaultReplies,
      // Per merchant: a reconciler asks the merchant's provider (`servicesFor`).
      eventsOf: () => [],
      verify: (notification: RawNotification) =>
        notification.merchantId === undefined
          ? Effect.fail(
              new PaymentError({
                provider: "router",
                operation: "webhooks.verify",
                reason: new WebhookRejected({ detail: "the notification names no merchant" })
              })
            )
          : Effect.flatMap(
              // Without a provider named, the primary's.
              notification.provider === undefined
                ? Effect.map(
                    servicesFor(notification.merchantId, "webhooks.verify"),
                    (services) => Context.get(services, Provider.Provider).name
                  )
                : Effect.succeed(notification.provider),
              (provider) => verifyRouted({ ...notification, merchantId: notification.merchantId!, provider })
            ).pipe(Effect.mapError(stampError(notification.merchantId)))
    }

    return Context.empty().pipe(
      Context.add(Provider.Provider, providerInfo),
      Context.add(PaymentLinks, links),
      Context.add(Charges, {
        provider: providerInfo,
        create: (input) =>
          withMerchant("charges.create", Charges, input, (service, merchantId) =>
            Effect.map(service.create(input), (charge) => ({ ...charge, merchantId }))
          )
      }),
      Context.add(PaymentOrders, {
        provider: providerInfo,
        create: (input) =>
          withMerchant("orders.create", PaymentOrders, input, (service, merchantId) =>
            Effect.map(service.create(input), (order) => ({ ...order, merchantId }))
          )
      }),
      Context.add(GiftCards, {
        provider: providerInfo,
        create: (input) =>
          withMerchant("giftCards.create", GiftCards, input, (service, merchantId) =>
            Effect.map(service.create(input), (card) => ({ ...card, merchantId }))
          )
      }),
      Context.add(Webhooks, webhooks),
      Context.add(Router, {
        merchants: Object.keys(routes),
        servicesFor: (merchantId, provider) => servicesFor(merchantId, "webhooks.verify", provider),
        routesFor: (merchantId, provider) => routesFor(merchantId, "webhooks.verify", provider),
        verify: (notification) => verifyRouted(notification).pipe(Effect.mapError(stampError(notification.merchantId))),
        servicesForId: (routedId) =>
          Option.match(RoutedId.decode(routedId), {
            onNone: () =>
              Effect.fail(
                new PaymentError({
                  provider: "router",
                  operation: "links.get",
                  reason: new NotFound({ detail: `"${routedId.slice(0, 80)}" is not a link id this router issued` })
                })
              ),
            onSome: (id) => Effect.map(servicesOfRoute("links.get", id), (services) => ({ id, services }))
          })
      })
    )
  })

/** The router as a layer providing the neutral services (and `Router`). */
export const layer = <E, R>(routes: Readonly<Record<string, Route<E, R>>>) => Layer.scopedContext(make(routes))

/** A start-up failure in words: provider errors and config errors carry their own readable messages. */
const describeFailure = (failure: unknown): string =>
  failure instanceof PaymentError
    ? failure.reason.description
    : failure instanceof Error
      ? failure.message
      : String(failure)
