/**
 * String comparison whose time does not depend on where two strings differ, for signatures and
 * tokens. Portable (no `node:crypto`). Lengths are not secret here — every signature or token of a
 * kind has the same length — but a length mismatch still walks the expected string, so both paths
 * do the same work.
 */
export const equals = (received: string, expected: string): boolean => {
  let difference = received.length ^ expected.length
  for (let i = 0; i < expected.length; i++) {
    // A shorter `received` reads NaN past its end, which `| 0` turns into 0: still a difference
    // because the lengths differ.
    difference |= (received.charCodeAt(i) | 0) ^ expected.charCodeAt(i)
  }
  return difference === 0
}
