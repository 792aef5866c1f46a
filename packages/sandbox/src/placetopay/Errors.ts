import * as Schema from "effect/Schema"

/** Why a sandbox control operation (or the sandbox's configuration) was refused. */
export const SandboxErrorReason = Schema.Literal(
  "LinkNotFound",
  "LinkNotPayable",
  "LinkNotActive",
  "InvalidCard",
  "InvalidOptions"
)
export type SandboxErrorReason = typeof SandboxErrorReason.Type

export class SandboxError extends Schema.TaggedError<SandboxError>("@pasarela/sandbox/PlacetoPaySandbox/SandboxError")(
  "SandboxError",
  { reason: SandboxErrorReason, message: Schema.String }
) {}
