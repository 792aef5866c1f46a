/**
 * The Promise API, for apps that do not use Effect:
 *
 * ```ts
 * const pasarela = await createPasarela(config, { onEvent: async (event) => { … } })
 * const link = await pasarela.links.create({ merchantId: "hotel-bogota", reference: "BK-1", … })
 * server.on("request", …pasarela.webhooks.handle…)
 * await pasarela.close()
 * ```
 *
 * Every method rejects with the same typed `PaymentError` the Effect API fails with, and takes
 * `{ timeout, signal }` as its last argument.
 */

import type { Autocore } from "@pasarela/autocore"
import {
  CallOptions,
  type Charge,
  Charges,
  type GiftCard,
  GiftCards,
  type PaymentError,
  type PaymentEvent,
  type PaymentLink,
  PaymentLinks,
  type PaymentOrder,
  PaymentOrders,
  type ProviderHttp,
  type RawNotification,
  Validation,
  Webhooks
} from "@pasarela/core"
import * as Cause from "effect/Cause"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Option from "effect/Option"
import type { PasarelaConfigInput } from "./Config.js"
import type * as EventHandler from "./EventHandler.js"
import * as Hotels from "./Hotels.js"
import * as Observability from "./Observability.js"
import * as Pasarela from "./Pasarela.js"
import * as Setup from "./Setup.js"
import * as WebhookEndpoint from "./WebhookEndpoint.js"

export interface ClientOptions extends Omit<Pasarela.Options, "onEvent">, Observability.Options {
  /** Where secrets' environment variables are read from (default: `process.env`; on workers, pass the bindings). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /**
   * Called once per verified, deduplicated event. A rejection (or running past the handler timeout,
   * when `signal` aborts) is logged and never takes the server down; the event is delivered again —
   * by the gateway (the endpoint answers 500) or, with a durable store, by Pasarela's dispatcher.
   */
  readonly onEvent?: (
    event: PaymentEvent.PaymentEvent,
    context: { readonly signal: AbortSignal }
  ) => void | Promise<void>
  /**
   * The webhook endpoint's options; each wins over the configuration's `webhooks` section (base
   * path by default the path of `webhooks.publicBaseUrl`, else `/webhooks`).
   */
  readonly webhooks?: WebhookEndpoint.Options
}

/**
 * What every method takes last. The call stops when `signal` aborts or `timeout` passes (the whole
 * call, retries included) and rejects with a `PaymentError` saying whether its request may have
 * reached the gateway: `OutcomeUnknown` for a create that was on its way; otherwise nothing
 * changed, and the reason is `Aborted` (the signal) or `Timeout` (the time limit). They take
 * effect at the provider's request: a call that has its answer returns it.
 */
export interface MethodOptions {
  /** `5000` (milliseconds) or `"5 seconds"`. */
  readonly timeout?: Duration.DurationInput
  readonly signal?: AbortSignal
}

export interface PasarelaClient {
  readonly links: {
    readonly create: (
      input: PaymentLink.CreatePaymentLinkInput,
      options?: MethodOptions
    ) => Promise<PaymentLink.PaymentLink>
    readonly get: (id: string, options?: MethodOptions) => Promise<PaymentLink.PaymentLink>
    readonly disable: (id: string, options?: MethodOptions) => Promise<PaymentLink.PaymentLink>
  }
  readonly charges: {
    readonly create: (input: Charge.CreateChargeInput, options?: MethodOptions) => Promise<Charge.Charge>
  }
  readonly orders: {
    readonly create: (
      input: PaymentOrder.CreatePaymentOrderInput,
      options?: MethodOptions
    ) => Promise<PaymentOrder.PaymentOrder>
  }
  readonly giftCards: {
    readonly create: (input: GiftCard.CreateGiftCardInput, options?: MethodOptions) => Promise<GiftCard.GiftCard>
  }
  /** The hotels of an Autocore merchant's account (`Unsupported` for merchants on other gateways). */
  readonly hotels: {
    /** One page: `offset` (default 0) and `limit` 1–100 (default 50). */
    readonly list: (
      merchantId: string,
      page?: { readonly offset?: number; readonly limit?: number },
      options?: MethodOptions
    ) => Promise<Autocore.HotelsPage>
    /** Every hotel of the account, page after page. */
    readonly all: (merchantId: string, options?: MethodOptions) => Promise<ReadonlyArray<Autocore.Hotel>>
  }
  readonly webhooks: {
    /** Web-standard handler for `POST <basePath>/<merchant>/<provider>`. */
    readonly handle: (request: Request) => Promise<Response>
    /** Verifies one raw notification (with its `merchantId`) without deduplicating or handling it. */
    readonly verify: (notification: RawNotification) => Promise<PaymentEvent.PaymentEvent>
  }
  /** Releases connections and anything else the providers hold. */
  readonly close: () => Promise<void>
}

/**
 * Starts Pasarela from configuration (an object, or parsed JSON). Rejects with a `PaymentError`
 * (reason `Configuration`) listing every problem when the configuration is wrong.
 */
