/**
 * Validation of neutral inputs before anything is sent: every bad field is reported at once as an
 * `InvalidRequest` reason, with paths like `payer.email`; an adapter's own refusals are collected
 * the same way (`Problems`).
 */
import * as Arr from "effect/Array"
import type * as BigDecimal from "effect/BigDecimal"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import type { Money } from "./Money.js"
import { FieldIssue, InvalidRequest, PaymentError, Unsupported } from "./PaymentError.js"

const pathOf = (path: ReadonlyArray<PropertyKey>) =>
  path
    .map((p) => (typeof p === "number" ? `[${p}]` : String(p)))
    .join(".")
    .replace(/\.\[/g, "[")

const isMany = (
  issues: ParseResult.SingleOrNonEmpty<ParseResult.ParseIssue>
): issues is Arr.NonEmptyReadonlyArray<ParseResult.ParseIssue> => Array.isArray(issues)

/**
 * The same issue tree without the offending values. Schema's default messages print the value
 * ("Expected string, actual …"): that could be personal data, and printing a deeply nested value
 * overflows the stack. The tree follows the schema, so this walk is as deep as the schema, not the input.
 */
const withoutValues = (issue: ParseResult.ParseIssue): ParseResult.ParseIssue => {
  switch (issue._tag) {
    case "Type":
      return new ParseResult.Type(issue.ast, undefined, issue.message)
    case "Pointer":
      return new ParseResult.Pointer(issue.path, undefined, withoutValues(issue.issue))
    case "Refinement":
      return new ParseResult.Refinement(issue.ast, undefined, issue.kind, withoutValues(issue.issue))
    case "Transformation":
      return new ParseResult.Transformation(issue.ast, undefined, issue.kind, withoutValues(issue.issue))
    case "Composite":
      return new ParseResult.Composite(
        issue.ast,
        undefined,
        isMany(issue.issues) ? Arr.map(issue.issues, withoutValues) : withoutValues(issue.issues)
      )
    default:
      return issue
  }
}

/** ParseError → field issues. Messages come from our schemas' annotations, never the values. */
export const issuesOf = (error: ParseResult.ParseError): ReadonlyArray<FieldIssue> => {
  const issues = ParseResult.ArrayFormatter.formatIssueSync(withoutValues(error.issue)).map(
    (issue) =>
      new FieldIssue({
        path: pathOf(issue.path),
        message: issue._tag === "Unexpected" ? "is not a known field" : conciseMessage(issue.message)
      })
  )
  // An optional field is `X | undefined`: when X fails, the union also reports "expected undefined"
  // for that field (and its parents). Only the X issue says anything useful.
  const within = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`)
  return issues.filter(
    (issue) =>
      issue.message !== "expected undefined" ||
      !issues.some(
        (other) => other !== issue && other.message !== "expected undefined" && within(other.path, issue.path)
      )
  )
}

// Schema's default messages quote the actual value ("Expected string, actual 4111…"); that could
// be personal data, so keep only the expectation.
const conciseMessage = (message: string) => message.replace(/, actual [\s\S]*$/, "").replace(/^Expected /, "expected ")

/**
 * Decodes `input` with `schema`, reporting every problem; unknown fields are refused too, so a
 * misspelt option is never silently ignored.
 */
export const validate = <A, I>(
  schema: Schema.Schema<A, I>,
  context: { readonly provider: string; readonly operation: string }
): ((input: unknown) => Effect.Effect<A, PaymentError>) => validateEither(schema, context)

/** `validate`, as a synchronous `Either` (which is also an `Effect`). */
export const validateEither = <A, I>(
  schema: Schema.Schema<A, I>,
  context: { readonly provider: string; readonly operation: string }
): ((input: unknown) => Either.Either<A, PaymentError>) => {
  // Built once per operation; inputs decode synchronously (no schema here has effectful parts).
  const decode = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })
  return (input) =>
    Either.mapLeft(
      decode(input),
      (error) =>
        new PaymentError({
          provider: context.provider,
          operation: context.operation,
          reason: new InvalidRequest({ issues: issuesOf(error) })
        })
    )
}

/** An InvalidRequest error from issues found by an adapter's own rules (wire limits and such). */
export const invalid = (
  context: { readonly provider: string; readonly operation: string },
  issues: ReadonlyArray<{ readonly path: string; readonly message: string }>
): PaymentError =>
  new PaymentError({
    provider: context.provider,
    operation: context.operation,
    reason: new InvalidRequest({ issues: issues.map((i) => new FieldIssue(i)) })
  })

// ---- a provider's own rules, next to the shared schema's ----

/**
 * An input as a provider's rules see it when the shared schema refused part of it: the fields that
 * decoded, each as the schema made it; nested records (payer, card…) as far as they decoded. Values
 * such as `Money`, dates and `Redacted` are whole or absent.
 */
export type Salvaged<A> = A extends
  | Money
  | Date
  | Duration.Duration
  | Redacted.Redacted<unknown>
  | BigDecimal.BigDecimal
  | ReadonlyArray<unknown>
  ? A
  : A extends object
    ? string extends keyof A
      ? A // a record (metadata, provider options) decodes whole
      : { readonly [K in keyof A]?: Salvaged<A[K]> }
    : A

/** An issue found by a provider's own rules, `path` relative to the input. */
export interface RuleIssue {
  readonly path: string
  readonly message: string
}

/**
 * A provider's own rules on an input (whole amounts, a shorter description, a card not expired at
 * `now`…), written to judge whatever part of the input is there. The shared schema runs first;
 * when it refuses some fields, these rules still run on the others, so one report lists every bad
 * field. A provider's mapping calls the same rules on a valid input.
 */
export type InputRules<A> = (input: Salvaged<A>, now: number) => ReadonlyArray<RuleIssue>

const NOTHING: unique symbol = Symbol("nothing")

/** The shape under refinements (whole-value rules, which need every field) and optionality. */
const structOf = (ast: SchemaAST.AST): SchemaAST.TypeLiteral | undefined => {
  if (SchemaAST.isRefinement(ast)) return structOf(ast.from)
  if (SchemaAST.isTypeLiteral(ast)) return ast.indexSignatures.length === 0 ? ast : undefined
  if (SchemaAST.isUnion(ast)) {
    const defined = ast.types.filter((member) => !SchemaAST.isUndefinedKeyword(member))
    return defined.length === 1 ? structOf(defined[0]!) : undefined
  }
  return undefined
}

const decoders = new WeakMap<SchemaAST.AST, (input: unknown) => Either.Either<unknown, ParseResult.ParseError>>()

const decoderOf = (ast: SchemaAST.AST) => {
  let decode = decoders.get(ast)
  if (decode === undefined) {
    decode = Schema.decodeUnknownEither(Schema.make(ast))
    decoders.set(ast, decode)
  }
  return decode
}

const salvageAt = (ast: SchemaAST.AST, input: unknown): unknown => {
  const whole = decoderOf(ast)(input)
  if (Either.isRight(whole)) return whole.right
  const struct = structOf(ast)
  if (struct === undefined || typeof input !== "object" || input === null || Array.isArray(input)) return NOTHING
  const out: Record<PropertyKey, unknown> = {}
  for (const property of struct.propertySignatures) {
    if (!Object.hasOwn(input, property.name)) continue
    const value = salvageAt(property.type, (input as Record<PropertyKey, unknown>)[property.name])
    if (value !== NOTHING && value !== undefined) out[property.name] = value
  }
  return out
}

/**
 * The parts of `input` that `schema` accepts, field by field (nested records too): what a
 * provider's rules judge when the whole was refused. Whole-value rules of the schema (a filter over
 * several fields) are left out: they need every field.
 */
export const salvage = <A, I>(schema: Schema.Schema<A, I>, input: unknown): Salvaged<A> => {
  const value = salvageAt(schema.ast, input)
  return (value === NOTHING ? {} : value) as Salvaged<A>
}

/** True when `path` is `outer` or inside it (`payer.email` is inside `payer`, `taxes[0]` inside `taxes`). */
const isWithin = (path: string, outer: string): boolean =>
  path === outer || path.startsWith(`${outer}.`) || path.startsWith(`${outer}[`)

/**
 * One report from the shared schema's issues and a provider's rules: a rule's issue on a field the
 * schema already refused says nothing more (the field it judged was not there) and is dropped.
 */
export const mergeIssues = (
  schemaIssues: ReadonlyArray<FieldIssue>,
  ruleIssues: ReadonlyArray<RuleIssue>
): ReadonlyArray<FieldIssue> => [
  ...schemaIssues,
  ...ruleIssues
    .filter((rule) => !schemaIssues.some((issue) => isWithin(rule.path, issue.path)))
    .map((rule) => new FieldIssue(rule))
]

// ---- what an adapter's mapping refuses ----

/**
 * Collects what an adapter's mapping finds wrong with one input, so the caller learns every problem
 * at once: values its wire cannot carry (`bad`: an `InvalidRequest` issue on that field) and fields
 * it has no place for (`refuse`: `Unsupported` naming them; refused, never silently dropped).
 */
export class Problems {
  /** The bad values, in the order found; also what the adapter's `InputRules` report. */
  readonly invalid: Array<FieldIssue> = []
  /** The fields the provider cannot honour, each as `path (why)`. */
  readonly unsupported: Array<string> = []

  /** `provider` is the gateway's name as the `Unsupported` detail says it: "PlacetoPay cannot honour …". */
  constructor(readonly provider: string) {}

  /** Records a bad value; `undefined`, so a check can `return problems.bad(…)` in place of the value. */
  bad(path: string, message: string): undefined {
    this.invalid.push(new FieldIssue({ path, message }))
    return undefined
  }

  /** Records a field the provider has no place for, and why. */
  refuse(path: string, why: string): void {
    this.unsupported.push(`${path} (${why})`)
  }

  /** `value()` when nothing was found, else the refusal. */
  result<A>(value: () => A): Either.Either<A, InvalidRequest | Unsupported> {
    // A field the provider cannot honour is the more fundamental problem: fixing values would not help.
    if (this.unsupported.length > 0) {
      return Either.left(new Unsupported({ detail: `${this.provider} cannot honour ${this.unsupported.join("; ")}` }))
    }
    if (this.invalid.length > 0) return Either.left(new InvalidRequest({ issues: this.invalid }))
    return Either.right(value())
  }
}
