/**
 * Strict Base64 for what the simulators receive (PlacetoPay's nonce, Autocore's `auth_token` and
 * card fields): Node's decoder silently skips garbage, accepts the URL-safe alphabet, missing
 * padding and non-zero unused bits.
 */

/** The bytes of `text` when it is canonical Base64 (standard alphabet, padded), else `undefined`. */
export const decode = (text: string): Buffer | undefined => {
  const bytes = Buffer.from(text, "base64")
  // Node's encoder writes the one canonical form, so any other spelling of these bytes differs.
  return bytes.toString("base64") === text ? bytes : undefined
}
