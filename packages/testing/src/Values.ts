/** Adversarial values for property and robustness tests; plain data, no test runner needed. */

/** `"leaf"` wrapped in `depth` arrays: deep enough to overflow any recursive walk of it. */
export const deeplyNested = (depth: number): unknown => {
  let value: unknown = "leaf"
  for (let i = 0; i < depth; i++) value = [value]
  return value
}
