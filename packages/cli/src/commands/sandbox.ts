/**
 * `pasarela sandbox`: both simulators on one port, with their test credentials and the URL of the
 * dashboard (links, payments, every webhook delivery; each link's checkout page a click away).
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { json, lazily } from "../CommonOptions.js"

export const sandboxOptions = {
  port: Options.integer("port").pipe(
    Options.withDescription("the port to listen on, a whole number (0: any free port)"),
    Options.withDefault(4010)
  ),
  host: Options.text("host").pipe(
    Options.withDescription("the address to listen on (0.0.0.0: every interface)"),
    Options.withDefault("127.0.0.1")
  ),
  json
}

export const sandbox = Command.make(
  "sandbox",
  sandboxOptions,
  lazily(
    () => import("../handlers/sandbox.js"),
    (m) => m.serve
  )
).pipe(Command.withDescription("run the PlacetoPay and Autocore simulators on one local port"))
