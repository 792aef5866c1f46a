/**
 * From configuration to routes: reads the configuration, each merchant's provider options and
 * secrets (from the environment variables it names), and reports every problem at once, each at
 * its place in the file and in the file's own terms (JSON text, numbers, objects; never Effect's
 * types). One bad part never hides another: a merchant id with a space is reported next to every
 * other problem.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Charges, GiftCards, PaymentError, PaymentLinks, PaymentOrders, type Router, Validation } from "@pasarela/core"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import type * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import { EnvVarName, MerchantId, PasarelaConfig, ProviderSettings } from "./Config.js"
import type * as Inbox from "./Inbox.js"
import type { ProviderDefinition, Registry } from "./Registry.js"
import * as WebhookEndpoint from "./WebhookEndpoint.js"

export type Routes = Readonly<Record<string, Router.Route<PaymentError.PaymentError, HttpClient.HttpClient>>>

const configurationError = (issues: ReadonlyArray<{ readonly path: string; readonly message: string }>) =>
  PaymentError.configurationError("pasarela", issues)

/** `merchants.x` + `options` → `merchants.x.options`; an empty part is left out. */
const join = (...parts: ReadonlyArray<string>) => parts.filter((part) => part !== "").join(".")

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const kinds: Readonly<Record<string, string>> = {
  string: "text",
  number: "a number",
  boolean: "true or false",
  object: "an object"
}

/** What a JSON value is, in JSON's words. */
const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "a list" : (kinds[typeof value] ?? typeof value)

// ---- Schema's issues in the file's terms ----

/** Unwraps what an optional field or a refinement wraps, down to the shape that has the keys. */
const shapeOf = (ast: SchemaAST.AST): SchemaAST.AST => {
  const encoded = SchemaAST.encodedAST(ast)
  if (SchemaAST.isUnion(encoded)) {
    const defined = encoded.types.filter((member) => !SchemaAST.isUndefinedKeyword(member))
    return defined.length === 1 ? shapeOf(defined[0]!) : encoded
  }
  return encoded
}

/** The keys a struct schema allows at `path` (dotted), or none when there is no struct there. */
const knownKeysAt = (ast: SchemaAST.AST, path: ReadonlyArray<string>): ReadonlyArray<string> => {
  let node = shapeOf(ast)
  for (const key of path) {
    if (!SchemaAST.isTypeLiteral(node)) return []
    const property = node.propertySignatures.find((ps) => ps.name === key)
    if (property === undefined) return []
    node = shapeOf(property.type)
  }
  return SchemaAST.isTypeLiteral(node) ? node.propertySignatures.map((ps) => String(ps.name)) : []
}

/** Schema's wording of a type mismatch → the file's. Messages our schemas wrote themselves pass through. */
const inJsonTerms = (message: string): string => {
  if (message === "expected string") return "must be text (in quotes)"
  if (message === "expected number") return "must be a number"
  if (message === "expected an integer") return "must be a whole number"
  if (message === "expected boolean") return "must be true or false"
  if (message === "is missing") return "is required"
  if (message.startsWith("expected {")) return "must be an object { … }"
  if (message.startsWith("expected ReadonlyArray") || message.startsWith("expected readonly")) return "must be a list"
  return message
}

/**
 * A decoding error as issues under `prefix`, in the file's terms: an unknown key names the keys
 * allowed there, a value of the wrong kind says which kind is wanted, and a value that must be one
 * of several literals lists them once.
 */
const fileIssues = (
  error: ParseResult.ParseError,
  schema: { readonly ast: SchemaAST.AST },
  prefix: string,
  what: string
): ReadonlyArray<PaymentError.FieldIssue> => {
  const issues = Validation.issuesOf(error)
  const literals = new Map<string, Array<string>>()
  for (const issue of issues) {
    const literal = /^expected (".*"|\d+|true|false|null)$/.exec(issue.message)
    if (literal !== null) literals.set(issue.path, [...(literals.get(issue.path) ?? []), literal[1]!])
  }
  const messageOf = (issue: PaymentError.FieldIssue): string => {
    const choices = literals.get(issue.path)
    if (choices !== undefined) {
      return choices.length === 1 ? `must be ${choices[0]}` : `must be one of ${choices.join(", ")}`
    }
    if (issue.message !== "is not a known field") return inJsonTerms(issue.message)
    const known = knownKeysAt(schema.ast, issue.path.split(".").slice(0, -1))
    return `is not a known ${what} (known: ${known.length === 0 ? "none" : known.join(", ")})`
  }
  // The literals a value may be are said once, at its path.
  const said = new Set<string>()
  return issues.flatMap((issue) => {
    if (literals.has(issue.path) && said.has(issue.path)) return []
    said.add(issue.path)
    return [new PaymentError.FieldIssue({ path: join(prefix, issue.path), message: messageOf(issue) })]
  })
}

