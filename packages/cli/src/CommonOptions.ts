/**
 * Options several commands share, and `lazily`: a command's definition (its options and help) loads
 * with the command line, its work only when it runs, so one command never loads another's modules.
 */
import * as Options from "@effect/cli/Options"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"

/** A text option and what it is for. */
export const text = (name: string, description: string) => Options.text(name).pipe(Options.withDescription(description))

export const config = Options.text("config").pipe(
  Options.withAlias("c"),
  Options.withDescription(
    "the configuration file, JSON (default: pasarela.json, or the PASARELA_CONFIG environment variable); secrets come from the environment variables it names"
  ),
  Options.withFallbackConfig(Config.string("PASARELA_CONFIG")),
  Options.withDefault("pasarela.json")
)

export const json = Options.boolean("json").pipe(
  Options.withDescription(
    'print JSON alone on stdout, for scripts; errors too, as {"error": {"reason", "message", "hint"}}'
  )
)

export const merchant = Options.text("merchant").pipe(
  Options.withAlias("m"),
  Options.withDescription("the hotel: a merchant id from the configuration file")
)

export const amount = Options.text("amount").pipe(
  Options.withDescription("amount in major units, a dot before any decimals, e.g. 120000 or 99.50")
)

export const currency = Options.text("currency").pipe(
  Options.withDescription("ISO 4217 currency code, e.g. COP or USD"),
  Options.withDefault("COP")
)

/** `--port` (with its default, and what 0 means where it is allowed) and `--host`, for the commands that listen. */
export const listen = (defaultPort: number, portNote = "") => ({
  port: Options.integer("port").pipe(
    Options.withDescription(`the port to listen on, a whole number${portNote}`),
    Options.withDefault(defaultPort)
  ),
  host: Options.text("host").pipe(
    Options.withDescription("the address to listen on (0.0.0.0: every interface)"),
    Options.withDefault("127.0.0.1")
  )
})

/** What a command runs: its options parsed, to an effect. */
type Handler = (options: never) => Effect.Effect<void, unknown, unknown>

/** A handler loaded when its command runs: `load` imports its module, `name` is the function's there. */
export const lazily =
  <M extends { readonly [P in K]: Handler }, K extends keyof M>(load: () => Promise<M>, name: K) =>
  (options: Parameters<M[K]>[0]): ReturnType<M[K]> =>
    Effect.flatMap(Effect.promise(load), (module) => {
      // M[K] is that handler; TypeScript cannot see a generic indexed function as callable.
      const handler = module[name] as unknown as (options: Parameters<M[K]>[0]) => ReturnType<M[K]>
      return handler(options)
    }) as ReturnType<M[K]>
