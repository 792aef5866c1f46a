/** A command for one merchant checks the whole configuration but needs only that merchant's secrets. */
import { Configuration, FieldIssue, PaymentError } from "@pasarela/core"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { Providers, Setup } from "pasarela"

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Where each provider entry of a merchant names its secrets: the merchant itself and its fallback. */
const secretPaths = (merchantId: string, entry: unknown) =>
  [
    [`merchants.${merchantId}`, entry],
    [`merchants.${merchantId}.fallback`, isObject(entry) ? entry.fallback : undefined]
  ].flatMap(([path, value]) => {
    const secrets = isObject(value) ? value.secrets : undefined
    return isObject(secrets)
      ? Object.entries(secrets).flatMap(([name, variable]) =>
          typeof variable === "string" ? [{ path: `${path}.secrets.${name}`, variable }] : []
        )
      : []
  })

/**
 * The configuration reduced to `merchantId`, once the whole file is checked: every problem is
 * reported except another merchant's secret whose environment variable is not set, so a command
 * for one hotel runs with only that hotel's secrets. An unknown merchant lists the configured ones.
 */
export const forMerchant = (settings: unknown, merchantId: string): Effect.Effect<unknown, PaymentError> =>
  Effect.gen(function* () {
    const merchants = isObject(settings) && isObject(settings.merchants) ? settings.merchants : undefined
    if (merchants !== undefined && !Object.hasOwn(merchants, merchantId)) {
      const configured = Object.keys(merchants)
      return yield* Effect.fail(
        new PaymentError({
          provider: "cli",
          operation: "configure",
          reason: new Configuration({
            issues: [
              new FieldIssue({
                path: "merchant",
                message: `no merchant "${merchantId}" is configured (configured: ${configured.length === 0 ? "none" : configured.join(", ")})`
              })
            ]
          })
        })
      )
    }
    const others = Object.entries(merchants ?? {}).filter(([id]) => id !== merchantId)
    const unset = new Set<string>()
    for (const { path, variable } of others.flatMap(([id, entry]) => secretPaths(id, entry))) {
      if (Either.isLeft(yield* Effect.either(Config.string(variable)))) unset.add(path)
    }
    const checked = yield* Effect.either(Setup.routes(settings, Providers.builtIn))
    if (Either.isLeft(checked)) {
      const { reason } = checked.left
      if (reason._tag !== "Configuration") return yield* Effect.fail(checked.left)
      const issues = reason.issues.filter((issue) => !unset.has(issue.path))
      if (issues.length > 0) {
        return yield* Effect.fail(new PaymentError({ ...checked.left, reason: new Configuration({ issues }) }))
      }
    }
    return { ...(settings as Record<string, unknown>), merchants: { [merchantId]: merchants?.[merchantId] } }
  })