/**
 * Decodes an object field by field with a struct's field schemas, so a bad field never hides
 * another; keys the struct does not have are reported with the ones it has. Undefined when the value
 * is not an object at all.
 */
const readFields = <Fields extends Schema.Struct.Fields>(
  struct: Schema.Struct<Fields>,
  value: unknown,
  path: string,
  problems: Validation.Problems,
  example: string,
  /** Keys allowed here that the caller reads itself. */
  readElsewhere: ReadonlyArray<string> = []
): Partial<Schema.Struct.Type<Fields>> | undefined => {
  if (!isObject(value)) {
    return problems.bad(
      path === "" ? "(the configuration)" : path,
      `must be an object such as ${example}, not ${kindOf(value)}`
    )
  }
  const known = [...Object.keys(struct.fields), ...readElsewhere]
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.bad(join(path, key), `is not a known setting (known: ${known.join(", ")})`)
  }
  const read: Record<string, unknown> = {}
  for (const key of Object.keys(struct.fields)) {
    // The configuration's schemas need no services: their context is never.
    const field = Schema.Struct({ [key]: struct.fields[key]! }) as unknown as Schema.Schema<
      Record<string, unknown>,
      unknown
    >
    const decoded = Schema.decodeUnknownEither(field, { errors: "all" })(
      Object.hasOwn(value, key) ? { [key]: value[key] } : {}
    )
    if (Either.isRight(decoded)) {
      if (Object.hasOwn(decoded.right, key)) read[key] = (decoded.right as Record<string, unknown>)[key]
    } else {
      for (const issue of fileIssues(decoded.left, field, path, "setting")) problems.invalid.push(issue)
    }
  }
  return read as Partial<Schema.Struct.Type<Fields>>
}

// ---- secrets ----

/**
 * What a value written under `secrets` may be shown as, when it names no variable that is set: it
 * may be the secret itself, pasted in by mistake. Its first two characters when it is long enough
 * for that to give nothing away (12 or more), stars for the rest (at most 12 shown), its length.
 */
const masked = (text: string): string => {
  const shown = text.length >= 12 ? text.slice(0, 2) : ""
  const stars = "*".repeat(Math.min(text.length, 12) - shown.length)
  return `${shown}${stars}${text.length > 12 ? "…" : ""}, ${text.length} character${text.length === 1 ? "" : "s"}`
}

const isEnvVarName = Schema.is(EnvVarName)

/** `secrets`: option name → environment variable, each entry checked on its own. */
const readSecretNames = (value: unknown, path: string, problems: Validation.Problems): Record<string, string> => {
  if (value === undefined) return {}
  if (!isObject(value)) {
    problems.bad(
      path,
      `must be an object naming, for each secret, the environment variable that holds it, such as { "secretKey": "BOGOTA_SECRET" }, not ${kindOf(value)}`
    )
    return {}
  }
  const names: Record<string, string> = {}
  for (const [name, variable] of Object.entries(value)) {
    if (typeof variable !== "string") {
      problems.bad(join(path, name), `must be the name of an environment variable (text), not ${kindOf(variable)}`)
    } else if (!isEnvVarName(variable)) {
      problems.bad(
        join(path, name),
        "must be the name of an environment variable, such as MY_SECRET (letters, digits, underscores): the secret itself goes in that variable, never in this file"
      )
    } else names[name] = variable
  }
  return names
}

// ---- providers ----

