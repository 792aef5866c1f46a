/**
 * What the checkout page's card form posts, checked before anything is paid: a card number that
 * is not one of the test cards is refused with a message saying this is a sandbox, so no real
 * card number goes any further. Messages are in the link's language. Pure.
 */
import * as Either from "effect/Either"
import { expiryEnd, luhnValid, normalizeNumber, outcomeOf } from "./Cards.js"
import type { Card, PayerInput } from "./Engine.js"
import { notATestCard } from "./Pages.js"

type Language = "es" | "en"

const messages = {
  es: {
    number: "El número de tarjeta debe tener de 13 a 19 dígitos y ser válido.",
    expiry: "El vencimiento debe escribirse MM/AA o MM/AAAA.",
    cvv: "El CVV debe tener 3 o 4 dígitos.",
    holder: "Escriba el nombre del titular."
  },
  en: {
    number: "The card number must be 13 to 19 digits and valid.",
    expiry: "Write the expiry as MM/YY or MM/YYYY.",
    cvv: "The CVV must be 3 or 4 digits.",
    holder: "Write the cardholder's name."
  }
} as const

export interface CardPayment {
  readonly card: Card
  readonly payer: PayerInput
}

/** When the post was not a readable form (too large, another content type). */
export const unreadableForm = (language: Language): string =>
  language === "en"
    ? "The form could not be read; please try again."
    : "No se pudo leer el formulario; intente de nuevo."

const field = (fields: Readonly<Record<string, string>>, name: string): string => (fields[name] ?? "").trim()

/** The card and payer to pay with, or the message to show on the form. */
export const readCardForm = (
  fields: Readonly<Record<string, string>>,
  language: Language
): Either.Either<CardPayment, string> => {
  const t = messages[language]
  const digits = normalizeNumber(field(fields, "number"))
  if (digits === undefined || !luhnValid(digits)) return Either.left(t.number)
  if (outcomeOf(digits) === "UNKNOWN_CARD") return Either.left(notATestCard(language))
  const expiry = field(fields, "expiry")
  if (expiryEnd(expiry) === undefined) return Either.left(t.expiry)
  const cvv = field(fields, "cvv")
  if (!/^\d{3,4}$/.test(cvv)) return Either.left(t.cvv)
  const holder = field(fields, "holder").replace(/\s+/g, " ")
  if (holder === "" || holder.length > 80) return Either.left(t.holder)
  const [name, ...rest] = holder.split(" ")
  const surname = rest.join(" ")
  return Either.right({
    card: { number: digits, cvv, expiry },
    payer: surname === "" ? { name: name! } : { name: name!, surname }
  })
}
