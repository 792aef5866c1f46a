/**
 * Amounts as a person reads them: the currency's code and the locale's separators
 * (`COP 480.000`, `USD 1.250,50`). The value is formatted from its exact decimal text, never
 * rounded: a fraction the currency does not usually show is shown rather than hidden. Card numbers
 * too, in groups of four digits.
 */

export const groupDigits = (number: string): string => number.replace(/(\d{4})(?=\d)/g, "$1 ")

const formatters = new Map<string, Intl.NumberFormat>()

const formatter = (locale: string, currency: string, fractionDigits: number | undefined): Intl.NumberFormat => {
  const key = `${locale}|${currency}|${fractionDigits ?? ""}`
  let found = formatters.get(key)
  if (found === undefined) {
    found = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      currencyDisplay: "code",
      ...(fractionDigits === undefined
        ? {}
        : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits })
    })
    formatters.set(key, found)
  }
  return found
}

/**
 * `480000, "COP", "es-CO"` → `COP 480.000`. Takes the amount as a number or as its decimal text
 * (wire totals come as both). An unknown currency or locale falls back to `480000 XYZ`.
 */
export const formatAmount = (amount: number | string, currency: string, locale: string): string => {
  const exact = String(amount).trim()
  if (!/^-?\d+(\.\d+)?$/.test(exact)) return `${exact} ${currency}`
  const decimals = exact.split(".")[1]?.length ?? 0
  try {
    const usual = formatter(locale, currency, undefined).resolvedOptions().maximumFractionDigits ?? 0
    // Intl.NumberFormat formats a decimal string exactly (no float rounding on the way).
    return formatter(locale, currency, Math.max(usual, decimals)).format(exact as unknown as number)
  } catch {
    return `${exact} ${currency}`
  }
}
