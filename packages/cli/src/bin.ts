#!/usr/bin/env node
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect, Logger, LogLevel } from "effect"
import { run } from "./Cli.js"

run(process.argv).pipe(
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
