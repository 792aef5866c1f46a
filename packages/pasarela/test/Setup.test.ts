import { describe, expect, it } from "@effect/vitest"
import { PaymentError, Webhooks } from "@pasarela/core"
import { MemoryNotification } from "@pasarela/memory"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { Pasarela, Providers, Registry, Setup } from "pasarela"

const build = (config: unknown, env: Record<string, string> = {}) =>
  Layer.build(Pasarela.layer(config)).pipe(
    Effect.scoped,
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

const issuesOf = (error: { readonly reason: { readonly _tag: string } }) =>
  error.reason instanceof PaymentError.Configuration ? error.reason.issues.map((i) => `${i.path}: ${i.message}`) : []

describe("configuration", () => {
  it.effect("reports every problem at once: a bad merchant id hides nothing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        build({
          merchants: {
            "hotel bogota": { provider: "memory" },
            lima: { provider: "stripe" },
            cusco: { provider: "memory", options: { webhookSecret: "in the file!" } },
            quito: { provider: "memory", secrets: { webhookSecret: "QUITO_SECRET", apiKey: "X" } },
            cali: { provider: "memory", options: { colour: "red" }, fallback: { provider: "nope" } },
            tacna: { provider: "memory", secrets: { webhookSecret: "s3cr3t" } }
          }
        })
      )
      expect(error.reason).toBeInstanceOf(PaymentError.Configuration)
      expect(issuesOf(error)).toEqual([
        "merchants.hotel bogota: is not a usable merchant id: use 1 to 64 letters, digits, dots, dashes or underscores",
        'merchants.lima.provider: unknown provider "stripe" (known: memory, placetopay, autocore)',
        'merchants.cusco.options.webhookSecret: is a secret: name the environment variable that holds it under "secrets" instead',
        "merchants.quito.secrets.webhookSecret: names an environment variable that is not set (QU**********, 12 characters): write the variable's name here, and the secret in that variable",
        "merchants.quito.secrets.apiKey: is not a secret of memory (its secrets: webhookSecret)",
        "merchants.cali.options.colour: is not a known option of memory (known: idPrefix, baseUrl, testWebhooks)",
        'merchants.cali.fallback.provider: unknown provider "nope" (known: memory, placetopay, autocore)',
        // Short enough to be the secret itself: nothing of it is shown.
        "merchants.tacna.secrets.webhookSecret: names an environment variable that is not set (******, 6 characters): write the variable's name here, and the secret in that variable"
      ])
      expect(error.message).not.toContain("in the file!")
      expect(error.message).not.toContain("s3cr3t")
    })
  )

  it.effect("speaks the file's terms, never Effect's, and never echoes what may be a secret", () =>
    Effect.gen(function* () {
      const pasted = "sk_live_0123456789abcdef"
      const error = yield* Effect.flip(
        build(
          {
            merchants: {
              bogota: {
                provider: "placetopay",
                // The secret written inline in options, and another pasted where its variable's name goes.
                options: { login: "5d9a", baseUrl: "http://example.com", secretKey: "inline-secret-value" },
                secrets: { secretKey: pasted }
              },
              cartagena: {
                provider: "autocore",
                options: {
                  accessKey: "AK",
                  baseUrl: "development",
                  hotelId: "5",
                  tranKeyAlgorithm: "sha1",
                  retry: { maxAttempts: 2.5, backoff: 1 }
                },
                secrets: {
                  secretKey: "CARTAGENA_SECRET",
                  webhookSecret: "CARTAGENA_WEBHOOK",
                  cardEncryptionKey: "a key!"
                },
                fallback: {
                  provider: "placetopay",
                  options: { login: "9f21", baseUrl: "test", tranKeyAlgorithm: "md5" }
                }
              },
              lima: "memory"
            },
            webhooks: { publicBaseUrl: "http://hotel.example/webhooks" },
            webhook: {}
          },
          { CARTAGENA_SECRET: "s", CARTAGENA_WEBHOOK: "short" }
        )
      )
      expect(issuesOf(error)).toEqual([
        "webhook: is not a known setting (known: webhooks, store, events, reconcile, merchants)",
        "webhooks.publicBaseUrl: must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)",
        'merchants.bogota.options.secretKey: is a secret: name the environment variable that holds it under "secrets" instead',
        "merchants.bogota.options.baseUrl: must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)",
        "merchants.bogota.secrets.secretKey: names an environment variable that is not set (sk**********…, 24 characters): write the variable's name here, and the secret in that variable",
        "merchants.cartagena.options.tranKeyAlgorithm: is not a known option of autocore (known: accessKey, baseUrl, hotelId, source, currency, sendCurrency, notificationUrl, timeout, retry, timeZone, webhookTokenLifetime)",
        "merchants.cartagena.options.hotelId: must be a number",
        "merchants.cartagena.options.retry.backoff: is not a known option of autocore (known: maxAttempts, baseDelay, maxRetryAfter)",
        "merchants.cartagena.options.retry.maxAttempts: must be a whole number",
        "merchants.cartagena.secrets.cardEncryptionKey: must be the name of an environment variable, such as MY_SECRET (letters, digits, underscores): the secret itself goes in that variable, never in this file",
        "merchants.cartagena.secrets.webhookSecret: the secret in CARTAGENA_WEBHOOK must be at least 16 characters",
        'merchants.cartagena.fallback.options.tranKeyAlgorithm: must be one of "sha256", "sha1"',
        "merchants.cartagena.fallback.secrets.secretKey: is required: name the environment variable that holds placetopay's secretKey",
        'merchants.lima: must be an object such as { "provider": "placetopay", "options": { … }, "secrets": { … } }, not text'
      ])
      for (const leak of [pasted, "inline-secret-value", "a key!", "short", "Redacted", "expected"]) {
        expect(error.message).not.toContain(leak)
      }
    })
  )

  it.effect(
    "durations in a file: text or milliseconds, as the adapters take them; refused with the adapter's rule",
    () =>
      Effect.gen(function* () {
        const env = { BOGOTA_SECRET: "bogota-secret", CARTAGENA_SECRET: "s", CARTAGENA_WEBHOOK: "w".repeat(16) }
        const config = (placetopay: object, autocore: object) => ({
          merchants: {
            bogota: {
              provider: "placetopay",
              options: { login: "5d9a", baseUrl: "test", ...placetopay },
              secrets: { secretKey: "BOGOTA_SECRET" }
            },
            cartagena: {
              provider: "autocore",
              options: { accessKey: "AK", baseUrl: "development", hotelId: 5, ...autocore },
              secrets: { secretKey: "CARTAGENA_SECRET", webhookSecret: "CARTAGENA_WEBHOOK" }
            }
          }
        })
        yield* build(
          config(
            { timeout: "5 seconds", defaultLinkLifetime: 3_600_000, retry: { baseDelay: "0 millis" } },
            { timeout: 20_000, webhookTokenLifetime: "2 days" }
          ),
          env
        )
        const decoded = Schema.decodeUnknownSync(Providers.placetopay.options)({
          login: "5d9a",
          baseUrl: "test",
          timeout: "5 seconds",
          defaultLinkLifetime: 3_600_000
        }) as { readonly timeout: Duration.Duration; readonly defaultLinkLifetime: Duration.Duration }
        expect([Duration.toMillis(decoded.timeout), Duration.toMillis(decoded.defaultLinkLifetime)]).toEqual([
          5_000, 3_600_000
        ])
        const error = yield* Effect.flip(
          build(
            config({ timeout: "soon" }, { webhookTokenLifetime: "30 minutes", retry: { maxRetryAfter: true } }),
            env
          )
        )
        expect(issuesOf(error)).toEqual([
          'merchants.bogota.options.timeout: must be a positive duration such as "30 seconds"',
          'merchants.cartagena.options.retry.maxRetryAfter: must be a finite duration such as "100 millis" (0 for none)',
          'merchants.cartagena.options.webhookTokenLifetime: must be a finite duration of at least 1 hour, such as "30 days"'
        ])
      })
  )

  it.effect("an unset secret of any provider is a Configuration error naming the setting, never a crash", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        build({
          merchants: {
            cartagena: {
              provider: "autocore",
              options: { accessKey: "AK", baseUrl: "development", hotelId: 5 },
              secrets: { secretKey: "CARTAGENA_AUTOCORE_SECRET", webhookSecret: "CARTAGENA_WEBHOOK_SECRET" }
            },
            bogota: {
              provider: "placetopay",
              options: { login: "5d9a", baseUrl: "test" },
              secrets: { secretKey: "BOGOTA_PLACETOPAY_SECRET" }
            }
          }
        })
      )
      expect(exit._tag).toBe("Failure")
      const error = yield* Effect.flip(exit)
      expect(error.reason._tag).toBe("Configuration")
      expect(issuesOf(error).map((issue) => issue.split(": ")[0])).toEqual([
        "merchants.cartagena.secrets.secretKey",
        "merchants.cartagena.secrets.webhookSecret",
        "merchants.bogota.secrets.secretKey"
      ])
    })
  )

  it.effect("reads every duration in the file one way: positive, as Effect reads it, or reported", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        build({
          merchants: { bogota: { provider: "memory", options: { testWebhooks: true } } },
          webhooks: { bodyTimeout: "soon" },
          // Each once read as a duration only when used, where a near miss crashed or spun.
          events: { pollInterval: "1second", retryBase: " 5 seconds", lease: "2 minutes" },
          reconcile: { interval: "0 seconds" }
        })
      )
      expect(issuesOf(error)).toEqual([
        'webhooks.bodyTimeout: must be a positive duration such as "30 seconds"',
        'events.pollInterval: must be a positive duration such as "30 seconds"',
        'events.retryBase: must be a positive duration such as "30 seconds"',
        "reconcile: must be false",
        'reconcile.interval: must be a positive duration such as "30 seconds"'
      ])
      const durability = yield* Setup.durability({
        merchants: { bogota: { provider: "memory" } },
        webhooks: { handlerTimeout: "3 seconds" },
        events: { lease: "2 minutes" },
        reconcile: { interval: "90 seconds" }
      })
      expect(Duration.toMillis(durability.events.handlerTimeout ?? 0)).toBe(3000)
      expect(Duration.toMillis(durability.events.lease ?? 0)).toBe(120_000)
      expect(Duration.toMillis(durability.reconcileEvery ?? 0)).toBe(90_000)
    })
  )

  it.effect("checks the memory provider's options at start-up too", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        build({ merchants: { lima: { provider: "memory", options: { idPrefix: "no spaces", baseUrl: "ftp://x" } } } })
      )
      expect(issuesOf(error)).toEqual([
        "merchants.lima.options.baseUrl: must be http(s)",
        "merchants.lima.options.idPrefix: must be at most 32 letters, digits, _ or -"
      ])
    })
  )

  it.effect("the whole file: not an object, no merchants, an empty list", () =>
    Effect.gen(function* () {
      expect(issuesOf(yield* Effect.flip(build("nonsense")))).toEqual([
        '(the configuration): must be an object such as { "merchants": { "hotel-bogota": { … } } }, not text'
      ])
      expect(issuesOf(yield* Effect.flip(build({})))).toEqual([
        'merchants: is required: one entry per hotel, such as { "hotel-bogota": { "provider": "placetopay", "options": { … }, "secrets": { … } } }'
      ])
      expect(issuesOf(yield* Effect.flip(build({ merchants: [] })))).toEqual([
        "merchants: must be an object with one entry per hotel (merchant id → settings), not a list"
      ])
      expect(issuesOf(yield* Effect.flip(build({ merchants: {} })))).toEqual([
        "merchants: must list at least one merchant"
      ])
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
      // Exactly these: one provider's problems never hide or repeat another's.
      expect(issuesOf(error)).toEqual([
        "merchants.bogota.options.baseUrl: must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)",
        "merchants.bogota.options.timeZone: must be an IANA time zone such as America/Bogota",
        "merchants.cartagena.secrets.webhookSecret: the secret in CARTAGENA_WEBHOOK must be at least 16 characters"
      ])
      expect(error.message).not.toContain("short")
    })
  )

  it.effect("reads secrets from the environment variables the file names", () =>
    Effect.gen(function* () {
      const context = yield* build(
        { merchants: { quito: { provider: "memory", secrets: { webhookSecret: "QUITO_SECRET" } } } },
        { QUITO_SECRET: "s3cret-for-quito" }
      )
      const webhooks = Context.get(context, Webhooks)
      const notification = (secret: string) => ({
        merchantId: "quito",
        provider: "memory",
        body: JSON.stringify(
          MemoryNotification.signed(Redacted.make(secret), {
            id: "evt-1",
            type: "payment.approved",
            subject: { kind: "link", id: "lnk_1" },
            reference: "BK-1",
            status: "APPROVED",
            merchantId: "quito",
            occurredAt: "2026-01-27T15:15:00Z"
          })
        ),
        headers: {},
        url: "https://hotel.example/webhooks/quito/memory"
      })
      // Signed with the variable's secret: verified. With any other: refused.
      expect((yield* webhooks.verify(notification("s3cret-for-quito"))).reference).toBe("BK-1")
      const refused = yield* Effect.flip(webhooks.verify(notification("another-secret")))
      expect(refused.reason._tag).toBe("WebhookRejected")
    })
  )

  it.effect("secretsFor: only that merchant's secrets must be set; everything else is still checked", () =>
    Effect.gen(function* () {
      const config = {
        merchants: {
          quito: { provider: "memory", secrets: { webhookSecret: "QUITO_SECRET" } },
          lima: { provider: "memory", secrets: { webhookSecret: "LIMA_SECRET" } }
        }
      }
      const check = (options: { readonly secretsFor?: string }, c: unknown = config) =>
        Effect.flip(Setup.routes(c, Providers.builtIn, options)).pipe(
          Effect.map(issuesOf),
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["QUITO_SECRET", "s3cret-for-quito"]])))
        )
      expect(yield* check({})).toEqual([
        expect.stringMatching(/^merchants\.lima\.secrets\.webhookSecret: names an environment variable that is not set/)
      ])
      const routes = yield* Setup.routes(config, Providers.builtIn, { secretsFor: "quito" }).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["QUITO_SECRET", "s3cret-for-quito"]])))
      )
      expect(Object.keys(routes)).toContain("quito")
      const broken = { merchants: { ...config.merchants, lima: { provider: "memory", options: { colour: "blue" } } } }
      expect(yield* check({ secretsFor: "quito" }, broken)).toEqual([
        expect.stringMatching(/^merchants\.lima\.options\.colour: /)
      ])
    })
  )

  it.effect("a third party's provider: a plain check and one that loads its adapter first report together", () =>
    Effect.gen(function* () {
      const loaded: Array<string> = []
      const plain = Registry.define({
        name: "plain",
        options: Schema.Struct({ region: Schema.String }),
        secrets: { required: [] },
        layer: () => Layer.die("not built: the configuration is wrong"),
        check: ({ options }) => (options.region === "mars" ? [{ path: "region", message: "is not served" }] : [])
      })
      const deferred = Registry.define({
        name: "deferred",
        options: Schema.Struct({ plan: Schema.String }),
        secrets: { required: [] },
        layer: () => Layer.die("not built: the configuration is wrong"),
        check: ({ options }) =>
          Effect.sync(() => {
            loaded.push("deferred")
            return options.plan === "gold" ? [] : [{ path: "plan", message: "must be gold" }]
          })
      })
      const broken = Registry.define({
        name: "broken",
        options: Schema.Struct({}),
        secrets: { required: [] },
        layer: () => Layer.die("never built"),
        check: () => Effect.die(new Error("adapter module missing"))
      })
      const registry = Registry.make([...Providers.builtIn.values(), plain, deferred, broken])
      const error = yield* Effect.flip(
        Layer.build(
          Pasarela.layer(
            {
              merchants: {
                lima: { provider: "plain", options: { region: "mars" } },
                cusco: { provider: "deferred", options: { plan: "tin" } },
                quito: { provider: "broken" },
                cali: { provider: "memory", options: { colour: "red" } }
              }
            },
            { registry }
          )
        ).pipe(Effect.scoped)
      )
      expect(issuesOf(error)).toEqual([
        "merchants.lima.options.region: is not served",
        "merchants.cusco.options.plan: must be gold",
        "merchants.quito.provider: could not be checked: adapter module missing",
        "merchants.cali.options.colour: is not a known option of memory (known: idPrefix, baseUrl, testWebhooks)"
      ])
      expect(loaded).toEqual(["deferred"])
    })
  )
})