/** Joins a public base URL and the endpoint's path for one merchant and provider. */
export const notificationUrlFor = (publicBaseUrl: string, merchantId: string, provider: string) =>
  `${publicBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(merchantId)}/${encodeURIComponent(provider)}`

/** A failure of a third party's code, in words (their check or layer threw instead of returning). */
const describe = (thrown: unknown): string => (thrown instanceof Error ? thrown.message : String(thrown)).slice(0, 200)

/**
 * The options of a struct schema that decode on their own, when the whole does not: the provider's
 * own checks still run on them, so a bad option never hides another. Undefined for other schemas.
 */
const decodableOptions = (schema: Schema.Schema<unknown, unknown>, raw: Record<string, unknown>) => {
  if (!("fields" in schema) || !isObject(schema.fields)) return undefined
  const fields = schema.fields as Schema.Struct.Fields
  const options: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(fields)) {
    if (!Object.hasOwn(raw, key)) continue
    const one = Schema.Struct({ [key]: field }) as unknown as Schema.Schema<Record<string, unknown>, unknown>
    const decoded = Schema.decodeUnknownEither(one)({ [key]: raw[key] })
    if (Either.isRight(decoded) && Object.hasOwn(decoded.right, key)) options[key] = decoded.right[key]
  }
  return options
}

/** True when `path` is `reported` or inside it (`retry.maxAttempts` is inside `retry`). */
const within = (path: string, reported: ReadonlySet<string>): boolean =>
  [...reported].some((outer) => path === outer || path.startsWith(`${outer}.`) || path.startsWith(`${outer}[`))

/**
 * Checks one provider entry (`provider`, `options`, `secrets`) and builds its layer when it is
 * right; problems are collected in file order, never thrown.
 */
const providerRoute = (
  registry: Registry,
  merchantId: string,
  path: string,
  settings: Partial<Pick<ProviderSettings, "provider" | "options">>,
  secretsValue: unknown,
  publicBaseUrl: string | undefined,
  problems: Validation.Problems,
  secretsNeeded: boolean
) =>
  Effect.gen(function* () {
    const definition: ProviderDefinition | undefined =
      settings.provider === undefined ? undefined : registry.get(settings.provider)
    if (settings.provider !== undefined && definition === undefined) {
      problems.bad(
        join(path, "provider"),
        `unknown provider "${settings.provider.slice(0, 40)}" (known: ${[...registry.keys()].join(", ")})`
      )
    }
    if (definition === undefined) {
      readSecretNames(secretsValue, join(path, "secrets"), problems)
      return undefined
    }
    const secretOptions = [...definition.secrets.required, ...definition.secrets.optional]
    const rawOptions = settings.options ?? {}
    // Option paths already reported: the provider's own checks say nothing more about them.
    const reported = new Set<string>()
    for (const key of Object.keys(rawOptions)) {
      if (secretOptions.includes(key)) {
        problems.bad(
          join(path, "options", key),
          `is a secret: name the environment variable that holds it under "secrets" instead`
        )
      }
    }
    const plainOptions = Object.fromEntries(Object.entries(rawOptions).filter(([key]) => !secretOptions.includes(key)))
    const options = Schema.decodeUnknownEither(definition.options, { errors: "all", onExcessProperty: "error" })(
      plainOptions
    )
    if (Either.isLeft(options)) {
      for (const issue of fileIssues(options.left, definition.options, "", `option of ${definition.name}`)) {
        reported.add(issue.path)
        problems.bad(join(path, "options", issue.path), issue.message)
      }
    }

    const secretNames = readSecretNames(secretsValue, join(path, "secrets"), problems)
    for (const name of definition.secrets.required) {
      if (!Object.hasOwn(secretNames, name)) {
        problems.bad(
          join(path, "secrets", name),
          `is required: name the environment variable that holds ${definition.name}'s ${name}`
        )
      }
    }
    const secrets: Record<string, Redacted.Redacted<string>> = {}
    for (const [name, variable] of Object.entries(secretNames)) {
      if (!secretOptions.includes(name)) {
        problems.bad(
          join(path, "secrets", name),
          `is not a secret of ${definition.name} (its secrets: ${secretOptions.join(", ") || "none"})`
        )
        continue
      }
      const value = yield* Effect.either(Config.redacted(variable))
      if (Either.isLeft(value)) {
        if (!secretsNeeded) continue
        problems.bad(
          join(path, "secrets", name),
          `names an environment variable that is not set (${masked(variable)}): write the variable's name here, and the secret in that variable`
        )
      } else secrets[name] = value.right
    }

    // The provider's own rules, on whatever options decoded: every problem at once.
    const checkable = Either.isRight(options) ? options.right : decodableOptions(definition.options, plainOptions)
    const notificationUrl =
      publicBaseUrl === undefined ? undefined : notificationUrlFor(publicBaseUrl, merchantId, definition.name)
    const before = problems.invalid.length
    if (checkable !== undefined) {
      const checked = yield* Effect.suspend(() =>
        definition.check({ merchantId, options: checkable, secrets, notificationUrl })
      ).pipe(
        // On partial options a third party's check may trip over what is missing, already reported.
        Effect.catchAllDefect((thrown) =>
          Effect.succeed(
            Either.isRight(options) ? [{ path: "", message: `could not be checked: ${describe(thrown)}` }] : []
          )
        )
      )
      for (const issue of checked) {
        const option = issue.path.split(".")[0] ?? ""
        if (secretOptions.includes(option)) {
          // A secret that is not there was reported above, in the file's terms.
          if (!Object.hasOwn(secrets, option)) continue
          problems.bad(join(path, "secrets", issue.path), `the secret in ${secretNames[option]} ${issue.message}`)
        } else if (!within(issue.path, reported)) {
          problems.bad(join(path, issue.path === "" ? "provider" : `options.${issue.path}`), issue.message)
        }
      }
    }
    if (
      Either.isLeft(options) ||
      problems.invalid.length > before ||
      definition.secrets.required.some((name) => !Object.hasOwn(secrets, name))
    ) {
      return undefined
    }
    const input = { merchantId, options: options.right, secrets, notificationUrl }
    let layer: Layer.Layer<Router.ProviderServices, PaymentError.PaymentError, HttpClient.HttpClient>
    try {
      layer = definition.layer(input)
    } catch (thrown) {
      problems.bad(join(path, "provider"), `could not be set up: ${describe(thrown)}`)
      return undefined
    }
    return notificationUrl === undefined ? layer : Layer.map(layer, withDefaultNotificationUrl(notificationUrl))
  })

