// Reads: select, filters, order, range, count, head, single/maybeSingle, embeds, text search,
// containment, CSV, schemas, row-level security, and the error objects of bad requests.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createClient } from '@supabase/supabase-js'
import ws from 'ws'
import {
  url, anonKey, alice, bob, expiredToken, foreignToken,
  anon, service, asUser, asUserViaAccessToken, withToken, ok, failed, notOneRow,
} from './lib/env.mjs'
import { documents as D, files as F, sessions as S, project, pick } from './lib/fixtures.mjs'

const SUPABASE_URL = url
const ANON_KEY = anonKey
const USER_TOKEN = alice.token

// The README's example, line for line: keep them the same.
test('lists the signed-in user’s recent documents (the README example)', async () => {
  const supabase = createClient(SUPABASE_URL, ANON_KEY, {
    realtime: { transport: ws },
    global: { headers: { Authorization: `Bearer ${USER_TOKEN}` } },
  })
  const { data, error } = await supabase
    .from('documents')
    .select('id, title, created_at')
    .order('created_at', { ascending: false })
    .limit(20)

  assert.equal(error, null)
  assert.deepStrictEqual(data, [
    pick(D.treatment, 'id', 'title', 'created_at'),
    pick(D.notes, 'id', 'title', 'created_at'),
    pick(D.opening, 'id', 'title', 'created_at'),
  ])
})

const db = asUser(alice)

test('select() with no columns returns whole rows', async () => {
  assert.deepStrictEqual(await db.from('documents').select().eq('id', D.opening.id), ok([D.opening]))
  assert.deepStrictEqual(await db.from('knowledge_files').select('*').order('created_at'), ok([F.diner, F.heist]))
  assert.deepStrictEqual(await db.from('arc_sessions').select(), ok([S.brainstorm]))
})

test('the token can come from the accessToken callback instead of a header', async () => {
  const client = asUserViaAccessToken(alice)
  assert.deepStrictEqual(
    await client.from('documents').select('title').order('title'),
    ok([{ title: 'Act Two Treatment' }, { title: 'Character Notes' }, { title: 'Opening Scene' }]),
  )
})

test('row-level security: each user sees only their rows, anon none, service_role all', async () => {
  assert.deepStrictEqual(await asUser(bob).from('documents').select('title'), ok([{ title: 'Bob Draft' }]))
  assert.deepStrictEqual(await asUser(bob).from('documents').select('title').eq('id', D.opening.id), ok([]))
  assert.deepStrictEqual(await anon().from('documents').select('title'), ok([]))
  assert.deepStrictEqual(await anon().from('knowledge_files').select('id', { count: 'exact', head: true }), ok(null, 200, 0))
  assert.deepStrictEqual(
    await service().from('documents').select('title').order('created_at'),
    ok([{ title: 'Opening Scene' }, { title: 'Character Notes' }, { title: 'Act Two Treatment' }, { title: 'Bob Draft' }]),
  )
})

