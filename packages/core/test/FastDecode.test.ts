import { describe, expect, it } from "@effect/vitest"
import { Card, Charge, FastDecode, GiftCard, Money, PaymentLink, PaymentOrder } from "@pasarela/core"
import { Duration, Effect, Either, Schema, type SchemaAST } from "effect"

type AnySchema = Schema.Schema<unknown, unknown>
const erased = <A, I>(schema: Schema.Schema<A, I>) => schema as unknown as AnySchema

/** FastDecode's answer equals Schema's; `path`: whether the fast path gave it (else Schema did). */
const decodesAsSchema = <A, I>(schema: Schema.Schema<A, I>, input: unknown, options?: SchemaAST.ParseOptions) => {
  const bySchema = Schema.decodeUnknownEither(schema, options)(input)
  const decoded = FastDecode.decodeUnknownEither(schema, options)(input)
  if (Either.isRight(bySchema)) expect(decoded).toStrictEqual(Either.right(bySchema.right))
  else expect(Either.isLeft(decoded) && String(decoded.left)).toBe(String(bySchema.left))
  const fast = FastDecode.fastPathOf(schema, options)(input)
  if (fast !== undefined) expect(Either.right(fast.value)).toStrictEqual(bySchema)
  return { decoded, path: fast === undefined ? ("schema" as const) : ("fast" as const) }
}

const Item = Schema.Struct({ sku: Schema.String, quantity: Schema.Number.pipe(Schema.int(), Schema.positive()) })

