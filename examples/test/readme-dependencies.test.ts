// The README's "Security notes" list every published package's runtime dependencies with the versions
// it declares, so a user can match them against advisories: this keeps the table true.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { expect, it } from "@effect/vitest"

const root = join(import.meta.dirname, "..", "..")

interface Manifest {
  readonly name: string
  readonly private?: boolean
  readonly dependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>
}

it("lists each package's runtime dependencies and their versions", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8")
  const section = readme.slice(readme.indexOf("## Security notes"))
  const table = section.slice(0, section.indexOf("\n## ", 1))
  const rows = new Map(
    [...table.matchAll(/^\| `([^`]+)` \| (.*) \|$/gm)].map(([, name, deps]) => [name!, deps!] as const)
  )
  const manifests = readdirSync(join(root, "packages")).map(
    (dir) => JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8")) as Manifest
  )
  for (const manifest of manifests.filter((m) => m.private !== true)) {
    const external = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })
      .filter(([, version]) => !version.startsWith("workspace:"))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([name, version]) =>
          `\`${name}\` ${version}${manifest.peerDependenciesMeta?.[name]?.optional === true ? " (optional)" : ""}`
      )
    expect(rows.get(manifest.name), manifest.name).toBe(external.join(", "))
  }
})
