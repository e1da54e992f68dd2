// Writes: insert, update (the app's optimistic auto-save), upsert, delete, and the errors of
// constraint violations and row-level security denials. Each test removes the rows it made.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { alice, bob, anon, service, asUser, ok, failed, notOneRow, removeRows, UUID, TIMESTAMP } from './lib/env.mjs'
import { documents as D, files as F, pick } from './lib/fixtures.mjs'

const db = asUser(alice)

// A document of alice's that a test owns, inserted with the service key.
async function ownDocument(id, extra = {}) {
  const row = {
    id,
    title: 'Scratch',
    user_id: alice.id,
    created_at: '2024-02-01T00:00:00+00:00',
    updated_at: '2024-02-01T00:00:00+00:00',
    ...extra,
  }
  const { error } = await service().from('documents').insert(row)
  if (error) throw new Error(`setup: ${JSON.stringify(error)}`)
  return row
}

test('creates a document as the app does: insert().select(id, title, created_at).single()', async () => {
  const res = await db
    .from('documents')
    .insert({ title: 'Cold Open', content: { type: 'doc', content: [] }, document_type: 'script', user_id: alice.id })
    .select('id, title, created_at')
    .single()
  try {
    assert.match(res.data?.id ?? '', UUID)
    assert.match(res.data.created_at, TIMESTAMP)
    assert.deepStrictEqual(res, ok({ id: res.data.id, title: 'Cold Open', created_at: res.data.created_at }, 201))
    assert.deepStrictEqual(
      await db.from('documents').select('title, document_type, auto_save_version, export_settings, word_count').eq('id', res.data.id).single(),
      ok({ title: 'Cold Open', document_type: 'script', auto_save_version: 1, export_settings: {}, word_count: 6 }),
    )
  } finally {
    if (res.data?.id) await removeRows('documents', res.data.id)
  }
})

test('insert() without select() is 201 with no data; arrays and count work', async () => {
  const ids = ['d3000000-0000-4000-8000-000000000001', 'd3000000-0000-4000-8000-000000000002']
  try {
    assert.deepStrictEqual(await db.from('documents').insert({ id: ids[0], title: 'One', user_id: alice.id }), ok(null, 201))
    assert.deepStrictEqual(
      await service().from('documents').delete().eq('id', ids[0]),
      ok(null, 204),
    )
    assert.deepStrictEqual(
      await db.from('documents').insert(
        [
          { id: ids[0], title: 'First', user_id: alice.id },
          { id: ids[1], title: 'Second', user_id: alice.id, document_type: 'notes' },
        ],
        { count: 'exact' },
      ),
      ok(null, 201, 2),
    )
    // columns= is the union of the keys: the first row's missing document_type is NULL,
    // unless defaultToNull: false asks for the column default.
    assert.deepStrictEqual(
      await db.from('documents').select('title, document_type').in('id', ids).order('title'),
      ok([
        { title: 'First', document_type: null },
        { title: 'Second', document_type: 'notes' },
      ]),
    )
  } finally {
    await removeRows('documents', ...ids)
  }
  try {
    assert.deepStrictEqual(
      await db
        .from('documents')
        .insert(
          [
            { id: ids[0], title: 'First', user_id: alice.id },
            { id: ids[1], title: 'Second', user_id: alice.id, document_type: 'notes' },
          ],
          { defaultToNull: false },
        )
        .select('title, document_type')
        .order('title'),
      ok(
        [
          { title: 'First', document_type: 'script' },
          { title: 'Second', document_type: 'notes' },
        ],
        201,
      ),
    )
  } finally {
    await removeRows('documents', ...ids)
  }
})

