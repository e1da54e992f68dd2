// The rows pkg/server/supabasejs_test.go loads before the suite runs (suiteFixtures), as
// the API returns them. The suite's writes create and remove rows of their own.
const ALICE = process.env.ALICE_ID
const BOB = process.env.BOB_ID

export const project = 'c0000000-0000-4000-8000-000000000001'

export const documents = {
  opening: {
    id: 'd1000000-0000-4000-8000-000000000001',
    title: 'Opening Scene',
    content: { type: 'doc', content: [{ type: 'paragraph', text: 'INT. DINER - NIGHT' }] },
    user_id: ALICE,
    project_id: project,
    document_type: 'script',
    auto_save_version: 3,
    export_settings: { format: 'fountain' },
    word_count: 16,
    created_at: '2024-01-01T09:00:00+00:00',
    updated_at: '2024-01-05T09:00:00+00:00',
  },
  notes: {
    id: 'd1000000-0000-4000-8000-000000000002',
    title: 'Character Notes',
    content: { type: 'doc', tags: ['hero', 'villain'] },
    user_id: ALICE,
    project_id: project,
    document_type: 'notes',
    auto_save_version: 1,
    export_settings: {},
    word_count: 8,
    created_at: '2024-01-02T09:00:00+00:00',
    updated_at: '2024-01-02T09:00:00+00:00',
  },
  treatment: {
    id: 'd1000000-0000-4000-8000-000000000003',
    title: 'Act Two Treatment',
    content: null,
    user_id: ALICE,
    project_id: null,
    document_type: 'treatment',
    auto_save_version: 1,
    export_settings: {},
    word_count: 0,
    created_at: '2024-01-03T09:00:00+00:00',
    updated_at: '2024-01-03T09:00:00+00:00',
  },
  bobDraft: {
    id: 'd2000000-0000-4000-8000-000000000001',
    title: 'Bob Draft',
    content: null,
    user_id: BOB,
    project_id: null,
    document_type: 'script',
    auto_save_version: 1,
    export_settings: {},
    word_count: 0,
    created_at: '2024-01-04T09:00:00+00:00',
    updated_at: '2024-01-04T09:00:00+00:00',
  },
}

export const files = {
  diner: {
    id: 'f1000000-0000-4000-8000-000000000001',
    filename: 'diner-research.txt',
    file_type: 'txt',
    content: 'The diner scene takes place at midnight. The diner serves coffee, pie and gossip.',
    content_vector: "'coffe':11 'diner':2,9 'gossip':14 'midnight':7 'pie':12 'place':5 'scene':3 'serv':10 'take':4",
    scope: 'document',
    file_size: 2048,
    user_id: ALICE,
    document_id: 'd1000000-0000-4000-8000-000000000001',
    metadata: { pages: 1 },
    created_at: '2024-01-01T10:00:00+00:00',
  },
  heist: {
    id: 'f1000000-0000-4000-8000-000000000002',
    filename: 'heist-notes.pdf',
    file_type: 'pdf',
    content:
      'A crew plans the robbery of a casino vault. The diner is their meeting place. Every night they ' +
      'sketch the floor plan on napkins, count the guards, time the shift change and argue about who ' +
      'drives the van when the alarm sounds.',
    content_vector:
      "'alarm':41 'argu':33 'casino':8 'chang':31 'count':25 'crew':2 'diner':11 'drive':36 'everi':16 " +
      "'floor':21 'guard':27 'meet':14 'napkin':24 'night':17 'place':15 'plan':3,22 'robberi':5 " +
      "'shift':30 'sketch':19 'sound':42 'time':28 'van':38 'vault':9",
    scope: 'global',
    file_size: 4096,
    user_id: ALICE,
    document_id: null,
    metadata: { pages: 12 },
    created_at: '2024-01-02T10:00:00+00:00',
  },
  bobSecret: {
    id: 'f2000000-0000-4000-8000-000000000001',
    filename: 'bob-secret.txt',
    file_type: 'txt',
    content: 'Bob keeps the diner recipe for pie here.',
    content_vector: "'bob':1 'diner':4 'keep':2 'pie':7 'recip':5",
    scope: 'global',
    file_size: 100,
    user_id: BOB,
    document_id: null,
    metadata: {},
    created_at: '2024-01-03T10:00:00+00:00',
  },
}

export const sessions = {
  brainstorm: {
    id: 'a1000000-0000-4000-8000-000000000001',
    exploration_method: 'story_brainstorm',
    conversation_history: [{ role: 'user', content: 'What if the diner is a front?' }],
    context_files: [files.diner.id, files.heist.id],
    session_metadata: { model: 'm1' },
    user_id: ALICE,
    last_activity: '2024-01-06T09:00:00+00:00',
    created_at: '2024-01-06T08:00:00+00:00',
  },
}

// pick keeps the named columns of a row, in the order given.
export function pick(row, ...cols) {
  return Object.fromEntries(cols.map((c) => [c, row[c]]))
}
