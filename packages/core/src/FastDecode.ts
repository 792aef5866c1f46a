/**
 * `Schema.decodeUnknownEither` with a fast path for input the schema accepts. Every input and
 * every provider answer is decoded on each call, and Schema's general interpreter costs far more
 * than the checks themselves (an `Either` per node, a union of literals per key to refuse unknown
 * fields), most of all with cold caches, as after a wait on the network.
 *
 * The fast path is compiled once from the schema's AST: keywords, literals, refinements (the
 * schema's own filters run), declarations and transformations that answer synchronously, unions
 * without discriminating literals, arrays, and structs without index signatures. It answers
 * "accepted, with this value", "refused" or "not sure" (any other node). For anything but
 * "accepted" Schema decodes the input itself, so refusals carry Schema's own issues; where it
 * accepts, its value is the one Schema would give (held to Schema by property tests).
 */
import { SchemaAST as AST, Either, Option, type ParseResult, Schema } from "effect"

const REFUSED: unique symbol = Symbol("REFUSED")
const UNSURE: unique symbol = Symbol("UNSURE")
/** The decoded value when accepted; else `REFUSED` (Schema would fail) or `UNSURE` (ask Schema). */
type Check = (input: unknown) => unknown

const unsure: Check = () => UNSURE

/** Decodes like `Schema.decodeUnknownEither(schema, options)`, accepted input faster. */
export const decodeUnknownEither = <A, I>(
  schema: Schema.Schema<A, I>,
  options?: AST.ParseOptions
): ((input: unknown) => Either.Either<A, ParseResult.ParseError>) => {
  const slow = Schema.decodeUnknownEither(schema, options)
  const fast = compile(schema.ast, options ?? {})
  if (fast === unsure) return slow
  return (input) => {
    const verdict = fast(input)
    return verdict === REFUSED || verdict === UNSURE ? slow(input) : Either.right(verdict as A)
  }
}

/** The fast path alone, for tests: the value, or `undefined` when Schema decodes instead. */
export const fastPathOf =
  <A, I>(schema: Schema.Schema<A, I>, options?: AST.ParseOptions) =>
  (input: unknown): { readonly value: A } | undefined => {
    const verdict = compile(schema.ast, options ?? {})(input)
    return verdict === REFUSED || verdict === UNSURE ? undefined : { value: verdict as A }
  }

/** Compiled checks by schema and options (filters and transformations are given the options). */
const compiled = new WeakMap<AST.AST, Map<string, Check>>()

const compile = (ast: AST.AST, options: AST.ParseOptions): Check => {
  const key = `${options.errors}/${options.onExcessProperty}/${options.exact}/${options.propertyOrder}`
  let byOptions = compiled.get(ast)
  if (byOptions === undefined) {
    byOptions = new Map()
    compiled.set(ast, byOptions)
  }
  let check = byOptions.get(key)
  if (check === undefined) {
    check = compileAnew(ast, options)
    byOptions.set(key, check)
  }
  return check
}

const compileAnew = (ast: AST.AST, options: AST.ParseOptions): Check => {
  // These options change what Schema outputs; annotations that change options per node are left to Schema.
  if (options.onExcessProperty === "preserve" || options.propertyOrder === "original") return unsure
  const memo = new Map<AST.AST, Check>()
  const go = (node: AST.AST): Check => {
    let check = memo.get(node)
    if (check === undefined) {
      check =
        Option.isSome(AST.getParseOptionsAnnotation(node)) || Option.isSome(AST.getDecodingFallbackAnnotation(node))
          ? unsure
          : build(node, options, go)
      memo.set(node, check)
    }
    return check
  }
  return go(ast)
}

const is =
  (test: (input: unknown) => boolean): Check =>
  (input) =>
    test(input) ? input : REFUSED

const build = (ast: AST.AST, options: AST.ParseOptions, go: (ast: AST.AST) => Check): Check => {
  switch (ast._tag) {
    case "StringKeyword":
      return is((u) => typeof u === "string")
    case "NumberKeyword":
      return is((u) => typeof u === "number")
    case "BooleanKeyword":
      return is((u) => typeof u === "boolean")
    case "UndefinedKeyword":
      return is((u) => u === undefined)
    case "UnknownKeyword":
    case "AnyKeyword":
      return (u) => u
    case "Literal": {
      const literal = ast.literal
      return is((u) => u === literal)
    }
    case "Refinement":
      return refinement(ast, options, go(ast.from))
    case "Declaration":
      return declaration(ast, options)
    case "Transformation":
      return transformation(ast, options, go)
    case "Union":
      return union(ast, go)
    case "TupleType":
      return array(ast, go)
    case "TypeLiteral":
      return struct(ast, options, go)
    default:
      return unsure
  }
}

const refinement = (ast: AST.Refinement, options: AST.ParseOptions, from: Check): Check => {
  if (from === unsure) return unsure
  return (input) => {
    const value = from(input)
    if (value === REFUSED || value === UNSURE) return value
    return Option.isNone(ast.filter(value, options, ast)) ? value : REFUSED
  }
}

