/**
 * One application process for the multi-process tests, run as a child process. The mode (first
 * argument) says what it does; everything else comes from environment variables:
 *
 * - `serve`: the webhook endpoint on a port of its own, over the PostgreSQL store; its handler
 *   waits `HANDLER_DELAY_MS`, then records the event in `<PREFIX>handled` (key, worker). Prints
 *   `ready <port>` once serving.
 * - `create`: creates the link `REFERENCE` on the sandbox at `SANDBOX_URL` through the journal
 *   (PostgreSQL, or embedded at `STORE_PATH`), prints the result or the error's reason as a JSON
 *   line, and exits.
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Money, PaymentLinks } from "@pasarela/core"
import { EmbeddedStore, PostgresStore } from "@pasarela/store/backends"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Pasarela, WebhookEndpoint } from "pasarela"
import pg from "pg"

const env = (name: string): string => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}

const prefix = process.env.PREFIX ?? "pasarela_"
const worker = process.env.WORKER_NAME ?? `worker-${process.pid}`

const store =
  process.env.STORE_PATH === undefined
    ? PostgresStore.layer({ url: Redacted.make(env("DATABASE_URL")), tablePrefix: prefix, maxConnections: 4 })
    : EmbeddedStore.layer({ path: env("STORE_PATH") })

const serve = Effect.gen(function* () {
  const db = new pg.Pool({ connectionString: env("DATABASE_URL"), max: 4 })
  yield* Effect.addFinalizer(() => Effect.promise(() => db.end()))
  const delay = Number(process.env.HANDLER_DELAY_MS ?? "0")
  const config = JSON.parse(env("CONFIG")) as unknown
  const pasarela = yield* Layer.build(
    Pasarela.layer(config, {
      store,
      instance: worker,
      onEvent: (event) =>
        Effect.promise(async () => {
          if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
          await db.query(`INSERT INTO "${prefix}handled" (key, worker) VALUES ($1, $2)`, [event.dedupeKey, worker])
        })
    })
  ).pipe(Effect.withConfigProvider(ConfigProvider.fromEnv()))
  const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
  yield* server.serve(WebhookEndpoint.router().pipe(Effect.provide(pasarela)))
  yield* Console.log(`ready ${server.address._tag === "TcpAddress" ? server.address.port : 0}`)
  return yield* Effect.never
})

const create = Effect.gen(function* () {
  const config = JSON.parse(env("CONFIG")) as unknown
  const services = yield* Layer.build(Pasarela.layer(config, { store })).pipe(
    Effect.withConfigProvider(ConfigProvider.fromEnv())
  )
  const result = yield* Effect.flatMap(PaymentLinks, (links) =>
    links.create({
      merchantId: "hotel-bogota",
      reference: env("REFERENCE"),
      description: "1 night",
      amount: Money.make("120000", "COP"),
      payer: { name: "Laura", surname: "Pelaez", email: "laura@example.com" }
    })
  ).pipe(Effect.provide(services), Effect.either)
  yield* Console.log(
    JSON.stringify(
      result._tag === "Right"
        ? { created: result.right.id }
        : { reason: result.left.reason._tag, message: result.left.message }
    )
  )
})

const mode = process.argv[2]
const program = mode === "serve" ? serve : mode === "create" ? create : Effect.dieMessage(`unknown mode ${mode}`)
Effect.runPromise(Effect.scoped(program)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