test('auto-save: update().eq(id).eq(user_id).eq(auto_save_version).select().single(); a stale version is PGRST116', async () => {
  const id = 'd3000000-0000-4000-8000-000000000010'
  const row = await ownDocument(id, { title: 'Rooftop' })
  const autoSave = (version, content) =>
    db
      .from('documents')
      .update({ content, auto_save_version: version + 1, updated_at: new Date().toISOString() })
      .eq('id', id)
      .eq('user_id', alice.id)
      .eq('auto_save_version', version)
      .select()
      .single()
  try {
    const content = { type: 'doc', content: [{ type: 'paragraph', text: 'EXT. ROOFTOP - DAWN' }] }
    const saved = await autoSave(1, content)
    // The trigger sets updated_at to the transaction's time, whatever the client sent.
    assert.match(saved.data?.updated_at ?? '', TIMESTAMP)
    assert.deepStrictEqual(
      saved,
      ok({
        ...row,
        content,
        project_id: null,
        document_type: 'script',
        auto_save_version: 2,
        export_settings: {},
        word_count: 16,
        updated_at: saved.data.updated_at,
      }),
    )
    // A second tab still holding version 1 loses: no row matches, nothing changes.
    const stale = await autoSave(1, { type: 'doc', content: [{ type: 'paragraph', text: '<b>stale</b>' }] })
    assert.deepStrictEqual(stale, notOneRow(0))
    assert.equal(stale.error.code, 'PGRST116')
    assert.deepStrictEqual(
      await db.from('documents').select('content, auto_save_version').eq('id', id).single(),
      ok({ content, auto_save_version: 2 }),
    )
  } finally {
    await removeRows('documents', id)
  }
})

test('update() without select() is 204; with select() 200 and the rows; .single() on two rows rolls back', async () => {
  const ids = ['d3000000-0000-4000-8000-000000000021', 'd3000000-0000-4000-8000-000000000022']
  await ownDocument(ids[0], { title: 'Alpha' })
  await ownDocument(ids[1], { title: 'Beta' })
  try {
    assert.deepStrictEqual(await db.from('documents').update({ document_type: 'notes' }).eq('id', ids[0]), ok(null, 204))
    assert.deepStrictEqual(
      await db.from('documents').update({ export_settings: { pdf: true } }).in('id', ids).select('title, document_type, export_settings').order('title'),
      ok([
        { title: 'Alpha', document_type: 'notes', export_settings: { pdf: true } },
        { title: 'Beta', document_type: 'script', export_settings: { pdf: true } },
      ]),
    )
    assert.deepStrictEqual(
      await db.from('documents').update({ title: 'Gamma' }).in('id', ids).select('title').single(),
      notOneRow(2),
    )
    assert.deepStrictEqual(
      await db.from('documents').select('title').in('id', ids).order('title'),
      ok([{ title: 'Alpha' }, { title: 'Beta' }]),
    )
    // maybeSingle() on a write: no match is data null, one match the object.
    assert.deepStrictEqual(
      await db.from('documents').update({ title: 'Delta' }).eq('id', ids[0]).eq('auto_save_version', 9).select('title').maybeSingle(),
      ok(null),
    )
    assert.deepStrictEqual(
      await db.from('documents').update({ title: 'Delta' }).eq('id', ids[0]).select('title').maybeSingle(),
      ok({ title: 'Delta' }),
    )
  } finally {
    await removeRows('documents', ...ids)
  }
})

test('row-level security on writes: another user’s rows are invisible, foreign user_id is refused', async () => {
  // bob cannot touch alice's document: nothing matches.
  assert.deepStrictEqual(await asUser(bob).from('documents').update({ title: 'Hijacked' }).eq('id', D.opening.id).select(), ok([]))
  assert.deepStrictEqual(await asUser(bob).from('documents').delete().eq('id', D.opening.id).select('id'), ok([]))
  assert.deepStrictEqual(
    await db.from('documents').select('title').eq('id', D.opening.id).single(),
    ok({ title: 'Opening Scene' }),
  )
  // alice cannot write a row that names bob.
  const denied = { code: '42501', details: null, hint: null, message: 'new row violates row-level security policy for table "documents"' }
  assert.deepStrictEqual(await db.from('documents').insert({ title: 'Forged', user_id: bob.id }), failed(403, denied))
  assert.deepStrictEqual(await db.from('documents').update({ user_id: bob.id }).eq('id', D.notes.id), failed(403, denied))
  // Without a user token the role is anon: 401 instead of 403.
  assert.deepStrictEqual(await anon().from('documents').insert({ title: 'Anonymous', user_id: alice.id }), failed(401, denied))
})

