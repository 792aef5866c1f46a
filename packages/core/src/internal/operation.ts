import { Effect, type Schema } from "effect"
import { PaymentError, Unsupported } from "../PaymentError.js"
import type { Operation, ProviderInfo } from "../Provider.js"
import { validate } from "../Validation.js"
import { withSpan } from "./tracing.js"

/**
 * Wraps one provider operation the same way for every provider: a span named after the operation,
 * input validated before the implementation runs, and `Unsupported` when the provider lacks it.
 * Spans carry provider, operation and merchant only: never inputs, which hold personal and card data
 * (and are made only where a tracer keeps them: `tracing.ts`).
 */
export const operation = <A, I, R>(
  provider: ProviderInfo,
  name: Operation,
  schema: Schema.Schema<A, I>,
  implementation: ((input: A) => Effect.Effect<R, PaymentError>) | undefined
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
      ).pipe(withSpan(`pasarela.${name}`, () => spanOptions(provider, name, input)))
  }
  const decode = validate(schema, context)
  return (input) =>
    decode(input).pipe(
      Effect.flatMap(implementation),
      withSpan(`pasarela.${name}`, () => spanOptions(provider, name, input))
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
