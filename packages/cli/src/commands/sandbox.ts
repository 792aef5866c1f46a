/**
 * `pasarela sandbox`: both simulators on one port, with their test credentials and the URL of the
 * dashboard (links, payments, every webhook delivery; each link's checkout page a click away).
 */
import * as Command from "@effect/cli/Command"
import { json, lazily, listen } from "../CommonOptions.js"

export const sandboxOptions = { ...listen(4010, " (0: any free port)"), json }

export const sandbox = Command.make(
  "sandbox",
  sandboxOptions,
  lazily(() => import("../handlers/sandbox.js"), "serve")
).pipe(Command.withDescription("run the PlacetoPay and Autocore simulators on one local port"))
