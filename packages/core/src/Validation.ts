/**
 * Validation of neutral inputs before anything is sent: every bad field is reported at once as an
 * `InvalidRequest` reason, with paths like `payer.email`.
 */
import { Array as Arr, type Effect, Either, ParseResult, type Schema } from "effect"
import * as FastDecode from "./FastDecode.js"
import { FieldIssue, InvalidRequest, PaymentError } from "./PaymentError.js"

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
): ((input: unknown) => Effect.Effect<A, PaymentError>) => {
  // Built once per operation; inputs decode synchronously (no schema here has effectful parts).
  const decode = FastDecode.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })
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
