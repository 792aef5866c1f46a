/**
 * The one error every Pasarela operation fails with. Its `reason` says what went wrong; two facts
 * tell callers what to do next: `isRetrySafe` (retrying cannot duplicate anything) and
 * `mayHaveTakenEffect` (the provider may have processed the request: reconcile before retrying).
 * Messages never contain secrets or card data.
 */
import * as Schema from "effect/Schema"

/** One problem with one field of an input: `{ path: "payer.email", message: "must be an email address" }`. */
export class FieldIssue extends Schema.Class<FieldIssue>("FieldIssue")({
  path: Schema.String,
  message: Schema.String
}) {}

const describeIssues = (issues: ReadonlyArray<FieldIssue>) =>
  issues.map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`)).join("; ")

/** The input was refused before anything was sent. Lists every bad field at once. */
export class InvalidRequest extends Schema.TaggedClass<InvalidRequest>()("InvalidRequest", {
  issues: Schema.Array(FieldIssue)
}) {
  get description() {
    return `invalid request: ${describeIssues(this.issues)}`
  }
}

/** The provider cannot do this operation, or cannot honour one of the fields given. */
export class Unsupported extends Schema.TaggedClass<Unsupported>()("Unsupported", {
  detail: Schema.String
}) {
  get description() {
    return `unsupported: ${this.detail}`
  }
}

/** The provider refused the credentials. `code` is the provider's own code when it gives one. */
export class Authentication extends Schema.TaggedClass<Authentication>()("Authentication", {
  code: Schema.optional(Schema.String),
  detail: Schema.String,
  hint: Schema.optional(Schema.String)
}) {
  get description() {
    return `authentication failed${this.code === undefined ? "" : ` (code ${this.code})`}: ${this.detail}${
      this.hint === undefined ? "" : ` — ${this.hint}`
    }`
  }
}

export class NotFound extends Schema.TaggedClass<NotFound>()("NotFound", {
  detail: Schema.String
}) {
  get description() {
    return `not found: ${this.detail}`
  }
}

/** The request conflicts with the resource's state (e.g. a link already disabled). */
export class Conflict extends Schema.TaggedClass<Conflict>()("Conflict", {
  detail: Schema.String
}) {
  get description() {
    return `conflict: ${this.detail}`
  }
}

export class RateLimited extends Schema.TaggedClass<RateLimited>()("RateLimited", {
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  get description() {
    return `rate limited${this.retryAfterMillis === undefined ? "" : `, retry after ${this.retryAfterMillis} ms`}`
  }
}

/** The provider could not process the request (5xx it answers for, connection refused): nothing happened. */
export class ProviderUnavailable extends Schema.TaggedClass<ProviderUnavailable>()("ProviderUnavailable", {
  status: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  get description() {
    return `provider unavailable${this.status === undefined ? "" : ` (HTTP ${this.status})`}: ${this.detail}`
  }
}

/**
 * No answer in time, and nothing changed: a query, or a request that was never sent. (A create sent
 * without an answer in time is `OutcomeUnknown`.)
 */
export class Timeout extends Schema.TaggedClass<Timeout>()("Timeout", {
  afterMillis: Schema.Number
}) {
  get description() {
    return `no answer within ${this.afterMillis} ms`
  }
}

/**
 * The caller aborted the call (its `AbortSignal`) and nothing changed: the request was not sent,
 * or only read. (A create aborted on its way is `OutcomeUnknown`.)
 */
export class Aborted extends Schema.TaggedClass<Aborted>()("Aborted", {
  detail: Schema.String
}) {
  get description() {
    return `aborted: ${this.detail}`
  }
}

/**
 * The request may or may not have been processed (connection lost after sending, an answer that
 * says nothing). `advice` tells the caller how to find out before trying again.
 */
export class OutcomeUnknown extends Schema.TaggedClass<OutcomeUnknown>()("OutcomeUnknown", {
  detail: Schema.String,
  advice: Schema.String
}) {
  get description() {
    return `outcome unknown: ${this.detail} — ${this.advice}`
  }
}

/** The provider answered something its contract does not allow. */
export class ProtocolViolation extends Schema.TaggedClass<ProtocolViolation>()("ProtocolViolation", {
  status: Schema.optional(Schema.Number),
  detail: Schema.String
}) {
  get description() {
    return `unexpected answer from the provider${this.status === undefined ? "" : ` (HTTP ${this.status})`}: ${
      this.detail
    }`
  }
}

/** The library is configured wrongly (bad base URL, missing secret, unknown merchant…). */
export class Configuration extends Schema.TaggedClass<Configuration>()("Configuration", {
  issues: Schema.Array(FieldIssue)
}) {
  get description() {
    return `configuration: ${describeIssues(this.issues)}`
  }
}

/** A notification was not accepted: forged, malformed, stale or for someone else. */
export class WebhookRejected extends Schema.TaggedClass<WebhookRejected>()("WebhookRejected", {
  detail: Schema.String
}) {
  get description() {
    return `notification rejected: ${this.detail}`
  }
}

export const Reason = Schema.Union(
  InvalidRequest,
  Unsupported,
  Authentication,
  NotFound,
  Conflict,
  RateLimited,
  ProviderUnavailable,
  Timeout,
  Aborted,
  OutcomeUnknown,
  ProtocolViolation,
  Configuration,
  WebhookRejected
)
export type Reason = typeof Reason.Type

/** Operations that only read: retrying them never duplicates anything. */
const readOnlyOperations = new Set(["links.get", "webhooks.verify"])

export class PaymentError extends Schema.TaggedError<PaymentError>()("PaymentError", {
  provider: Schema.String,
  operation: Schema.String,
  merchantId: Schema.optional(Schema.String),
  reason: Reason
}) {
  override get message(): string {
    const where = this.merchantId === undefined ? this.provider : `${this.provider} (merchant ${this.merchantId})`
    return `${where} ${this.operation}: ${this.reason.description}`
  }

  /** The provider may have processed the request: reconcile (e.g. look it up) before retrying. */
  get mayHaveTakenEffect(): boolean {
    return this.reason._tag === "OutcomeUnknown"
  }

  /** Trying the same call again cannot create anything twice. */
  get isRetrySafe(): boolean {
    switch (this.reason._tag) {
      case "RateLimited":
      case "ProviderUnavailable":
      case "Timeout":
      case "Aborted":
        return true
      case "OutcomeUnknown":
        return readOnlyOperations.has(this.operation)
      default:
        return false
    }
  }
}

export const isPaymentError = (u: unknown): u is PaymentError => u instanceof PaymentError

/**
 * Configuration problems, each at its path, as the one error a provider's or Pasarela's setup
 * fails with (operation `configure`, or the command's that found them): every problem reported at once.
 */
export const configurationError = (
  provider: string,
  issues: ReadonlyArray<{ readonly path: string; readonly message: string }>,
  operation = "configure"
): PaymentError =>
  new PaymentError({
    provider,
    operation,
    reason: new Configuration({ issues: issues.map((issue) => new FieldIssue(issue)) })
  })

/** Convenience constructor: `make("placetopay", "links.get", new NotFound({ detail }))`. */
export const make = (provider: string, operation: string, reason: Reason, merchantId?: string): PaymentError =>
  new PaymentError(
    merchantId === undefined ? { provider, operation, reason } : { provider, operation, reason, merchantId }
  )