describe("FastDecode", () => {
  it("structs: known fields in a new object, optional ones only when given", () => {
    const schema = Schema.Struct({ a: Schema.String, b: Schema.optional(Schema.Number) })
    for (const input of [{ a: "x" }, { a: "x", b: 1 }, { a: "x", b: undefined }]) {
      const { decoded, path } = decodesAsSchema(schema, input)
      expect(path).toBe("fast")
      expect(Either.getOrThrow(decoded)).not.toBe(input)
    }
    expect(decodesAsSchema(schema, { b: 1 }).path).toBe("schema")
    expect(decodesAsSchema(schema, { a: 1 }).path).toBe("schema")
    expect(decodesAsSchema(schema, null).path).toBe("schema")
    expect(decodesAsSchema(schema, ["x"]).path).toBe("schema")
  })

  it("unknown fields: dropped by default, refused with onExcessProperty error, kept by Schema with preserve", () => {
    const schema = Schema.Struct({ a: Schema.String })
    const input = { a: "x", extra: 1, [Symbol.for("s")]: 2 }
    expect(decodesAsSchema(schema, input)).toEqual({ decoded: Either.right({ a: "x" }), path: "fast" })
    const refused = decodesAsSchema(schema, input, { onExcessProperty: "error", errors: "all" })
    expect([Either.isLeft(refused.decoded), refused.path]).toEqual([true, "schema"])
    const kept = decodesAsSchema(schema, input, { onExcessProperty: "preserve" })
    expect([Either.getOrThrow(kept.decoded), kept.path]).toEqual([input, "schema"])
    // A `__proto__` own key is an unknown field like any other.
    const proto = JSON.parse('{"a":"x","__proto__":{"polluted":true}}')
    expect(decodesAsSchema(schema, proto, { onExcessProperty: "error" }).path).toBe("schema")
  })

  it("exact: a missing required field is refused even where undefined would do", () => {
    const schema = Schema.Struct({ a: Schema.Unknown })
    expect(decodesAsSchema(schema, {}).path).toBe("fast")
    expect(Either.isLeft(decodesAsSchema(schema, {}, { exact: true }).decoded)).toBe(true)
  })

  it("refinements run the schema's filters; refusals carry Schema's issues", () => {
    expect(decodesAsSchema(Item, { sku: "A", quantity: 2 }).path).toBe("fast")
    const { decoded, path } = decodesAsSchema(Item, { sku: "A", quantity: 1.5 }, { errors: "all" })
    expect(path).toBe("schema")
    expect(Either.isLeft(decoded) && String(decoded.left)).toContain("quantity")
    // Filters are given the decoding's options, as Schema gives them.
    const onlyWhenAll = Schema.String.pipe(Schema.filter((_, options) => options.errors === "all" || "not all"))
    expect(decodesAsSchema(onlyWhenAll, "x", { errors: "all" }).path).toBe("fast")
    expect(decodesAsSchema(onlyWhenAll, "x", { errors: "first" }).path).toBe("schema")
  })

  it("arrays: a new array of decoded items", () => {
    const schema = Schema.Array(Item)
    const input = [
      { sku: "A", quantity: 1 },
      { sku: "B", quantity: 2 }
    ]
    const { decoded, path } = decodesAsSchema(schema, input)
    expect(path).toBe("fast")
    expect(Either.getOrThrow(decoded)).not.toBe(input)
    expect(decodesAsSchema(schema, [...input, { sku: "C", quantity: 0 }]).path).toBe("schema")
    expect(decodesAsSchema(schema, "AB").path).toBe("schema")
  })

  it("unions: the first member that accepts, in order, as Schema decides", () => {
    const numberFirst = Schema.Union(Schema.NumberFromString, Schema.String)
    expect(decodesAsSchema(numberFirst, "12")).toEqual({ decoded: Either.right(12), path: "fast" })
    expect(decodesAsSchema(numberFirst, "abc")).toEqual({ decoded: Either.right("abc"), path: "fast" })
    const stringFirst = Schema.Union(Schema.String, Schema.NumberFromString)
    expect(decodesAsSchema(stringFirst, "12")).toEqual({ decoded: Either.right("12"), path: "fast" })
  })

  it("unions discriminated by a literal field are left to Schema, which tries the matching member first", () => {
    const A = Schema.Struct({ kind: Schema.Literal("a"), value: Schema.NumberFromString })
    const B = Schema.Struct({ kind: Schema.Literal("b"), value: Schema.String })
    const schema = Schema.Union(A, B)
    expect(decodesAsSchema(schema, { kind: "b", value: "12" })).toEqual({
      decoded: Either.right({ kind: "b", value: "12" }),
      path: "schema"
    })
  })

  it("transformations: transform, transformOrFail, compose; renamed, defaulted and nullable fields", () => {
    const Trimmed = Schema.transform(Schema.String, Schema.String, {
      strict: true,
      decode: (s) => s.trim(),
      encode: (s) => s
    })
    expect(decodesAsSchema(Trimmed, "  a ")).toEqual({ decoded: Either.right("a"), path: "fast" })
    const Composed = Schema.compose(Schema.NumberFromString, Schema.Number.pipe(Schema.positive()))
    expect(decodesAsSchema(Composed, "3").path).toBe("fast")
    expect(decodesAsSchema(Composed, "-3").path).toBe("schema")
    const Fields = Schema.Struct({
      list: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
      note: Schema.optionalWith(Schema.String, { nullable: true }),
      renamed: Schema.propertySignature(Schema.Number).pipe(Schema.fromKey("wire_name"))
    })
    for (const input of [{ wire_name: 1 }, { list: ["a"], note: null, wire_name: 2 }, { note: "n", wire_name: 3 }]) {
      expect(decodesAsSchema(Fields, input).path).toBe("fast")
    }
    expect(decodesAsSchema(Fields, { renamed: 1 }).path).toBe("schema")
  })

  it("declarations: their own check; one that answers with an effect is left to Schema", () => {
    expect(decodesAsSchema(Money.MoneyFromSelf, Money.make("1", "COP")).path).toBe("fast")
    expect(decodesAsSchema(Money.MoneyFromSelf, { amount: "1", currency: "COP" }).path).toBe("schema")
    const Effectful = Schema.declare([], {
      decode: () => (input) => Effect.succeed(input),
      encode: () => (input) => Effect.succeed(input)
    })
    expect(decodesAsSchema(Effectful, 1)).toEqual({ decoded: Either.right(1), path: "schema" })
  })

  it("what it does not interpret is left to Schema: records, per-schema parse options, recursion", () => {
    const record = Schema.Record({ key: Schema.String, value: Schema.Number })
    expect(decodesAsSchema(record, { a: 1 }).path).toBe("schema")
    const strict = Schema.Struct({ a: Schema.String }).annotations({ parseOptions: { onExcessProperty: "error" } })
    expect(decodesAsSchema(strict, { a: "x", b: 1 }).path).toBe("schema")
    interface Tree {
      readonly children: ReadonlyArray<Tree>
    }
    const Tree: Schema.Schema<Tree> = Schema.Struct({ children: Schema.Array(Schema.suspend(() => Tree)) })
    expect(decodesAsSchema(Tree, { children: [{ children: [] }] }).path).toBe("schema")
  })

  it("the neutral inputs, as callers usually write them, take the fast path", () => {
    const options = { errors: "all", onExcessProperty: "error" } as const
    const amount = Money.make("120000", "COP")
    const payer = { name: "Laura", surname: "Pelaez", email: "laura@example.com" }
    const card = Card.make({
      number: "4111111111111111",
      cvv: "123",
      expiryMonth: 12,
      expiryYear: 2099,
      holderName: "L P"
    })
    const typical: ReadonlyArray<readonly [AnySchema, unknown]> = [
      [erased(PaymentLink.CreatePaymentLink), { reference: "R-1", description: "2 nights", amount, payer }],
      [
        erased(PaymentLink.CreatePaymentLink),
        {
          merchantId: "hotel-bogota",
          reference: "R-1",
          description: "2 nights",
          amount,
          payer,
          expiresIn: "24 hours",
          paymentMethods: ["card", "pse"],
          returnUrls: { success: "https://hotel.example/ok" },
          metadata: { folio: "F-1" }
        }
      ],
      [
        erased(PaymentLink.CreatePaymentLink),
        { reference: "R-1", description: "2 nights", amount, expiresIn: Duration.hours(2) }
      ],
      [erased(Charge.CreateCharge), { reference: "R-1", description: "front desk", amount, payer, card }],
      [
        erased(PaymentOrder.CreatePaymentOrder),
        {
          reference: "R-1",
          description: "cash",
          amount,
          payer,
          method: "efecty",
          personType: "natural",
          returnUrl: "https://hotel.example/r"
        }
      ],
      [
        erased(GiftCard.CreateGiftCard),
        {
          reference: "G-1",
          amount,
          sender: {
            name: "Laura Pelaez",
            email: "laura@example.com",
            phone: { callingCode: "+57", number: "3001234567" },
            address: "Calle 1",
            document: { type: "CC", number: "1020304050" }
          },
          recipient: { name: "Ana", email: "ana@example.com" },
          note: "Happy birthday",
          returnUrls: { success: "https://hotel.example/ok", failure: "https://hotel.example/ko" }
        }
      ]
    ]
    for (const [schema, input] of typical) {
      expect(decodesAsSchema(schema, input, options).path, JSON.stringify(input)).toBe("fast")
    }
  })
})
