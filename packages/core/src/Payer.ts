/** The person paying: the guest, or whoever pays for them. */
import * as Schema from "effect/Schema"
import { CountryCode, Email, IpAddress, Text } from "./Fields.js"

/** A phone number split as gateways want it: `{ callingCode: "+57", number: "3001234567" }`. */
export const Phone = Schema.Struct({
  callingCode: Schema.String.pipe(Schema.filter((s) => /^\+\d{1,4}$/.test(s) || "must be a calling code such as +57")),
  number: Schema.String.pipe(Schema.filter((s) => /^\d{4,15}$/.test(s) || "must be 4 to 15 digits"))
})
export type Phone = typeof Phone.Type

/** An identity document: `{ type: "CC", number: "1020304050" }` (types are the country's codes). */
export const Document = Schema.Struct({
  type: Schema.String.pipe(Schema.filter((s) => /^[A-Z]{1,10}$/.test(s) || "must be a document type code such as CC")),
  number: Schema.String.pipe(
    Schema.filter((s) => /^[A-Za-z0-9-]{3,20}$/.test(s) || "must be 3 to 20 letters, digits or dashes")
  )
})
export type Document = typeof Document.Type

export const Payer = Schema.Struct({
  name: Text(60),
  surname: Schema.optional(Text(60)),
  email: Schema.optional(Email),
  phone: Schema.optional(Phone),
  country: Schema.optional(CountryCode),
  document: Schema.optional(Document),
  address: Schema.optional(Text(200)),
  ip: Schema.optional(IpAddress)
}).annotations({ identifier: "Payer" })
export type Payer = typeof Payer.Type

/** `{ callingCode: "+57", number: "300…" }` → `+57300…` */
export const formatPhone = (phone: Phone): string => `${phone.callingCode}${phone.number}`

/** `Laura Pelaez`: name and surname as one line. */
export const fullName = (payer: Pick<Payer, "name" | "surname">): string =>
  payer.surname === undefined ? payer.name : `${payer.name} ${payer.surname}`
