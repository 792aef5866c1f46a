import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Schema from "effect/Schema"
import * as CallOptions from "../CallOptions.js"
import { InvalidRequest, PaymentError, Unsupported } from "../PaymentError.js"
import type { Operation, ProviderInfo } from "../Provider.js"
import { type InputRules, mergeIssues, salvage, validateEither } from "../Validation.js"

/**
 * Wraps one provider operation the same way for every provider: a span named after the operation,
 * input validated before the implementation runs, and `Unsupported` when the provider lacks it.
 * When the shared schema refuses the input, the provider's own `rules` (if any) still judge the
 * fields it accepted, and both kinds of issue go in one `InvalidRequest`. Spans carry provider,
 * operation and merchant only: never inputs, which hold personal and card data.
 */
export const operation = <A, I, R>(
  provider: ProviderInfo,
  name: Operation,
  schema: Schema.Schema<A, I>,
  implementation: ((input: A) => Effect.Effect<R, PaymentError>) | undefined,
  rules?: InputRules<A>
): ((input: I) => Effect.Effect<R, PaymentError>) => {
  const context = { provider: provider.name, operation: name }
  if (implementation === undefined || !provider.capabilities.has(name)) {
    return (input) =>
      Effect.fail(
        new PaymentError({
          ...context,
          ...merchantOf(input),
          reason: new Unsupported({ detail: `${provider.displayName} does not support ${name}` })
        })
      ).pipe(Effect.withSpan(`pasarela.${name}`, spanOptions(provider, name, input)))
  }
  const decode = validateEither(schema, context)
  // Only a refused input pays for the rules: a valid one goes on as decoded.
  const withRules =
    rules === undefined
      ? decode
      : (input: unknown): Effect.Effect<A, PaymentError> => {
          const decoded = decode(input)
          if (Either.isRight(decoded) || decoded.left.reason._tag !== "InvalidRequest") return decoded
          const { left: error } = decoded
          const schemaIssues = decoded.left.reason.issues
          return Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.fail(
              new PaymentError({
                ...error,
                reason: new InvalidRequest({ issues: mergeIssues(schemaIssues, rules(salvage(schema, input), now)) })
              })
            )
          )
        }
  // A call whose signal was aborted before it started sends nothing (an invalid input is still
  // reported as such: that answer does not depend on the provider).
  const unlessAborted = (input: unknown, valid: A) =>
    Effect.flatMap(CallOptions.CallSignal, (signal) =>
      signal?.aborted
        ? Effect.fail(
            new PaymentError({
              ...context,
              ...merchantOf(input),
              reason: CallOptions.abortedReason(signal.reason, "nothing was sent")
            })
          )
        : implementation(valid)
    )
  return (input) =>
    withRules(input).pipe(
      Effect.flatMap((valid) => unlessAborted(input, valid)),
      Effect.withSpan(`pasarela.${name}`, spanOptions(provider, name, input))
    )
}

const merchantOf = (input: unknown): { merchantId?: string } => {
  const merchantId =
    typeof input === "object" && input !== null ? (input as { merchantId?: unknown }).merchantId : undefined
  return typeof merchantId === "string" ? { merchantId } : {}
}

const spanOptions = (provider: ProviderInfo, name: Operation, input: unknown) => {
  const { merchantId } = merchantOf(input)
  return {
    attributes: {
      "pasarela.provider": provider.name,
      "pasarela.operation": name,
      ...(merchantId === undefined ? {} : { "pasarela.merchant": merchantId })
    },
    captureStackTrace: false
  }
}

/** A service whose one operation creates: charges, payment orders, gift cards. */
export interface CreateService<I, A> {
  readonly provider: ProviderInfo
  readonly create: (input: I) => Effect.Effect<A, PaymentError>
}

/** What a provider implements of a `CreateService`: `create`, and its own rules on the input. */
export interface CreateImplementation<T, A> {
  readonly create?: (input: T) => Effect.Effect<A, PaymentError>
  /** The provider's own rules on the input, reported with the shared schema's issues. */
  readonly rules?: { readonly create?: InputRules<T> }
}

/** The constructor of a `CreateService`, from its operation and its input's schema. */
export const createService =
  <T, I, A>(name: Operation, schema: Schema.Schema<T, I>) =>
  (provider: ProviderInfo, implementation: CreateImplementation<T, A>): CreateService<I, A> => ({
    provider,
    create: operation(provider, name, schema, implementation.create, implementation.rules?.create)
  })