test('constraint violations: check, not-null, foreign key, unique, generated column', async () => {
  // With row-level security on the table PostgreSQL leaves the failing row out of details.
  assert.deepStrictEqual(
    await db.from('knowledge_files').insert({ filename: 'notes.epub', file_type: 'epub', user_id: alice.id }),
    failed(400, {
      code: '23514',
      details: null,
      hint: null,
      message: 'new row for relation "knowledge_files" violates check constraint "knowledge_files_file_type_check"',
    }),
  )
  assert.deepStrictEqual(
    await db.from('documents').insert({ title: 'x'.repeat(201), user_id: alice.id }).select('id').single(),
    failed(400, {
      code: '23514',
      details: null,
      hint: null,
      message: 'new row for relation "documents" violates check constraint "documents_title_length"',
    }),
  )
  assert.deepStrictEqual(
    await db.from('documents').insert({ user_id: alice.id }),
    failed(400, {
      code: '23502',
      details: null,
      hint: null,
      message: 'null value in column "title" of relation "documents" violates not-null constraint',
    }),
  )
  assert.deepStrictEqual(
    await db.from('knowledge_files').insert({ filename: 'x.txt', file_type: 'txt', user_id: alice.id, document_id: 'd9999999-0000-4000-8000-000000000000' }),
    failed(409, {
      code: '23503',
      details: 'Key is not present in table "documents".',
      hint: null,
      message: 'insert or update on table "knowledge_files" violates foreign key constraint "knowledge_files_document_id_fkey"',
    }),
  )
  assert.deepStrictEqual(
    await db.from('documents').insert({ id: D.notes.id, title: 'Duplicate', user_id: alice.id }),
    failed(409, { code: '23505', details: null, hint: null, message: 'duplicate key value violates unique constraint "documents_pkey"' }),
  )
  assert.deepStrictEqual(
    await db.from('documents').update({ word_count: 3 }).eq('id', D.notes.id),
    failed(400, { code: '428C9', details: 'Column "word_count" is a generated column.', hint: null, message: 'column "word_count" can only be updated to DEFAULT' }),
  )
  assert.deepStrictEqual(
    await db.from('documents').insert({ title: 'Typo', user_id: alice.id, titel: 'x' }),
    failed(400, { code: 'PGRST204', details: null, hint: null, message: "Could not find the 'titel' column of 'documents' in the schema cache" }),
  )
})

test('upsert() with onConflict merges; ignoreDuplicates keeps the existing row', async () => {
  const id = 'd3000000-0000-4000-8000-000000000030'
  try {
    const up = (title, options) =>
      db.from('documents').upsert({ id, title, user_id: alice.id }, { onConflict: 'id', ...options }).select('id, title')
    assert.deepStrictEqual(await up('Draft 1'), ok([{ id, title: 'Draft 1' }], 201))
    // Nothing was inserted, only updated: PostgREST answers 200.
    assert.deepStrictEqual(await up('Draft 2'), ok([{ id, title: 'Draft 2' }], 200))
    assert.deepStrictEqual(await up('Draft 3', { ignoreDuplicates: true }), ok([], 201))
    assert.deepStrictEqual(await db.from('documents').select('title').eq('id', id).single(), ok({ title: 'Draft 2' }))
    // Without onConflict the primary key is the conflict target; an array mixes both.
    const other = 'd3000000-0000-4000-8000-000000000031'
    try {
      assert.deepStrictEqual(
        await db
          .from('documents')
          .upsert([
            { id, title: 'Draft 4', user_id: alice.id },
            { id: other, title: 'Sibling', user_id: alice.id },
          ])
          .select('title')
          .order('title'),
        ok([{ title: 'Draft 4' }, { title: 'Sibling' }], 201),
      )
    } finally {
      await removeRows('documents', other)
    }
  } finally {
    await removeRows('documents', id)
  }
})