const declaration = (ast: AST.Declaration, options: AST.ParseOptions): Check => {
  const parse = ast.decodeUnknown(...ast.typeParameters)
  return (input) => {
    const result = parse(input, options, ast)
    if (!Either.isEither(result)) return UNSURE
    return Either.isRight(result) ? result.right : REFUSED
  }
}

/**
 * `transform`, `transformOrFail` and `compose` when they answer synchronously, and the renamed,
 * defaulted or nullable fields of a struct (`optionalWith`, `fromKey`), applied as Schema does.
 */
const transformation = (ast: AST.Transformation, options: AST.ParseOptions, go: (ast: AST.AST) => Check): Check => {
  const [from, to, kind] = [go(ast.from), go(ast.to), ast.transformation]
  return (input) => {
    const a = from(input)
    if (a === REFUSED || a === UNSURE) return a
    switch (kind._tag) {
      case "ComposeTransformation":
        return to(a)
      case "FinalTransformation": {
        const result = kind.decode(a, options, ast, input)
        if (!Either.isEither(result)) return UNSURE
        return Either.isRight(result) ? to(result.right) : REFUSED
      }
      case "TypeLiteralTransformation": {
        // `a` is the struct just decoded (a new object): its fields are moved in place, as Schema does.
        const fields = a as Record<PropertyKey, unknown>
        for (const field of kind.propertySignatureTransformations) {
          const value = field.decode(
            Object.hasOwn(fields, field.from) ? Option.some(fields[field.from]) : Option.none()
          )
          delete fields[field.from]
          if (Option.isSome(value)) fields[field.to] = value.value
        }
        return to(fields)
      }
    }
  }
}

/**
 * Schema tries a union's members in order and keeps the first that accepts, except that members
 * discriminated by a literal field are tried first by that field: such unions are left to Schema.
 */
const union = (ast: AST.Union, go: (ast: AST.AST) => Check): Check => {
  if (ast.types.some(hasLiteralTag)) return unsure
  const members = ast.types.map(go)
  return (input) => {
    for (const member of members) {
      const value = member(input)
      if (value !== REFUSED) return value
    }
    return REFUSED
  }
}

/** Whether Schema would index this union member by a literal field (its `getLiterals`), conservatively. */
const hasLiteralTag = (ast: AST.AST): boolean => {
  switch (ast._tag) {
    case "Declaration":
      return Option.isSome(AST.getSurrogateAnnotation(ast))
    case "TypeLiteral":
      return ast.propertySignatures.some((ps) => !ps.isOptional && AST.isLiteral(AST.encodedAST(ps.type)))
    case "TupleType":
      return ast.elements.some((e) => !e.isOptional && AST.isLiteral(AST.encodedAST(e.type)))
    case "Refinement":
      return hasLiteralTag(ast.from)
    case "Transformation":
      return hasLiteralTag(ast.from)
    case "Suspend":
      return true
    default:
      return false
  }
}

/** `Schema.Array(item)`: a new array of the decoded items. */
const array = (ast: AST.TupleType, go: (ast: AST.AST) => Check): Check => {
  if (ast.elements.length > 0 || ast.rest.length !== 1) return unsure
  const item = go(ast.rest[0]!.type)
  return (input) => {
    if (!Array.isArray(input)) return REFUSED
    const output = new Array<unknown>(input.length)
    for (let i = 0; i < input.length; i++) {
      const value = item(input[i])
      if (value === REFUSED || value === UNSURE) return value
      output[i] = value
    }
    return output
  }
}

/** A struct: its known fields decoded into a new object, in the schema's order, as Schema does. */
const struct = (ast: AST.TypeLiteral, options: AST.ParseOptions, go: (ast: AST.AST) => Check): Check => {
  if (ast.indexSignatures.length > 0 || ast.propertySignatures.length === 0) return unsure
  const fields = ast.propertySignatures.map((ps) => ({ name: ps.name, optional: ps.isOptional, check: go(ps.type) }))
  const known = new Set<PropertyKey>(fields.map((field) => field.name))
  const refuseUnknown = options.onExcessProperty === "error"
  const exact = options.exact === true
  return (input) => {
    if (typeof input !== "object" || input === null || Array.isArray(input)) return REFUSED
    if (refuseUnknown) {
      for (const key of Reflect.ownKeys(input)) if (!known.has(key)) return REFUSED
    }
    const output: Record<PropertyKey, unknown> = {}
    for (const field of fields) {
      const present = Object.hasOwn(input, field.name)
      if (!present && (field.optional || exact)) {
        if (field.optional) continue
        return REFUSED
      }
      const value = field.check((input as Record<PropertyKey, unknown>)[field.name])
      if (value === REFUSED || value === UNSURE) return value
      output[field.name] = value
    }
    return output
  }
}
