/** Options every command shares, and running a command against the configured merchants. */
import * as Options from "@effect/cli/Options"
import { Configuration, FieldIssue, PaymentError } from "@pasarela/core"
import { readConfigFile, UndiciHttpClient } from "@pasarela/node"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import { Pasarela } from "pasarela"

export const config = Options.text("config").pipe(
  Options.withAlias("c"),
  Options.withDescription("configuration file (JSON; secrets come from the environment variables it names)"),
  Options.withFallbackConfig(Config.string("PASARELA_CONFIG")),
  Options.withDefault("pasarela.json")
)

export const json = Options.boolean("json").pipe(Options.withDescription("print JSON, for scripts"))

export const merchant = Options.text("merchant").pipe(
  Options.withAlias("m"),
  Options.withDescription("the hotel: a merchant id from the configuration")
)

/** Runs `effect` with Pasarela built from the configuration file. */
export const withPasarela = <A, R>(
  configPath: string,
  effect: Effect.Effect<A, PaymentError, R | Pasarela.Services>
): Effect.Effect<A, PaymentError, Exclude<R, Pasarela.Services>> =>
  Effect.flatMap(readConfigFile(configPath), (settings) =>
    Effect.provide(effect, Pasarela.layer(settings, { httpClient: UndiciHttpClient.layer }))
  ) as Effect.Effect<A, PaymentError, Exclude<R, Pasarela.Services>>

/** A server that cannot start (port in use…) is reported like any other configuration problem. */
export const cannotListen = (port: number) => (error: unknown) =>
  new PaymentError({
    provider: "cli",
    operation: "serve",
    reason: new Configuration({
      issues: [new FieldIssue({ path: "--port", message: `cannot listen on ${port}: ${describe(error)}` })]
    })
  })

const describe = (error: unknown): string => {
  const cause = (error as { cause?: unknown } | undefined)?.cause
  const code = (cause as { code?: unknown } | undefined)?.code
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error)
}
