/** Runs the command line given to this process and exits with its code. */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import { run } from "./Cli.js"
import { displayOf } from "./Help.js"

run(process.argv, displayOf(process.stdout, process.env)).pipe(
  Effect.tap((code) =>
    Effect.sync(() => {
      process.exitCode = code
    })
  ),
  // Failures are printed as one line and a hint; adapters' warnings would repeat them (`pasarela --log-level warning …` shows them).
  Logger.withMinimumLogLevel(LogLevel.Error),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain
)
