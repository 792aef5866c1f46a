/** A command for one merchant checks the whole configuration but needs only that merchant's secrets. */
import { PaymentError } from "@pasarela/core"
import * as Effect from "effect/Effect"
import { Providers, Setup } from "pasarela"

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The configuration reduced to `merchantId`, once the whole file is checked: every problem is
 * reported except another merchant's secret whose environment variable is not set, so a command
 * for one hotel runs with only that hotel's secrets. An unknown merchant lists the configured ones.
 */
export const forMerchant = (settings: unknown, merchantId: string): Effect.Effect<unknown, PaymentError.PaymentError> =>
  Effect.gen(function* () {
    const merchants = isObject(settings) && isObject(settings.merchants) ? settings.merchants : undefined
    if (merchants !== undefined && !Object.hasOwn(merchants, merchantId)) {
      const configured = Object.keys(merchants)
      return yield* Effect.fail(
        PaymentError.configurationError("cli", [
          {
            path: "merchant",
            message: `no merchant "${merchantId}" is configured (configured: ${configured.length === 0 ? "none" : configured.join(", ")})`
          }
        ])
      )
    }
    yield* Setup.routes(settings, Providers.builtIn, { secretsFor: merchantId })
    return { ...(settings as Record<string, unknown>), merchants: { [merchantId]: merchants?.[merchantId] } }
  })