test('comparison filters', async () => {
  const titles = async (q) => q.order('title')
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').neq('document_type', 'script')),
    ok([{ title: 'Act Two Treatment' }, { title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(await titles(db.from('documents').select('title').gt('auto_save_version', 1)), ok([{ title: 'Opening Scene' }]))
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').gte('created_at', '2024-01-02T09:00:00Z').lt('created_at', '2024-01-03T09:00:00Z')),
    ok([{ title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').lte('word_count', 8).gte('word_count', 1)),
    ok([{ title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').in('document_type', ['notes', 'treatment'])),
    ok([{ title: 'Act Two Treatment' }, { title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(await titles(db.from('documents').select('title').is('project_id', null)), ok([{ title: 'Act Two Treatment' }]))
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').not('project_id', 'is', null)),
    ok([{ title: 'Character Notes' }, { title: 'Opening Scene' }]),
  )
  assert.deepStrictEqual(await titles(db.from('documents').select('title').like('title', '%Scene')), ok([{ title: 'Opening Scene' }]))
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').ilike('title', '%T%')),
    ok([{ title: 'Act Two Treatment' }, { title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').match({ document_type: 'script', project_id: project })),
    ok([{ title: 'Opening Scene' }]),
  )
  assert.deepStrictEqual(await titles(db.from('documents').select('title').filter('document_type', 'eq', 'notes')), ok([{ title: 'Character Notes' }]))
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').or('document_type.eq.treatment,auto_save_version.gt.2')),
    ok([{ title: 'Act Two Treatment' }, { title: 'Opening Scene' }]),
  )
  assert.deepStrictEqual(
    await titles(db.from('documents').select('title').not('document_type', 'in', '(script,notes)')),
    ok([{ title: 'Act Two Treatment' }]),
  )
})

test('pattern lists, IS DISTINCT FROM and or() on an embedded table', async () => {
  assert.deepStrictEqual(
    await db.from('documents').select('title').likeAnyOf('title', ['%Scene', '%Notes']).order('title'),
    ok([{ title: 'Character Notes' }, { title: 'Opening Scene' }]),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title').ilikeAllOf('title', ['%O%', '%S%']).order('title'),
    ok([{ title: 'Character Notes' }, { title: 'Opening Scene' }]),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title').isDistinct('document_type', 'script').order('title'),
    ok([{ title: 'Act Two Treatment' }, { title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(
    await db
      .from('documents')
      .select('title, knowledge_files(filename)')
      .or('scope.eq.global,file_type.eq.pdf', { referencedTable: 'knowledge_files' })
      .eq('id', D.opening.id),
    ok([{ title: 'Opening Scene', knowledge_files: [] }]),
  )
})

test('aliases, casts and JSON paths in select()', async () => {
  assert.deepStrictEqual(
    await db
      .from('documents')
      .select('name:title, version:auto_save_version::text, kind:content->>type, first:content->content->0->text, content->tags')
      .order('title'),
    ok([
      { name: 'Act Two Treatment', version: '1', kind: null, first: null, tags: null },
      { name: 'Character Notes', version: '1', kind: 'doc', first: null, tags: ['hero', 'villain'] },
      { name: 'Opening Scene', version: '3', kind: 'doc', first: 'INT. DINER - NIGHT', tags: null },
    ]),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title').eq('content->>type', 'doc').eq('content->content->0->>type', 'paragraph'),
    ok([{ title: 'Opening Scene' }]),
  )
})

test('stripNulls() leaves out null fields', async () => {
  assert.deepStrictEqual(
    await db.from('documents').select('title, project_id').order('title').stripNulls(),
    ok([
      { title: 'Act Two Treatment' },
      { title: 'Character Notes', project_id: project },
      { title: 'Opening Scene', project_id: project },
    ]),
  )
})

test('order, limit and range', async () => {
  assert.deepStrictEqual(
    await db.from('documents').select('title, project_id').order('project_id', { ascending: true, nullsFirst: true }).order('title', { ascending: false }),
    ok([
      { title: 'Act Two Treatment', project_id: null },
      { title: 'Opening Scene', project_id: project },
      { title: 'Character Notes', project_id: project },
    ]),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title').order('created_at').range(1, 2),
    ok([{ title: 'Character Notes' }, { title: 'Act Two Treatment' }]),
  )
  assert.deepStrictEqual(await db.from('documents').select('title').order('created_at').limit(1), ok([{ title: 'Opening Scene' }]))
  assert.deepStrictEqual(await db.from('documents').select('title').order('created_at').range(2, 10), ok([{ title: 'Act Two Treatment' }]))
  assert.deepStrictEqual(await db.from('documents').select('title').range(5, 9), ok([]))
})

test('count and head', async () => {
  assert.deepStrictEqual(await db.from('documents').select('*', { count: 'exact', head: true }), ok(null, 200, 3))
  assert.deepStrictEqual(
    await db.from('documents').select('*', { count: 'exact', head: true }).eq('document_type', 'script'),
    ok(null, 200, 1),
  )
  // A page smaller than the total is 206 Partial Content, with the total as count.
  assert.deepStrictEqual(
    await db.from('documents').select('title', { count: 'exact' }).order('title').range(0, 1),
    ok([{ title: 'Act Two Treatment' }, { title: 'Character Notes' }], 206, 3),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title', { count: 'exact' }).eq('id', D.opening.id),
    ok([{ title: 'Opening Scene' }], 200, 1),
  )
  assert.deepStrictEqual(await db.from('documents').select('*', { head: true }), ok(null))
  // With a count, an offset past the end is 416 PGRST103.
  assert.deepStrictEqual(
    await db.from('documents').select('title', { count: 'exact' }).range(5, 9),
    failed(416, {
      code: 'PGRST103',
      details: 'An offset of 5 was requested, but there are only 3 rows.',
      hint: null,
      message: 'Requested range not satisfiable',
    }),
  )
})

test('single(): one row is an object, none or several are 406 PGRST116', async () => {
  assert.deepStrictEqual(
    await db.from('documents').select('id, title, created_at').eq('id', D.notes.id).single(),
    ok(pick(D.notes, 'id', 'title', 'created_at')),
  )
  assert.deepStrictEqual(await db.from('documents').select('title').eq('id', D.bobDraft.id).single(), notOneRow(0))
  assert.deepStrictEqual(await db.from('documents').select('title').single(), notOneRow(3))
})

test('maybeSingle(): one row is an object, none is null, several are an error', async () => {
  assert.deepStrictEqual(await db.from('documents').select('title').eq('id', D.notes.id).maybeSingle(), ok({ title: 'Character Notes' }))
  assert.deepStrictEqual(await db.from('documents').select('title').eq('id', D.bobDraft.id).maybeSingle(), ok(null))
  assert.deepStrictEqual(
    await db.from('documents').select('title').maybeSingle(),
    failed(406, {
      code: 'PGRST116',
      details: 'Results contain 3 rows, application/vnd.pgrst.object+json requires 1 row',
      hint: null,
      message: 'JSON object requested, multiple (or no) rows returned',
    }),
  )
})

test('embedded selects: to-one, to-many, inner joins, filters and order on the embed', async () => {
  assert.deepStrictEqual(
    await db.from('knowledge_files').select('filename, documents(title, document_type)').order('filename'),
    ok([
      { filename: 'diner-research.txt', documents: { title: 'Opening Scene', document_type: 'script' } },
      { filename: 'heist-notes.pdf', documents: null },
    ]),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title, knowledge_files(filename, scope)').order('title'),
    ok([
      { title: 'Act Two Treatment', knowledge_files: [] },
      { title: 'Character Notes', knowledge_files: [] },
      { title: 'Opening Scene', knowledge_files: [{ filename: 'diner-research.txt', scope: 'document' }] },
    ]),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title, knowledge_files!inner(filename)'),
    ok([{ title: 'Opening Scene', knowledge_files: [{ filename: 'diner-research.txt' }] }]),
  )
  assert.deepStrictEqual(
    await db.from('knowledge_files').select('filename, doc:documents!inner(title)').eq('doc.document_type', 'script'),
    ok([{ filename: 'diner-research.txt', doc: { title: 'Opening Scene' } }]),
  )
  assert.deepStrictEqual(
    await db
      .from('documents')
      .select('title, knowledge_files(filename)')
      .eq('id', D.opening.id)
      .order('filename', { referencedTable: 'knowledge_files', ascending: false })
      .limit(1, { referencedTable: 'knowledge_files' })
      .single(),
    ok({ title: 'Opening Scene', knowledge_files: [{ filename: 'diner-research.txt' }] }),
  )
})

test('textSearch() on the tsvector column, in each query syntax', async () => {
  const search = (query, options) => db.from('knowledge_files').select('filename').textSearch('content_vector', query, options).order('filename')
  assert.deepStrictEqual(await search("'casino' & 'vault'"), ok([{ filename: 'heist-notes.pdf' }]))
  assert.deepStrictEqual(await search('diner pie', { type: 'plain', config: 'english' }), ok([{ filename: 'diner-research.txt' }]))
  assert.deepStrictEqual(await search('meeting place', { type: 'phrase' }), ok([{ filename: 'heist-notes.pdf' }]))
  assert.deepStrictEqual(
    await search('diner -casino or vault', { type: 'websearch', config: 'english' }),
    ok([{ filename: 'diner-research.txt' }, { filename: 'heist-notes.pdf' }]),
  )
  // Plain to_tsquery() syntax does not allow two bare words: PostgreSQL's own error.
  assert.deepStrictEqual(
    await search('casino vault'),
    failed(400, { code: '42601', details: null, hint: null, message: 'syntax error in tsquery: "casino vault"' }),
  )
})

test('contains(), containedBy() and overlaps() on jsonb and uuid[]', async () => {
  assert.deepStrictEqual(
    await db.from('documents').select('title').contains('content', { type: 'doc' }).order('title'),
    ok([{ title: 'Character Notes' }, { title: 'Opening Scene' }]),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title').contains('content', { tags: ['villain'] }),
    ok([{ title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(
    await db.from('arc_sessions').select('id').contains('context_files', [F.heist.id]),
    ok([{ id: S.brainstorm.id }]),
  )
  assert.deepStrictEqual(
    await db.from('arc_sessions').select('id').containedBy('context_files', [F.diner.id, F.heist.id, F.bobSecret.id]),
    ok([{ id: S.brainstorm.id }]),
  )
  assert.deepStrictEqual(await db.from('arc_sessions').select('id').overlaps('context_files', [F.bobSecret.id]), ok([]))
})

test('csv() returns the body as text', async () => {
  assert.deepStrictEqual(
    await db.from('documents').select('id, title, word_count').order('created_at').csv(),
    ok(
      'id,title,word_count\n' +
        `${D.opening.id},"Opening Scene",16\n` +
        `${D.notes.id},"Character Notes",8\n` +
        `${D.treatment.id},"Act Two Treatment",0`,
    ),
  )
})

test('schema() picks the profile; an unexposed schema is 406 PGRST106', async () => {
  assert.deepStrictEqual(
    await db.schema('public').from('documents').select('title').eq('id', D.notes.id),
    ok([{ title: 'Character Notes' }]),
  )
  assert.deepStrictEqual(
    await db.schema('auth').from('users').select('id'),
    failed(406, { code: 'PGRST106', details: null, hint: 'Only the following schemas are exposed: public', message: 'Invalid schema: auth' }),
  )
})

test('errors of bad requests reach the caller as PostgREST sends them', async () => {
  assert.deepStrictEqual(
    await db.from('documents').select('title, nope'),
    failed(400, { code: '42703', details: null, hint: null, message: 'column documents.nope does not exist' }),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title').eq('auto_save_version', 'three'),
    failed(400, { code: '22P02', details: null, hint: null, message: 'invalid input syntax for type integer: "three"' }),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title').filter('title', 'nope', 'x'),
    failed(400, {
      code: 'PGRST100',
      details: 'unexpected "p" expecting "not" or operator (eq, gt, ...)',
      hint: null,
      message: '"failed to parse filter (nope.x)" (line 1, column 1)',
    }),
  )
  assert.deepStrictEqual(
    await db.from('document').select(),
    failed(404, {
      code: 'PGRST205',
      details: null,
      hint: "Perhaps you meant the table 'public.documents'",
      message: "Could not find the table 'public.document' in the schema cache",
    }),
  )
  assert.deepStrictEqual(
    await db.from('documents').select('title, arc_sessions(id)'),
    failed(400, {
      code: 'PGRST200',
      details: "Searched for a foreign key relationship between 'documents' and 'arc_sessions' in the schema 'public', but no matches were found.",
      hint: null,
      message: "Could not find a relationship between 'documents' and 'arc_sessions' in the schema cache",
    }),
  )
})

test('tokens and keys the server refuses: expired, foreign signature, unknown API key', async () => {
  assert.deepStrictEqual(
    await withToken(expiredToken).from('documents').select('title'),
    failed(401, { code: 'PGRST303', details: null, hint: null, message: 'JWT expired' }),
  )
  assert.deepStrictEqual(
    await withToken(foreignToken).from('documents').select('title'),
    failed(401, {
      code: 'PGRST301',
      details: 'None of the keys was able to decode the JWT',
      hint: null,
      message: 'No suitable key or wrong key type',
    }),
  )
  // As Supabase's gateway answers an sb_ key it does not know.
  const unknownKey = createClient(url, 'sb_publishable_notAKeyThisServerKnows_00000000', { realtime: { transport: ws } })
  assert.deepStrictEqual(
    await unknownKey.from('documents').select('title'),
    failed(401, { message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' }),
  )
})

test('throwOnError() throws a PostgrestError carrying the same fields', async () => {
  await assert.rejects(async () => await db.from('documents').select('nope').throwOnError(), (err) => {
    assert.equal(err.name, 'PostgrestError')
    assert.deepStrictEqual(
      { code: err.code, details: err.details, hint: err.hint, message: err.message },
      { code: '42703', details: null, hint: null, message: 'column documents.nope does not exist' },
    )
    return true
  })
  assert.deepStrictEqual(
    await db.from('documents').select('title').eq('id', D.notes.id).throwOnError(),
    ok([{ title: 'Character Notes' }]),
  )
})
