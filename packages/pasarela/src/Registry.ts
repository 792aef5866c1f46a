/**
 * The provider registry: provider names → how to build that provider from configuration. Open to
 * third parties: `Registry.make([...Providers.builtIn.values(), myProvider])`.
 *
 * A definition is cheap to hold: its options schema and secret names. The adapter itself may be
 * loaded only when a configured merchant needs it (`check` at start-up, `layer` on first call), so
 * a configuration naming one provider never loads the others.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { PaymentError, Router } from "@pasarela/core"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Schema from "effect/Schema"

export interface BuildInput<Options> {
  readonly merchantId: string
  readonly options: Options
  /** Secret option name → value, read from the environment variables the configuration names. */
  readonly secrets: Readonly<Record<string, Redacted.Redacted<string>>>
  /** Where this merchant's notifications from this provider should go, when webhooks are configured. */
  readonly notificationUrl: string | undefined
}

export interface ProviderDefinition<Options = unknown> {
  readonly name: string
  /** Decodes the JSON `options` of a merchant (non-secret only). */
  readonly options: Schema.Schema<Options, unknown>
  /** Secret option names: the configuration maps each to an environment variable. */
  readonly secrets: { readonly required: ReadonlyArray<string>; readonly optional: ReadonlyArray<string> }
  readonly layer: (
    input: BuildInput<Options>
  ) => Layer.Layer<Router.ProviderServices, PaymentError.PaymentError, HttpClient.HttpClient>
  /**
   * Checks the options the way the provider's layer will, without building it: layers are built
   * lazily on a merchant's first call, but configuration problems belong at start-up. Run only for
   * configured merchants, so it may load the adapter.
   */
  readonly check: (input: BuildInput<Options>) => Effect.Effect<ReadonlyArray<Issue>>
}

/** A problem with one option (`path` relative to the provider's options or secrets). */
export interface Issue {
  readonly path: string
  readonly message: string
}

export type Registry = ReadonlyMap<string, ProviderDefinition<unknown>>

/** Defines a provider for the registry (keeps the options type tied to its schema). */
export const define = <Options, I>(definition: {
  readonly name: string
  readonly options: Schema.Schema<Options, I>
  readonly secrets: { readonly required: ReadonlyArray<string>; readonly optional?: ReadonlyArray<string> }
  readonly layer: (
    input: BuildInput<Options>
  ) => Layer.Layer<Router.ProviderServices, PaymentError.PaymentError, HttpClient.HttpClient>
  /** Plain issues, or an effect that yields them (one that loads the adapter first, say). */
  readonly check?: (input: BuildInput<Options>) => ReadonlyArray<Issue> | Effect.Effect<ReadonlyArray<Issue>>
}): ProviderDefinition<unknown> => {
  const check = definition.check
  return {
    ...definition,
    secrets: { required: definition.secrets.required, optional: definition.secrets.optional ?? [] },
    check:
      check === undefined
        ? () => Effect.succeed([])
        : (input: BuildInput<Options>) =>
            Effect.suspend(() => {
              const issues = check(input)
              return Effect.isEffect(issues) ? issues : Effect.succeed(issues)
            })
  } as unknown as ProviderDefinition<unknown>
}

export const make = (definitions: Iterable<ProviderDefinition<unknown>>): Registry =>
  new Map([...definitions].map((definition) => [definition.name, definition]))