/**
 * Points every create at this merchant's webhook endpoint unless the input names its own URL, so
 * notifications reach `<publicBaseUrl>/<merchant>/<provider>` with no per-call wiring.
 */
const withDefaultNotificationUrl =
  (url: string) =>
  (context: Context.Context<Router.ProviderServices>): Context.Context<Router.ProviderServices> => {
    const fill = <I>(input: I): I =>
      typeof input === "object" && input !== null && !("notificationUrl" in input)
        ? { ...input, notificationUrl: url }
        : input
    const links = Context.get(context, PaymentLinks)
    const charges = Context.get(context, Charges)
    const orders = Context.get(context, PaymentOrders)
    const giftCards = Context.get(context, GiftCards)
    return context.pipe(
      Context.add(PaymentLinks, { ...links, create: (input) => links.create(fill(input)) }),
      Context.add(Charges, { ...charges, create: (input) => charges.create(fill(input)) }),
      Context.add(PaymentOrders, { ...orders, create: (input) => orders.create(fill(input)) }),
      Context.add(GiftCards, { ...giftCards, create: (input) => giftCards.create(fill(input)) })
    )
  }

const isMerchantId = Schema.is(MerchantId)

const PROVIDER_EXAMPLE = '{ "provider": "placetopay", "options": { … }, "secrets": { … } }'

/** What a provider entry holds besides `secrets` (read entry by entry) and `fallback`. */
const ProviderPart = Schema.Struct({
  provider: ProviderSettings.fields.provider,
  options: ProviderSettings.fields.options
})

/** Everything at the top of the file but the merchants, read (and reported) on its own. */
const TopPart = Schema.Struct({
  webhooks: PasarelaConfig.fields.webhooks,
  store: PasarelaConfig.fields.store,
  events: PasarelaConfig.fields.events,
  reconcile: PasarelaConfig.fields.reconcile
})