test('delete(): 204 without select(), the deleted rows with it', async () => {
  const ids = ['d3000000-0000-4000-8000-000000000041', 'd3000000-0000-4000-8000-000000000042']
  await ownDocument(ids[0], { title: 'Gone' })
  await ownDocument(ids[1], { title: 'Also gone' })
  try {
    assert.deepStrictEqual(await db.from('documents').delete().eq('id', ids[0]), ok(null, 204))
    assert.deepStrictEqual(await db.from('documents').delete().eq('id', ids[0]).select('id'), ok([]))
    assert.deepStrictEqual(
      await db.from('documents').delete({ count: 'exact' }).eq('id', ids[1]).select('id, title').single(),
      ok({ id: ids[1], title: 'Also gone' }, 200, 1),
    )
    assert.deepStrictEqual(await db.from('documents').select('id').in('id', ids), ok([]))
  } finally {
    await removeRows('documents', ...ids)
  }
})

test('writes on the other tables: a knowledge file and an ARC session', async () => {
  const fileId = 'f3000000-0000-4000-8000-000000000001'
  const sessionId = 'a3000000-0000-4000-8000-000000000001'
  try {
    assert.deepStrictEqual(
      await db
        .from('knowledge_files')
        .insert({ id: fileId, filename: 'beats.txt', file_type: 'txt', content: 'Beat sheet: the diner, the vault, the getaway.', user_id: alice.id, document_id: D.opening.id })
        .select('filename, scope, content_vector, documents(title)')
        .single(),
      ok(
        {
          filename: 'beats.txt',
          scope: 'global',
          content_vector: "'beat':1 'diner':4 'getaway':8 'sheet':2 'vault':6",
          documents: { title: 'Opening Scene' },
        },
        201,
      ),
    )
    const history = [{ role: 'user', content: 'Who drives the van?' }]
    assert.deepStrictEqual(
      await db
        .from('arc_sessions')
        .insert({ id: sessionId, exploration_method: 'character_development', conversation_history: history, context_files: [fileId, F.heist.id], user_id: alice.id })
        .select('exploration_method, conversation_history, context_files')
        .single(),
      ok({ exploration_method: 'character_development', conversation_history: history, context_files: [fileId, F.heist.id] }, 201),
    )
    // The update trigger bumps last_activity (the schema's first fix).
    const before = await db.from('arc_sessions').select('last_activity').eq('id', sessionId).single()
    const after = await db
      .from('arc_sessions')
      .update({ conversation_history: [...history, { role: 'assistant', content: 'The nervous one.' }] })
      .eq('id', sessionId)
      .select('last_activity, conversation_history')
      .single()
    assert.match(after.data?.last_activity ?? '', TIMESTAMP)
    assert.notEqual(after.data.last_activity, before.data.last_activity)
    assert.ok(Date.parse(after.data.last_activity) >= Date.parse(before.data.last_activity))
    assert.deepStrictEqual(
      after,
      ok({ last_activity: after.data.last_activity, conversation_history: [...history, { role: 'assistant', content: 'The nervous one.' }] }),
    )
  } finally {
    await removeRows('arc_sessions', sessionId)
    await removeRows('knowledge_files', fileId)
  }
})

test('the fixtures are unchanged after the write tests', async () => {
  assert.deepStrictEqual(
    await service().from('documents').select().order('created_at'),
    ok([D.opening, D.notes, D.treatment, D.bobDraft]),
  )
  assert.deepStrictEqual(
    await service().from('knowledge_files').select('id').order('created_at'),
    ok([pick(F.diner, 'id'), pick(F.heist, 'id'), pick(F.bobSecret, 'id')]),
  )
})
