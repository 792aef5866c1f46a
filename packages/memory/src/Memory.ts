/**
 * The in-memory provider: every Pasarela service with realistic behaviour and no HTTP, plus
 * `MemoryControl` to play the payer, the clock and the gateway in your own tests.
 *
 * ```ts
 * const program = Effect.gen(function* () {
 *   const link = yield* (yield* PaymentLinks).create({ reference: "BK-1", description: "2 nights", amount })
 *   yield* (yield* MemoryControl).payLink(link.id)
 * })
 * program.pipe(Effect.provide(Memory.layer()))
 * ```
 */
import {
  Charges,
  Fields,
  GiftCards,
  PaymentError,
  type PaymentEvent,
  PaymentLinks,
  PaymentOrders,
  Provider,
  type RawNotification,
  Webhooks
} from "@pasarela/core"
import * as Clock from "effect/Clock"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as PubSub from "effect/PubSub"
import * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as Store from "./internal/Store.js"
import { MemoryControl, type MemoryControlService } from "./MemoryControl.js"
import * as Notification from "./Notification.js"

export interface Options {
  /**
   * Signs the notifications (HMAC-SHA256). Default: `defaultWebhookSecret`, which is published:
   * fine in your tests, never where a notification can come from outside.
   */
  readonly webhookSecret?: Redacted.Redacted<string>
  /**
   * Whether `webhooks.verify` accepts notifications at all. Default true. `false` refuses every one
   * (`WebhookRejected`): what a configuration gets for a memory merchant with no secret of its own,
   * so no one can sign "payments" with the published default.
   */
  readonly acceptNotifications?: boolean
  /** The merchant (hotel) this provider serves: stamped on results, events and errors. */
  readonly merchantId?: string
  /** Prepended to every id (`h1-lnk_1`), to tell several memory providers apart. */
  readonly idPrefix?: string
  /** The operations to support (default: all). A subset simulates a provider that lacks some. */
  readonly capabilities?: Iterable<Provider.Operation>
  /** Base of the link, checkout and voucher URLs. Default `https://pay.memory.test`. */
  readonly baseUrl?: string
}

/** The secret notifications are signed with when none is given. For tests only, like everything here. */
export const defaultWebhookSecret: Redacted.Redacted<string> = Redacted.make("memory-test-webhook-secret")

export const defaultBaseUrl = "https://pay.memory.test"

/** Every service `layer` provides. */
export type Services = Provider.Provider | PaymentLinks | Charges | PaymentOrders | GiftCards | Webhooks | MemoryControl

/** The scheduler never sleeps longer than this at once: Node's timers cannot (about 24.8 days). */
const MAX_SLEEP_MILLIS = 2 ** 31 - 1

const configurationError = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  PaymentError.configurationError("memory", issues)

const isMerchantId = Schema.is(Fields.Text(64))

/**
 * Checks the options, reporting every problem in one `Configuration` error (what `layer` does
 * when it is built; configuration files are checked with it at start-up).
 */
export const resolve = (options: Options): Either.Either<unknown, PaymentError.PaymentError> => settingsOf(options)