/** Reads one provider entry (a merchant's, or its fallback's) and builds its layer when it is right. */
const providerEntry = (
  registry: Registry,
  merchantId: string,
  path: string,
  value: unknown,
  publicBaseUrl: string | undefined,
  problems: Validation.Problems,
  readElsewhere: ReadonlyArray<string>,
  secretsNeeded: boolean
) =>
  Effect.gen(function* () {
    const settings = readFields(ProviderPart, value, path, problems, PROVIDER_EXAMPLE, ["secrets", ...readElsewhere])
    if (settings === undefined) return undefined
    const secrets = (value as Record<string, unknown>).secrets
    return yield* providerRoute(registry, merchantId, path, settings, secrets, publicBaseUrl, problems, secretsNeeded)
  })

/**
 * Turns configuration (already parsed JSON, or an object) into the router's routes. Fails with one
 * `Configuration` error listing every problem: unknown settings and providers, bad options and
 * merchant ids, secrets written in the file, environment variables that are not set. With
 * `secretsFor`, only that merchant's secrets must be set (a command for one hotel); the rest of the
 * file is checked all the same.
 */
export const routes = (
  config: unknown,
  registry: Registry,
  options: { readonly secretsFor?: string } = {}
): Effect.Effect<Routes, PaymentError.PaymentError> =>
  Effect.gen(function* () {
    const problems = new Validation.Problems("Pasarela")
    const top = readFields(TopPart, config, "", problems, '{ "merchants": { "hotel-bogota": { … } } }', ["merchants"])
    const publicBaseUrl = top?.webhooks?.publicBaseUrl
    const merchants = isObject(config) ? config.merchants : undefined
    if (top !== undefined && merchants === undefined) {
      problems.bad("merchants", `is required: one entry per hotel, such as { "hotel-bogota": ${PROVIDER_EXAMPLE} }`)
    } else if (top !== undefined && !isObject(merchants)) {
      problems.bad(
        "merchants",
        `must be an object with one entry per hotel (merchant id → settings), not ${kindOf(merchants)}`
      )
    } else if (isObject(merchants) && Object.keys(merchants).length === 0) {
      problems.bad("merchants", "must list at least one merchant")
    }
    const result: Record<string, Router.Route<PaymentError.PaymentError, HttpClient.HttpClient>> = {}
    for (const [merchantId, value] of Object.entries(isObject(merchants) ? merchants : {})) {
      const path = join("merchants", merchantId)
      if (!isMerchantId(merchantId)) {
        problems.bad(path, "is not a usable merchant id: use 1 to 64 letters, digits, dots, dashes or underscores")
      }
      const secretsNeeded = options.secretsFor === undefined || options.secretsFor === merchantId
      const entry = (at: string, entryValue: unknown, readElsewhere: ReadonlyArray<string>) =>
        providerEntry(registry, merchantId, at, entryValue, publicBaseUrl, problems, readElsewhere, secretsNeeded)
      const provider = yield* entry(path, value, ["fallback"])
      const fallbackValue = isObject(value) ? value.fallback : undefined
      const fallback = fallbackValue === undefined ? undefined : yield* entry(join(path, "fallback"), fallbackValue, [])
      if (provider !== undefined && isMerchantId(merchantId)) {
        result[merchantId] = fallback === undefined ? { provider } : { provider, fallback }
      }
    }
    if (top !== undefined) {
      const endpoint = webhookEndpoint(top.webhooks)
      if (Either.isLeft(endpoint)) problems.invalid.push(...endpoint.left)
      const store = top.store
      if (store?.type === "postgres" && Either.isLeft(yield* Effect.either(Config.redacted(store.secrets.url)))) {
        problems.bad("store.secrets.url", `environment variable ${store.secrets.url} is not set`)
      }
    }
    if (problems.invalid.length > 0) return yield* Effect.fail(configurationError(problems.invalid))
    return result
  })

/**
 * The webhook endpoint's options from the configuration's `webhooks` section. The endpoint serves
 * under the path of `publicBaseUrl` unless `basePath` says otherwise, so notifications sent to the
 * public URL reach it.
 */
