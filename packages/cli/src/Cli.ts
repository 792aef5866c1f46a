/** The `pasarela` command. */
import type * as CliApp from "@effect/cli/CliApp"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as CommandDescriptor from "@effect/cli/CommandDescriptor"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Usage from "@effect/cli/Usage"
import * as ValidationError from "@effect/cli/ValidationError"
import type { PaymentError } from "@pasarela/core"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import { charges } from "./commands/charges.js"
import { events, operations, reconcile, store } from "./commands/durability.js"
import { giftCards } from "./commands/giftCards.js"
import { hotels } from "./commands/hotels.js"
import { links } from "./commands/links.js"
import { orders } from "./commands/orders.js"
import { sandbox } from "./commands/sandbox.js"
import { webhooks } from "./commands/webhooks.js"
import { type Display, oneLine, render, usageLine } from "./Help.js"
import { type Failure, failureOf, printFailure } from "./Output.js"
import { version } from "./Version.js"

export const command = Command.make("pasarela").pipe(
  Command.withDescription(
    "payments for hotels through PlacetoPay, Autocore or the in-memory provider. Every command takes --help; pasarela --version prints the version, --log-level debug shows the adapters' logs, --completions bash|zsh|fish prints a completion script."
  ),
  Command.withSubcommands([
    links,
    charges,
    orders,
    giftCards,
    hotels,
    sandbox,
    webhooks,
    store,
    events,
    operations,
    reconcile
  ])
)

/** Help lists a command's own options; the built-in ones are in the top-level description. */
const helpConfig = CliConfig.make({ showBuiltIns: false })

/** The words of the command line that name the command (`links create`), up to the one `usage` names. */
const commandPath = (args: ReadonlyArray<string>, usage: Usage.Usage): ReadonlyArray<string> => {
  const [first] = Usage.enumerate(usage, CliConfig.defaultConfig)
  const leaf = first === undefined ? undefined : oneLine(HelpDoc.p(first)).split(" ")[0]
  const words = args.filter((arg) => !arg.startsWith("-"))
  const end = leaf === undefined || leaf === "pasarela" ? 0 : words.indexOf(leaf) + 1
  return ["pasarela", ...words.slice(0, end)]
}

const showHelp = (args: ReadonlyArray<string>, usage: Usage.Usage, help: HelpDoc.HelpDoc, display: Display) => {
  const path = commandPath(args, usage)
  const lines = Usage.enumerate(usage, CliConfig.defaultConfig).map((span) => usageLine(path, span, display))
  return Console.log(
    [`${path.join(" ")} ${version}`, render(HelpDoc.h1("USAGE"), display), ...lines, render(help, display)].join("\n\n")
  )
}

/**
 * True when the command given is a group (`pasarela links`) with none of its commands named: a
 * group has no options of its own, unlike a command that also has subcommands (`events`).
 */
const namesNoCommand = (value: unknown): boolean => {
  if (!Predicate.isRecord(value) || !Option.isOption(value.subcommand)) return false
  return Option.match(value.subcommand, {
    onNone: () => Object.keys(value).length === 1,
    onSome: (chosen) => namesNoCommand(Array.isArray(chosen) ? chosen[1] : chosen)
  })
}

const usageFailure = (error: HelpDoc.HelpDoc): Failure => ({
  reason: "Usage",
  message: oneLine(error),
  hint: "pasarela --help lists the commands; add --help to a command for its options"
})

const isPaymentError = (u: unknown): u is PaymentError.PaymentError => Predicate.isTagged(u, "PaymentError")

/**
 * Runs the command line (`argv` as `process.argv`) and gives the exit code: 0, 1 for a
 * `PaymentError` (one line plus a hint, or with `--json` a JSON object on stdout), 2 for a command
 * line that cannot be parsed. Help is rendered for `display`.
 */
export const run = (
  argv: ReadonlyArray<string>,
  display: Display = { width: 80, colour: false }
): Effect.Effect<number, never, CliApp.CliApp.Environment> =>
  Effect.gen(function* () {
    const args = argv.slice(2)
    const json = args.includes("--json")
    // Parsed first so that help and usage errors are rendered here (see Help.ts); a command line
    // that parses is then run by @effect/cli as usual.
    const parse = (words: ReadonlyArray<string>) =>
      Effect.either(CommandDescriptor.parse(command.descriptor, ["pasarela", ...words], helpConfig))
    const first = yield* parse(args)
    // A group named alone (`pasarela links`) shows its help.
    const parsed =
      Either.isRight(first) && first.right._tag === "UserDefined" && namesNoCommand(first.right.value)
        ? yield* parse([...args, "--help"])
        : first
    if (Either.isLeft(parsed)) {
      const failure = usageFailure(parsed.left.error)
      yield* json
        ? printFailure(true, failure)
        : Console.error(`${render(parsed.left.error, display)}\nhint: ${failure.hint}`)
      return 2
    }
    const directive = parsed.right
    if (directive._tag === "BuiltIn" && directive.option._tag === "ShowHelp") {
      yield* showHelp(args, directive.option.usage, directive.option.helpDoc, display)
      return 0
    }
    if (directive._tag === "UserDefined" && directive.leftover.length > 0) {
      yield* printFailure(json, usageFailure(HelpDoc.p(`unknown argument: ${directive.leftover[0]}`)))
      return 2
    }
    return yield* Command.run(command, { name: "pasarela", version })(argv).pipe(
      Effect.as(0),
      Effect.catchIf(isPaymentError, (error) => Effect.as(printFailure(json, failureOf(error)), 1)),
      // Parsed above already: what is left is @effect/cli's own, shown by it.
      Effect.catchIf(ValidationError.isValidationError, () => Effect.succeed(2))
    )
  })