const settingsOf = (options: Options): Either.Either<Store.Settings, PaymentError.PaymentError> => {
  const issues: Array<{ path: string; message: string }> = []
  let baseUrl = defaultBaseUrl
  if (options.baseUrl !== undefined) {
    try {
      const url = new URL(options.baseUrl)
      if (url.protocol !== "https:" && url.protocol !== "http:")
        issues.push({ path: "baseUrl", message: "must be http(s)" })
      baseUrl = options.baseUrl.replace(/\/+$/, "")
    } catch {
      issues.push({ path: "baseUrl", message: "must be an absolute URL" })
    }
  }
  const idPrefix = options.idPrefix ?? ""
  if (!/^[A-Za-z0-9_-]{0,32}$/.test(idPrefix)) {
    issues.push({ path: "idPrefix", message: "must be at most 32 letters, digits, _ or -" })
  }
  if (options.merchantId !== undefined && !isMerchantId(options.merchantId)) {
    issues.push({ path: "merchantId", message: "must be 1 to 64 printable characters" })
  }
  const capabilities = options.capabilities === undefined ? Provider.allOperations : Array.from(options.capabilities)
  for (const operation of capabilities) {
    if (!Provider.allOperations.includes(operation)) {
      issues.push({ path: "capabilities", message: `unknown operation "${String(operation).slice(0, 40)}"` })
    }
  }
  const webhookSecret = options.webhookSecret ?? defaultWebhookSecret
  const secret = Fields.secretText(webhookSecret)
  if (Either.isLeft(secret)) issues.push({ path: "webhookSecret", message: secret.left })
  else if (secret.right.length === 0) issues.push({ path: "webhookSecret", message: "must not be empty" })
  if (issues.length > 0) return Either.left(configurationError(issues))
  return Either.right({
    provider: Provider.make({ name: "memory", displayName: "Memory", capabilities }),
    webhookSecret,
    merchantId: options.merchantId,
    idPrefix,
    baseUrl
  })
}

/** The services, built in a scope (the expiry scheduler runs until the scope closes). */
export interface MemoryProvider {
  readonly provider: Provider.ProviderInfo
  readonly links: PaymentLinks["Type"]
  readonly charges: Charges["Type"]
  readonly orders: PaymentOrders["Type"]
  readonly giftCards: GiftCards["Type"]
  readonly webhooks: Webhooks["Type"]
  readonly control: MemoryControlService
}

