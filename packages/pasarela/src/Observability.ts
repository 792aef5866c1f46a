/**
 * What a Promise API user sees of Pasarela at work: hooks around every provider request, a logger
 * of their own (console-like) with a level, and a tracer for Pasarela's spans. Each becomes a layer
 * over the runtime. Hooks and loggers never break a payment: what they throw or
 * reject with is logged, and a hook's promise is not waited for.
 */

import { ProviderHttp } from "@pasarela/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import type * as Tracer from "effect/Tracer"

/** Called around each provider request; none of them receives a header, a body, a secret or card data. */
export interface Hooks {
  /** Before each attempt is sent. */
  readonly onRequest?: (info: ProviderHttp.RequestInfo) => void | Promise<void>
  /** After each attempt: its HTTP status (when an answer came), its outcome and how long it took. */
  readonly onResponse?: (info: ProviderHttp.ResponseInfo) => void | Promise<void>
  /** When a failed attempt is tried again: why, and after how long. */
  readonly onRetry?: (info: ProviderHttp.RetryInfo) => void | Promise<void>
}

/** A logger such as `console`, pino or winston: a message, then the log's fields. */
export interface LoggerLike {
  readonly debug: (message: string, fields: Record<string, unknown>) => void
  readonly info: (message: string, fields: Record<string, unknown>) => void
  readonly warn: (message: string, fields: Record<string, unknown>) => void
  readonly error: (message: string, fields: Record<string, unknown>) => void
}

export type LogLevelName = "debug" | "info" | "warning" | "error" | "none"

export interface Options {
  readonly hooks?: Hooks
  /** Where Pasarela's logs go (default: Effect's logger, to the console). */
  readonly logger?: LoggerLike
  /** The least severe level logged (default `info`; `none` turns logging off). */
  readonly logLevel?: LogLevelName
  /**
   * Where Pasarela's spans go — one per operation, one per provider request under it: an Effect
   * tracer, e.g. OpenTelemetry's through `openTelemetryTracer` from `pasarela/opentelemetry`.
   */
  readonly tracer?: Tracer.Tracer
}

const levels: Record<LogLevelName, LogLevel.LogLevel> = {
  debug: LogLevel.Debug,
  info: LogLevel.Info,
  warning: LogLevel.Warning,
  error: LogLevel.Error,
  none: LogLevel.None
}

/** Runs an application callback without letting it fail the call: throws and rejections are logged. */
const guarded =
  <A>(name: string, callback: (info: A) => void | Promise<void>) =>
  (info: A): Effect.Effect<void> =>
    Effect.try({ try: () => callback(info), catch: (error) => error }).pipe(
      Effect.flatMap((result) =>
        result instanceof Promise
          ? Effect.asVoid(
              Effect.forkDaemon(
                Effect.tryPromise({ try: () => result, catch: (error) => error }).pipe(
                  Effect.catchAll(logFailure(name))
                )
              )
            )
          : Effect.void
      ),
      Effect.catchAll(logFailure(name))
    )

const logFailure = (name: string) => (error: unknown) =>
  Effect.logWarning(`the ${name} hook failed`, error instanceof Error ? error.message : String(error))

const hooksOf = (hooks: Hooks): ProviderHttp.Hooks => ({
  ...(hooks.onRequest === undefined ? {} : { onRequest: guarded("onRequest", hooks.onRequest) }),
  ...(hooks.onResponse === undefined ? {} : { onResponse: guarded("onResponse", hooks.onResponse) }),
  ...(hooks.onRetry === undefined ? {} : { onRetry: guarded("onRetry", hooks.onRetry) })
})

const textOf = (message: unknown): string =>
  (Array.isArray(message) ? message : [message])
    .map((part) => (typeof part === "string" ? part : String(part)))
    .join(" ")

/** Effect's log entries to a console-like logger, with the annotations (and any cause) as fields. */
export const toLogger = (target: LoggerLike): Logger.Logger<unknown, void> =>
  Logger.make(({ annotations, cause, logLevel, message }) => {
    const fields: Record<string, unknown> = Object.fromEntries(annotations)
    if (!Cause.isEmpty(cause)) fields.cause = Cause.pretty(cause)
    const write =
      logLevel._tag === "Fatal" || logLevel._tag === "Error"
        ? target.error
        : logLevel._tag === "Warning"
          ? target.warn
          : logLevel._tag === "Info"
            ? target.info
            : target.debug
    try {
      write(textOf(message), fields)
    } catch {
      // A logger that throws must not fail the call that logged.
    }
  })

/** The layer that installs what `options` asks for. */
export const layer = (options: Options): Layer.Layer<ProviderHttp.CurrentHooks> =>
  Layer.mergeAll(
    Layer.succeed(ProviderHttp.CurrentHooks, options.hooks === undefined ? {} : hooksOf(options.hooks)),
    options.logger === undefined ? Layer.empty : Logger.replace(Logger.defaultLogger, toLogger(options.logger)),
    options.logLevel === undefined ? Layer.empty : Logger.minimumLogLevel(levels[options.logLevel]),
    options.tracer === undefined ? Layer.empty : Layer.setTracer(options.tracer)
  )
