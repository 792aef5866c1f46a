/** A server that cannot start, said the way the CLI says every failure. */
import { PaymentError } from "@pasarela/core"

/** Reported like a configuration problem, with its own hint (see `Output.hintFor`). */
export const cannotListen = (port: number) => (error: unknown) =>
  PaymentError.configurationError("cli", [{ path: "--port", message: describeListenError(port, error) }], "serve")

const describeListenError = (port: number, error: unknown): string => {
  const cause = (error as { cause?: unknown } | undefined)?.cause
  const code = (cause as { code?: unknown } | undefined)?.code
  if (code === "EADDRINUSE") return `port ${port} is in use (EADDRINUSE): stop what uses it or pick another --port`
  const detail = typeof code === "string" ? code : error instanceof Error ? error.message : String(error)
  return `cannot listen on ${port}: ${detail}`
}