export const make = (options: Options = {}): Effect.Effect<MemoryProvider, PaymentError.PaymentError, Scope.Scope> =>
  Effect.gen(function* () {
    const settings = yield* settingsOf(options)
    const eventQueue = yield* Queue.unbounded<PaymentEvent.PaymentEvent>()
    const eventHub = yield* PubSub.unbounded<PaymentEvent.PaymentEvent>()
    const notificationQueue = yield* Queue.unbounded<RawNotification>()
    const notificationHub = yield* PubSub.unbounded<RawNotification>()
    // Streams of a closed provider end instead of waiting forever.
    yield* Effect.addFinalizer(() => Effect.zipRight(PubSub.shutdown(eventHub), PubSub.shutdown(notificationHub)))
    const wakeup = yield* Queue.sliding<void>(1)
    const state = yield* SynchronizedRef.make(Store.make(settings))

    const publish = (step: Store.Step<unknown, unknown>) =>
      Effect.sync(() => {
        for (const { event, notification } of step.emitted) {
          eventQueue.unsafeOffer(event)
          eventHub.unsafeOffer(event)
          notificationQueue.unsafeOffer(notification)
          notificationHub.unsafeOffer(notification)
        }
        if (step.wake) wakeup.unsafeOffer(undefined)
      })
    /**
     * Applies `transition` at the current time, after every expiry that time has reached, and
     * publishes what it emitted before the next transition starts, so emissions keep their order.
     */
    const at = <A, E>(transition: (state: Store.State, now: number) => Store.Step<A, E>): Effect.Effect<A, E> =>
      Effect.flatMap(
        SynchronizedRef.modifyEffect(state, (current) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => {
            const step = Store.andThen(Store.flush(current, now), (flushed) => transition(flushed, now))
            return Effect.as(publish(step), [step.result, step.state] as const)
          })
        ),
        (result) => result
      )
    const observe = <A>(f: (state: Store.State, now: number) => A): Effect.Effect<A> =>
      at((current, now) => Store.step(current, Either.right(f(current, now))))

    // One fiber sleeps until the earliest expiry (woken when an earlier one is added), so TestClock
    // can expire links and thousands of links cost one sleep, not a fiber each.
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.flatMap(
          observe((current, now) => [Store.nextDeadline(current), now] as const),
          ([next, now]) =>
            next === undefined
              ? Queue.take(wakeup)
              : Effect.raceFirst(Effect.sleep(Math.min(next - now, MAX_SLEEP_MILLIS)), Queue.take(wakeup))
        )
      )
    )

    const provider = settings.provider
    const links = PaymentLinks.make(provider, {
      create: (input) => at((current, now) => Store.createLink(current, input, now)),
      get: (lookup) => at((current, now) => Store.getLink(current, lookup.id, now)),
      disable: (lookup) => at((current, now) => Store.disableLink(current, lookup.id, now)),
      rules: { create: Store.linkRules }
    })
    const charges = Charges.make(provider, {
      create: (input) => at((current, now) => Store.createCharge(current, input, now)),
      rules: { create: Store.chargeRules }
    })
    const orders = PaymentOrders.make(provider, {
      create: (input) => at((current) => Store.createOrder(current, input)),
      rules: { create: Store.optionRules }
    })
    const giftCards = GiftCards.make(provider, {
      create: (input) => at((current, now) => Store.createGiftCard(current, input, now)),
      rules: { create: Store.optionRules }
    })
    const verify = options.acceptNotifications === false ? Notification.refuseAll : Notification.verify
    const webhooks = Webhooks.make(provider, {
      // Verifying is local work, not a call to the provider: it is not counted as a request.
      verify: (notification) =>
        at((current) =>
          Store.request(
            current,
            "webhooks.verify",
            notification.merchantId ?? settings.merchantId,
            (checked) => Store.step(checked, verify(settings.webhookSecret, notification)),
            { counts: false }
          )
        )
    })

    // Every expiry due by now is emitted before a take looks at the queue.
    const flushed = observe(() => undefined)
    const payLink: MemoryControlService["payLink"] = (id, payOptions) =>
      at((current, now) => Store.payLink(current, id, payOptions ?? {}, now))
    const control: MemoryControlService = {
      payLink,
      declineLink: (id, reason) =>
        payLink(id, reason === undefined ? { outcome: "declined" } : { outcome: "declined", reason }),
      expireLink: (id) => at((current, now) => Store.expireLink(current, id, now)),
      settleCharge: (id) => at((current, now) => Store.settleCharge(current, id, now)),
      payOrder: (id, outcome) => at((current, now) => Store.payOrder(current, id, outcome ?? "approved", now)),
      failNext: (operation, reason) =>
        SynchronizedRef.update(state, (current) => Store.failNext(current, operation, reason)),
      events: Stream.fromPubSub(eventHub),
      subscribe: PubSub.subscribe(eventHub),
      takeEvent: Effect.zipRight(flushed, Queue.take(eventQueue)),
      eventsSoFar: observe(Store.events),
      notifications: Stream.fromPubSub(notificationHub),
      takeNotification: Effect.zipRight(flushed, Queue.take(notificationQueue)),
      notificationsSoFar: observe(Store.notifications),
      redeliver: (notificationId) => at((current) => Store.redeliver(current, notificationId)),
      requestCount: Effect.map(SynchronizedRef.get(state), (current) => current.requests),
      links: observe(Store.allLinks),
      charges: observe(Store.allCharges),
      orders: observe(Store.allOrders),
      giftCards: observe(Store.allGiftCards)
    }
    return { provider, links, charges, orders, giftCards, webhooks, control }
  })

/** Every service of the memory provider, and `MemoryControl`, for one scope (one test, say). */
export const layer = (options: Options = {}): Layer.Layer<Services, PaymentError.PaymentError> =>
  Layer.scopedContext(
    Effect.map(make(options), (memory) =>
      Context.make(Provider.Provider, memory.provider).pipe(
        Context.add(PaymentLinks, memory.links),
        Context.add(Charges, memory.charges),
        Context.add(PaymentOrders, memory.orders),
        Context.add(GiftCards, memory.giftCards),
        Context.add(Webhooks, memory.webhooks),
        Context.add(MemoryControl, memory.control)
      )
    )
  )

/** `layer` with its options read from `Config` (use `Config.redacted` for the webhook secret). */
export const layerConfig = (config: Config.Config<Options>): Layer.Layer<Services, PaymentError.PaymentError> =>
  Layer.unwrapEffect(
    config.pipe(
      Effect.mapError((error) => configurationError([{ path: "", message: String(error) }])),
      Effect.map(layer)
    )
  )
