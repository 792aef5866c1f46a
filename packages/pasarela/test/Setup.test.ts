import { describe, expect, it } from "@effect/vitest"
import { Configuration } from "@pasarela/core"
import { ConfigProvider, Effect, Layer } from "effect"
import { Pasarela } from "pasarela"

const build = (config: unknown, env: Record<string, string> = {}) =>
  Layer.build(Pasarela.layer(config)).pipe(
    Effect.scoped,
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

describe("configuration", () => {
  it.effect("reports every problem at once", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        build({
          merchants: {
            "hotel bogota": { provider: "memory" },
            lima: { provider: "stripe" },
            cusco: { provider: "memory", options: { webhookSecret: "in the file!" } },
            quito: { provider: "memory", secrets: { webhookSecret: "QUITO_SECRET", apiKey: "X" } },
            cali: { provider: "memory", options: { colour: "red" }, fallback: { provider: "nope" } }
          }
        })
      )
      expect(error.reason).toBeInstanceOf(Configuration)
      const issues = error.reason._tag === "Configuration" ? error.reason.issues : []
      expect(issues.map((i) => i.path)).toEqual(["merchants.hotel bogota"])
      // The merchant id problem stops decoding; the rest are reported once the ids are right.
      const second = yield* Effect.flip(
        build({
          merchants: {
            lima: { provider: "stripe" },
            cusco: { provider: "memory", options: { webhookSecret: "in the file!" } },
            quito: { provider: "memory", secrets: { webhookSecret: "QUITO_SECRET", apiKey: "X" } },
            cali: { provider: "memory", options: { colour: "red" }, fallback: { provider: "nope" } }
          }
        })
      )
      const messages =
        second.reason._tag === "Configuration" ? second.reason.issues.map((i) => `${i.path}: ${i.message}`) : []
      expect(messages).toEqual([
        'merchants.lima.provider: unknown provider "stripe" (known: memory, placetopay, autocore)',
        'merchants.cusco.options.webhookSecret: is a secret: name the environment variable that holds it under "secrets" instead',
        "merchants.quito.secrets.webhookSecret: environment variable QUITO_SECRET is not set",
        "merchants.quito.secrets.apiKey: is not a secret of memory (its secrets: webhookSecret)",
        "merchants.cali.options.colour: is not a known field",
        'merchants.cali.fallback.provider: unknown provider "nope" (known: memory, placetopay, autocore)'
      ])
      expect(second.message).not.toContain("in the file!")
    })
  )

  it.effect("checks each provider's options at start-up, though providers start on first use", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        build(
          {
            merchants: {
              bogota: {
                provider: "placetopay",
                options: {
                  login: "site",
                  baseUrl: "http://example.com",
                  timeZone: "Mars/Olympus",
                  retry: { maxAttempts: 2 }
                },
                secrets: { secretKey: "BOGOTA_SECRET" }
              },
              cartagena: {
                provider: "autocore",
                options: { accessKey: "AK", baseUrl: "development", hotelId: 5 },
                secrets: { secretKey: "CARTAGENA_SECRET", webhookSecret: "CARTAGENA_WEBHOOK" }
              }
            }
          },
          { BOGOTA_SECRET: "s", CARTAGENA_SECRET: "s", CARTAGENA_WEBHOOK: "short" }
        )
      )
      const paths = error.reason._tag === "Configuration" ? error.reason.issues.map((i) => i.path) : []
      expect(paths).toEqual(
        expect.arrayContaining([
          "merchants.bogota.options.baseUrl",
          "merchants.bogota.options.timeZone",
          "merchants.cartagena.secrets.webhookSecret"
        ])
      )
      expect(error.message).not.toContain("short")
    })
  )

  it.effect("reads secrets from the environment variables the file names", () =>
    Effect.gen(function* () {
      const context = yield* build(
        { merchants: { quito: { provider: "memory", secrets: { webhookSecret: "QUITO_SECRET" } } } },
        { QUITO_SECRET: "s3cret" }
      )
      expect(context).toBeDefined()
    })
  )
})
