/** How the CLI shows things: readable tables by default, JSON for scripts, errors as one line + hint. */
import type { PaymentError } from "@pasarela/core"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"

export type Row = readonly [label: string, value: unknown]

const text = (value: unknown): string =>
  value === undefined
    ? "-"
    : value instanceof Date
      ? value.toISOString()
      : typeof value === "object" && value !== null && !Array.isArray(value) && "toString" in value
        ? String(value)
        : Array.isArray(value)
          ? `${value.length}`
          : String(value)

/** Two aligned columns. */
export const table = (rows: ReadonlyArray<Row>): string => {
  const width = Math.max(...rows.map(([label]) => label.length))
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${text(value)}`).join("\n")
}

/** Rows of several records under a header line. */
export const grid = (headers: ReadonlyArray<string>, records: ReadonlyArray<ReadonlyArray<unknown>>): string => {
  const cells = [headers, ...records.map((r) => r.map(text))]
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => String(row[i] ?? "").length)))
  return cells
    .map((row) =>
      row
        .map((cell, i) => String(cell).padEnd(widths[i]!))
        .join("  ")
        .trimEnd()
    )
    .join("\n")
}

/** Prints `value` as JSON when asked, else the readable form. */
export const print = (json: boolean, value: unknown, readable: () => string) =>
  Console.log(json ? JSON.stringify(value, null, 2) : readable())

/** What to do about each kind of failure. */
export const hintFor = (error: PaymentError.PaymentError): string => {
  const reason = error.reason
  switch (reason._tag) {
    case "InvalidRequest":
      return "fix the fields named above; nothing was sent"
    case "Unsupported":
      return "this merchant's provider cannot do that; see the provider's capabilities in the README"
    case "Authentication":
      return reason.hint ?? "check the credentials and the environment variables the config names"
    case "NotFound":
      return "check the id (use the id printed when the link was created)"
    case "Conflict":
      return "the resource is not in a state that allows this"
    case "RateLimited":
      return "wait a moment and try again"
    case "ProviderUnavailable":
      return "the provider is unreachable or failing; nothing was done, try again later"
    case "Timeout":
      return "nothing was changed; try again"
    case "Aborted":
      return "the call was aborted before anything changed; try again"
    case "OutcomeUnknown":
      return reason.advice
    case "ProtocolViolation":
      return "the provider answered something unexpected; report it with the time of the call"
    case "Configuration":
      // A server that cannot listen says why itself (see Listen.ts); the environment is not the cause.
      return error.operation === "serve"
        ? "choose another --port, or stop the program that uses this one"
        : "check the config file and that the environment variables it names are set"
    case "WebhookRejected":
      return "the notification could not be authenticated"
  }
}

/** How a failure is shown: JSON alone on stdout for scripts, else one line and a hint on stderr. */
export const printFailure = (json: boolean, failure: Failure) =>
  json
    ? Console.log(JSON.stringify({ error: failure }))
    : Effect.zipRight(Console.error(`error: ${failure.message}`), Console.error(`hint: ${failure.hint}`))

/** What every failure says, a `PaymentError` or a usage error. */
export interface Failure {
  /** `PaymentError` reasons (`Configuration`, `NotFound`…), or `Usage` for a command line the parser refused. */
  readonly reason: string
  readonly message: string
  readonly hint: string
}

export const failureOf = (error: PaymentError.PaymentError): Failure => ({
  reason: error.reason._tag,
  message: error.message,
  hint: hintFor(error)
})
