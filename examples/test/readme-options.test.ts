// The README's configuration table names every option each built-in provider's schema accepts:
// an option added to a schema and not documented fails here.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { expect, it } from "@effect/vitest"
import { Autocore } from "@pasarela/autocore"
import { PlacetoPay } from "@pasarela/placetopay"
import * as SchemaAST from "effect/SchemaAST"
import { Providers } from "pasarela"

const readme = readFileSync(join(fileURLToPath(new URL("../..", import.meta.url)), "README.md"), "utf8")
const optionsRow = readme.split("\n").find((line) => line.startsWith("| `options` |")) ?? ""

/** The row's list for one provider: from `PlacetoPay:` to the next `;`. */
const documented = (label: string) => {
  const start = optionsRow.indexOf(`${label}:`)
  const end = optionsRow.indexOf(";", start)
  return start === -1 ? "" : optionsRow.slice(start, end === -1 ? undefined : end)
}

const namesOf = (ast: SchemaAST.AST): ReadonlyArray<string> =>
  SchemaAST.getPropertySignatures(ast).map((property) => String(property.name))

it.each([
  ["PlacetoPay", Providers.placetopay],
  ["Autocore", Providers.autocore],
  ["memory", Providers.memory]
] as const)("the %s options in the README are the schema's", (label, definition) => {
  const names = namesOf(definition.options.ast)
  expect(names.length).toBeGreaterThan(2)
  const listed = documented(label)
  for (const name of names) expect(listed, `${label} option ${name}`).toContain(`\`${name}\``)
})

it.each([
  ["placetopay", Providers.placetopay, PlacetoPay.Options],
  ["autocore", Providers.autocore, Autocore.Options]
] as const)(
  "a file's %s options are the adapter's options schema, less its secrets and merchant",
  (_, definition, options) => {
    const secrets = [...definition.secrets.required, ...definition.secrets.optional]
    const expected = namesOf(options.ast).filter((name) => name !== "merchantId" && !secrets.includes(name))
    expect(namesOf(definition.options.ast)).toEqual(expected)
  }
)