export const createPasarela = async (
  config: PasarelaConfigInput,
  options: ClientOptions = {}
): Promise<PasarelaClient> => {
  // Workers have no `process`: there, secrets come from `env` only.
  const env = options.env ?? (typeof process === "undefined" ? {} : process.env)
  const configProvider = ConfigProvider.fromMap(
    new Map(Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as const])))
  )
  const { onEvent, hooks, logger, logLevel, tracer, ...rest } = options
  const handler: EventHandler.Handler | undefined =
    onEvent === undefined ? undefined : (event) => Effect.tryPromise(async (signal) => onEvent(event, { signal }))
  const runtime = ManagedRuntime.make(
    Pasarela.layer(config, handler === undefined ? rest : { ...rest, onEvent: handler }).pipe(
      Layer.provideMerge(Observability.layer({ hooks, logger, logLevel, tracer } as Observability.Options)),
      Layer.provide(Layer.setConfigProvider(configProvider))
    )
  )
  // Failures reject with the PaymentError itself, not a wrapper.
  const run = <A>(
    effect: Effect.Effect<A, PaymentError.PaymentError, Pasarela.Services | ProviderHttp.CurrentHooks>
  ): Promise<A> =>
    runtime.runPromiseExit(effect).then((exit) => {
      if (Exit.isSuccess(exit)) return exit.value
      throw Cause.squash(exit.cause)
    })
  // The configuration is checked when the runtime starts; the endpoint's options with the caller's.
  const endpoint = run(Effect.void).then(() =>
    Either.getOrThrowWith(
      Either.flatMap(Setup.endpointOptions(config), (fromConfig) => {
        const merged: WebhookEndpoint.Options = { ...fromConfig, ...options.webhooks }
        return Either.map(WebhookEndpoint.settings(merged), () => merged)
      }),
      (error) => error
    )
  )
  const endpointOptions = await endpoint.catch(async (error: unknown) => {
    await runtime.dispose()
    throw error
  })

  /** Runs `use` of `service` under the method's `{ timeout, signal }`: one signal that either aborts. */
  const call = <S, A>(
    operation: string,
    options: MethodOptions | undefined,
    service: Effect.Effect<S, PaymentError.PaymentError, Pasarela.Services>,
    use: (service: S) => Effect.Effect<A, PaymentError.PaymentError, Pasarela.Services | ProviderHttp.CurrentHooks>
  ): Promise<A> => {
    const effect = Effect.flatMap(service, use)
    if (options?.timeout === undefined && options?.signal === undefined) return run(effect)
    const limit = options.timeout === undefined ? undefined : timeLimitMillis(options.timeout)
    if (limit === null) {
      return Promise.reject(
        Validation.invalid({ provider: "pasarela", operation }, [
          {
            path: "timeout",
            message: 'must be a positive duration up to 24 days (milliseconds, or a string such as "5 seconds")'
          }
        ])
      )
    }
    const controller = new AbortController()
    const timer =
      limit === undefined
        ? undefined
        : setTimeout(() => controller.abort(new CallOptions.CallTimeLimit({ afterMillis: limit })), limit)
    const { signal } = options
    const forward = () => controller.abort(signal?.reason)
    if (signal?.aborted) forward()
    else signal?.addEventListener("abort", forward, { once: true })
    return run(effect.pipe(CallOptions.withSignal(controller.signal))).finally(() => {
      clearTimeout(timer)
      signal?.removeEventListener("abort", forward)
    })
  }

  return {
    links: {
      create: (input, options) => call("links.create", options, PaymentLinks, (links) => links.create(input)),
      get: (id, options) => call("links.get", options, PaymentLinks, (links) => links.get(id)),
      disable: (id, options) => call("links.disable", options, PaymentLinks, (links) => links.disable(id))
    },
    charges: {
      create: (input, options) => call("charges.create", options, Charges, (charges) => charges.create(input))
    },
    orders: {
      create: (input, options) => call("orders.create", options, PaymentOrders, (orders) => orders.create(input))
    },
    giftCards: {
      create: (input, options) => call("giftCards.create", options, GiftCards, (cards) => cards.create(input))
    },
    hotels: {
      list: (merchantId, page, options) =>
        call("hotels.list", options, Hotels.forMerchant(merchantId, "hotels.list"), (hotels) => hotels.list(page)),
      all: (merchantId, options) =>
        call("hotels.all", options, Hotels.forMerchant(merchantId, "hotels.all"), (hotels) => hotels.all)
    },
    webhooks: {
      handle: WebhookEndpoint.toWebHandler(
        <A>(effect: Effect.Effect<A, never, WebhookEndpoint.Requirements>) => run(effect),
        endpointOptions
      ),
      verify: (notification) => run(Effect.flatMap(Webhooks, (webhooks) => webhooks.verify(notification)))
    },
    close: () => runtime.dispose()
  }
}

/** A method's `timeout` in whole milliseconds; `null` when it is not a positive, finite duration. */
const timeLimitMillis = (timeout: Duration.DurationInput): number | null =>
  Option.match(Duration.decodeUnknown(timeout), {
    onNone: () => null,
    onSome: (duration) => {
      const millis = Math.ceil(Duration.toMillis(duration))
      return Number.isFinite(millis) && millis > 0 && millis <= 2 ** 31 - 1 ? millis : null
    }
  })