const webhookEndpoint = (
  webhooks: PasarelaConfig["webhooks"]
): Either.Either<WebhookEndpoint.Options, ReadonlyArray<PaymentError.FieldIssue>> => {
  let derived: string | undefined
  if (webhooks?.publicBaseUrl !== undefined) {
    try {
      derived = new URL(webhooks.publicBaseUrl).pathname
    } catch {
      return Either.left([
        new PaymentError.FieldIssue({
          path: "webhooks.publicBaseUrl",
          message: "must be an absolute URL such as https://hotel-app.example/webhooks"
        })
      ])
    }
  }
  const options: WebhookEndpoint.Options = {
    basePath: webhooks?.basePath ?? derived ?? WebhookEndpoint.DEFAULTS.basePath,
    ...(webhooks?.maxBodyBytes === undefined ? {} : { maxBodyBytes: webhooks.maxBodyBytes }),
    ...(webhooks?.bodyTimeout === undefined ? {} : { bodyTimeout: webhooks.bodyTimeout }),
    ...(webhooks?.handlerTimeout === undefined ? {} : { handlerTimeout: webhooks.handlerTimeout })
  }
  return Either.match(WebhookEndpoint.settings(options), {
    onLeft: (error) =>
      Either.left(
        (error.reason._tag === "Configuration" ? error.reason.issues : []).map(
          (issue) => new PaymentError.FieldIssue({ path: join("webhooks", issue.path), message: issue.message })
        )
      ),
    onRight: () => Either.right(options)
  })
}

/** The whole configuration decoded, or every problem with it. */
const decodeConfig = (config: unknown): Either.Either<PasarelaConfig, PaymentError.PaymentError> =>
  Either.mapLeft(
    Schema.decodeUnknownEither(PasarelaConfig, { errors: "all", onExcessProperty: "error" })(config),
    (error) => configurationError(Validation.issuesOf(error))
  )

/** The webhook endpoint's options the configuration gives, or every problem with them. */
export const endpointOptions = (config: unknown): Either.Either<WebhookEndpoint.Options, PaymentError.PaymentError> =>
  Either.flatMap(decodeConfig(config), ({ webhooks }) => Either.mapLeft(webhookEndpoint(webhooks), configurationError))

/** The configuration's durability settings, the store's secret read from the environment. */
export interface Durability {
  readonly store:
    | undefined
    | { readonly type: "embedded"; readonly path: string; readonly tablePrefix: string | undefined }
    | {
        readonly type: "postgres"
        readonly url: Redacted.Redacted<string>
        readonly tablePrefix: string | undefined
        readonly maxConnections: number | undefined
      }
  readonly events: Inbox.DispatchOptions
  /** Undefined: never. */
  readonly reconcileEvery: Duration.DurationInput | undefined
}

/** Where an embedded store lives when the configuration names no path. */
export const DEFAULT_EMBEDDED_PATH = ".pasarela/store"

/** Reads the `store`, `events` and `reconcile` sections (their problems are `routes`' to report). */
export const durability = (config: unknown): Effect.Effect<Durability, PaymentError.PaymentError> =>
  Effect.gen(function* () {
    const { store, events: settings = {}, reconcile, webhooks } = yield* decodeConfig(config)
    // One time limit for the handler, whoever runs it.
    const events: Inbox.DispatchOptions = { ...settings, handlerTimeout: webhooks?.handlerTimeout }
    const reconcileEvery = reconcile === false ? undefined : (reconcile?.interval ?? "5 minutes")
    const durable = (kept: Durability["store"]): Durability => ({ store: kept, events, reconcileEvery })
    if (store === undefined || store.type === "memory") return durable(undefined)
    if (store.type === "embedded") {
      return durable({ type: "embedded", path: store.path ?? DEFAULT_EMBEDDED_PATH, tablePrefix: store.tablePrefix })
    }
    const url = yield* Effect.mapError(Config.redacted(store.secrets.url), () =>
      configurationError([
        { path: "store.secrets.url", message: `environment variable ${store.secrets.url} is not set` }
      ])
    )
    return durable({ type: "postgres", url, tablePrefix: store.tablePrefix, maxConnections: store.maxConnections })
  })
