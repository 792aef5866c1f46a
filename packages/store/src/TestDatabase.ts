/**
 * `@pasarela/store/testing`: the PostgreSQL server tests run against (ours, and an app's testing
 * its own store setup): `PASARELA_TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`.
 * Without one, those tests are skipped with the reason printed — unless `PASARELA_REQUIRE_POSTGRES`
 * is set (as in CI), when its absence fails the run. Node, Bun or Deno.
 */
import pg from "pg"

export const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"

export type Server =
  | { readonly available: true; readonly url: string }
  | { readonly available: false; readonly reason: string }

/** Whether a PostgreSQL server answers, and where. */
export const postgres = async (): Promise<Server> => {
  const url = process.env.PASARELA_TEST_DATABASE_URL ?? DEFAULT_URL
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query("select 1")
    return { available: true, url }
  } catch (error) {
    const reason = `no PostgreSQL answers at ${url.replace(/\/\/[^@]*@/, "//…@")} (${error instanceof Error ? error.message : String(error)}); set PASARELA_TEST_DATABASE_URL`
    if (process.env.PASARELA_REQUIRE_POSTGRES !== undefined)
      throw new Error(`PASARELA_REQUIRE_POSTGRES is set but ${reason}`)
    console.warn(`PostgreSQL tests skipped: ${reason}`)
    return { available: false, reason }
  } finally {
    await client.end().catch(() => {})
  }
}

/** Drops every table whose name starts with `prefix` (a test run's own). */
export const dropTables = async (url: string, prefix: string) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = current_schema() and tablename like $1",
      [`${prefix.replace(/_/g, "\\_")}%`]
    )
    for (const { tablename } of rows) await client.query(`drop table if exists "${tablename}" cascade`)
  } finally {
    await client.end()
  }
}
