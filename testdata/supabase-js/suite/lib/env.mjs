// What the Go test (pkg/server/supabasejs_test.go) passes in, and clients built the way an
// app builds them: createClient(url, key), then the signed-in user's access token.
import { createClient } from '@supabase/supabase-js'
import ws from 'ws'

function required(name) {
  const v = process.env[name]
  if (!v) throw new Error(`${name} is not set: run the suite through \`go test ./pkg/server -run TestSupabaseJS\``)
  return v
}

export const url = required('SUPABASE_URL')
export const anonKey = required('SUPABASE_ANON_KEY')
export const serviceKey = required('SUPABASE_SERVICE_ROLE_KEY')
export const keyMode = required('SUPABASE_KEY_MODE')
export const alice = { id: required('ALICE_ID'), token: required('ALICE_TOKEN') }
export const bob = { id: required('BOB_ID'), token: required('BOB_TOKEN') }
// alice's token, but expired an hour ago / signed with a key the server does not know.
export const expiredToken = required('EXPIRED_TOKEN')
export const foreignToken = required('FOREIGN_TOKEN')

// Node 20 has no global WebSocket; supabase-js builds its realtime client eagerly.
const realtime = { transport: ws }

// anon is a client with only the public key, as before sign-in.
export function anon() {
  return createClient(url, anonKey, { realtime })
}

// service is a server-side client with the service_role (or sb_secret_) key.
export function service() {
  return createClient(url, serviceKey, { realtime, auth: { persistSession: false } })
}

// asUser is the public key plus the user's access token as a global Authorization header.
export function asUser(user) {
  return withToken(user.token)
}

// withToken is the public key plus any bearer token.
export function withToken(token) {
  return createClient(url, anonKey, {
    realtime,
    global: { headers: { Authorization: `Bearer ${token}` } },
  })
}

// asUserViaAccessToken hands the token over through the accessToken callback instead, as
// apps using a third-party auth provider do.
export function asUserViaAccessToken(user) {
  return createClient(url, anonKey, { realtime, accessToken: async () => user.token })
}

// ok is the whole result of a successful call.
export function ok(data, status = 200, count = null) {
  return { success: true, error: null, data, count, status, statusText: statusTexts[status] }
}

// failed is the whole result of a call the server refused.
export function failed(status, error) {
  return { success: false, error, data: null, count: null, status, statusText: statusTexts[status] }
}

const statusTexts = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  206: 'Partial Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  416: 'Requested Range Not Satisfiable',
}

// UUID and TIMESTAMP match values the database makes up (gen_random_uuid(), now()).
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
export const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?\+00:00$/

// notOneRow is PostgREST's answer to .single() when the result has n rows (n ≠ 1).
export function notOneRow(n) {
  return failed(406, {
    code: 'PGRST116',
    details: `The result contains ${n} rows`,
    hint: null,
    message: 'Cannot coerce the result to a single JSON object',
  })
}

// removeRows deletes rows a test made, with the service_role key (RLS does not apply).
export async function removeRows(table, ...ids) {
  const { error } = await service().from(table).delete().in('id', ids)
  if (error) throw new Error(`cleanup of ${table}: ${JSON.stringify(error)}`)
}
