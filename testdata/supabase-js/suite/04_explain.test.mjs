// explain(): the EXPLAIN output of the request's statement (the suite's server runs with
// PGRST_DB_PLAN_ENABLED=true, as a Supabase project does after
// `alter role authenticator set pgrst.db_plan_enabled to true`). Costs vary, so the plan's
// shape is checked and then the whole result is compared with that plan in it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { alice, asUser, ok } from './lib/env.mjs'

const db = asUser(alice)

test('explain() returns the text plan as a string', async () => {
  const res = await db.from('documents').select('title').eq('document_type', 'notes').explain()
  assert.equal(typeof res.data, 'string')
  assert.match(res.data, /^Aggregate {2}\(cost=[\d.]+ rows=\d+ width=\d+\)\n/)
  assert.match(res.data, /document_type = 'notes'::text/)
  assert.deepStrictEqual(res, ok(res.data))
})

test('explain({ format: "json", analyze: true }) returns the JSON plan parsed', async () => {
  const res = await db.from('documents').select('title').explain({ format: 'json', analyze: true })
  assert.ok(Array.isArray(res.data), JSON.stringify(res))
  assert.equal(res.data.length, 1)
  assert.equal(res.data[0].Plan['Node Type'], 'Aggregate')
  assert.equal(typeof res.data[0]['Execution Time'], 'number')
  assert.deepStrictEqual(res, ok(res.data))
})
