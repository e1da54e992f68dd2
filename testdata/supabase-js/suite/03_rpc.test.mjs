// RPC: the app's knowledge search, called as POST (default), HEAD with a count and GET, with
// filters and modifiers on its rows, and the errors of unknown functions and bad arguments.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { alice, bob, anon, service, asUser, ok, failed, notOneRow } from './lib/env.mjs'
import { files as F } from './lib/fixtures.mjs'

const db = asUser(alice)

// search_knowledge_files returns at most 200 characters of content and orders by rank.
const hits = [
  { id: F.diner.id, filename: F.diner.filename, content: F.diner.content, relevance: 0.075990885 },
  { id: F.heist.id, filename: F.heist.filename, content: F.heist.content.slice(0, 200), relevance: 0.06079271 },
]

test('the app’s search: rpc(search_knowledge_files, {search_query, user_uuid})', async () => {
  const { data, error } = await db.rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id })
  assert.equal(error, null)
  assert.deepStrictEqual(data, hits)
  assert.deepStrictEqual(await db.rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id }), ok(hits))
  assert.deepStrictEqual(
    await db.rpc('search_knowledge_files', { search_query: 'casino vault', user_uuid: alice.id }),
    ok([{ ...hits[1], relevance: 0.09910322 }]),
  )
  assert.deepStrictEqual(await db.rpc('search_knowledge_files', { search_query: 'spaceship', user_uuid: alice.id }), ok([]))
})

test('the search answers only for the caller’s own user id; service_role may search anyone', async () => {
  assert.deepStrictEqual(await asUser(bob).rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id }), ok([]))
  assert.deepStrictEqual(await anon().rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id }), ok([]))
  assert.deepStrictEqual(
    await asUser(bob).rpc('search_knowledge_files', { search_query: 'diner', user_uuid: bob.id }),
    ok([{ id: F.bobSecret.id, filename: F.bobSecret.filename, content: F.bobSecret.content, relevance: 0.06079271 }]),
  )
  assert.deepStrictEqual(await service().rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id }), ok(hits))
})

test('rpc with { head: true, count: "exact" } is a HEAD with the arguments in the query string', async () => {
  assert.deepStrictEqual(
    await db.rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id }, { head: true, count: 'exact' }),
    ok(null, 200, 2),
  )
  assert.deepStrictEqual(
    await db.rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id }, { count: 'exact' }),
    ok(hits, 200, 2),
  )
})

test('rpc with { get: true } is a GET', async () => {
  assert.deepStrictEqual(await db.rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id }, { get: true }), ok(hits))
})

test('filters, select, order, limit and single() on the function’s rows', async () => {
  const search = () => db.rpc('search_knowledge_files', { search_query: 'diner', user_uuid: alice.id })
  assert.deepStrictEqual(await search().select('filename').order('filename', { ascending: false }), ok([{ filename: 'heist-notes.pdf' }, { filename: 'diner-research.txt' }]))
  assert.deepStrictEqual(await search().select('filename').limit(1), ok([{ filename: 'diner-research.txt' }]))
  assert.deepStrictEqual(await search().eq('filename', 'heist-notes.pdf').select('id').single(), ok({ id: F.heist.id }))
  assert.deepStrictEqual(await search().select('filename').single(), notOneRow(2))
  assert.deepStrictEqual(await search().select('filename').gt('relevance', 0.07).maybeSingle(), ok({ filename: 'diner-research.txt' }))
})

test('unknown functions and bad arguments', async () => {
  assert.deepStrictEqual(
    await db.rpc('search_knowledge_file', { search_query: 'diner', user_uuid: alice.id }),
    failed(404, {
      code: 'PGRST202',
      details:
        'Searched for the function public.search_knowledge_file with parameters search_query, user_uuid or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function public.search_knowledge_files',
      message: 'Could not find the function public.search_knowledge_file(search_query, user_uuid) in the schema cache',
    }),
  )
  assert.deepStrictEqual(
    await db.rpc('search_knowledge_files', { search_query: 'diner', user_id: alice.id }),
    failed(404, {
      code: 'PGRST202',
      details:
        'Searched for the function public.search_knowledge_files with parameters search_query, user_id or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function public.search_knowledge_files(search_query, user_uuid)',
      message: 'Could not find the function public.search_knowledge_files(search_query, user_id) in the schema cache',
    }),
  )
  assert.deepStrictEqual(
    await db.rpc('search_knowledge_files', { search_query: 'diner', user_uuid: 'alice' }),
    failed(400, { code: '22P02', details: null, hint: null, message: 'invalid input syntax for type uuid: "alice"' }),
  )
})
