/** Running a command against the configured merchants. */
import type { PaymentError } from "@pasarela/core"
import { readConfigFile, UndiciHttpClient } from "@pasarela/node"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Pasarela } from "pasarela"
import * as ConfigFile from "./ConfigFile.js"

/** Runs `effect` with Pasarela built from the configuration (the file's parsed content). */
export const withPasarela = <A, R>(
  settings: unknown,
  effect: Effect.Effect<A, PaymentError.PaymentError, R | Pasarela.Services>
): Effect.Effect<A, PaymentError.PaymentError, Exclude<R, Pasarela.Services>> =>
  Effect.provide(effect, Pasarela.layer(settings, { httpClient: UndiciHttpClient.layer })) as Effect.Effect<
    A,
    PaymentError.PaymentError,
    Exclude<R, Pasarela.Services>
  >

/**
 * Runs `effect` for one merchant: the whole file is checked, but only that merchant's secrets are
 * needed. Without a merchant (an id that names none), the router reports what is wrong.
 */
export const forMerchant = <A, R>(
  configPath: string,
  merchantId: string | Option.Option<string>,
  effect: Effect.Effect<A, PaymentError.PaymentError, R | Pasarela.Services>
): Effect.Effect<A, PaymentError.PaymentError, Exclude<R, Pasarela.Services>> =>
  Effect.gen(function* () {
    const settings = yield* readConfigFile(configPath)
    const merchant = typeof merchantId === "string" ? merchantId : Option.getOrUndefined(merchantId)
    return yield* withPasarela(
      merchant === undefined ? settings : yield* ConfigFile.forMerchant(settings, merchant),
      effect
    )
  })
