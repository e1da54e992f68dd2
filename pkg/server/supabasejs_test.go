package server_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rocksteady/rocksteady/pkg/devkeys"
)

// The supabase-js suite: the real client from npm, run by `node --test`, against a real
// rocksteady on a real PostgreSQL with the shipped schema. It runs twice, once with the
// legacy anon/service_role JWTs as the client's key and once with Supabase's opaque
// sb_publishable_/sb_secret_ keys, each on its own server and database.

// suiteDir is the Node project, relative to this package.
var suiteDir = filepath.Join("..", "..", "testdata", "supabase-js")

// suiteFixtures is the data the suite reads; the suite's writes create and remove their own
// rows. Timestamps and ids are fixed so the suite can assert whole results.
const suiteFixtures = `
INSERT INTO public.documents(id, title, content, user_id, project_id, document_type, auto_save_version, export_settings, created_at, updated_at) VALUES
 ('d1000000-0000-4000-8000-000000000001', 'Opening Scene', '{"type":"doc","content":[{"type":"paragraph","text":"INT. DINER - NIGHT"}]}', '` + alice + `', 'c0000000-0000-4000-8000-000000000001', 'script', 3, '{"format":"fountain"}', '2024-01-01T09:00:00Z', '2024-01-05T09:00:00Z'),
 ('d1000000-0000-4000-8000-000000000002', 'Character Notes', '{"type":"doc","tags":["hero","villain"]}', '` + alice + `', 'c0000000-0000-4000-8000-000000000001', 'notes', 1, '{}', '2024-01-02T09:00:00Z', '2024-01-02T09:00:00Z'),
 ('d1000000-0000-4000-8000-000000000003', 'Act Two Treatment', NULL, '` + alice + `', NULL, 'treatment', 1, '{}', '2024-01-03T09:00:00Z', '2024-01-03T09:00:00Z'),
 ('d2000000-0000-4000-8000-000000000001', 'Bob Draft', NULL, '` + bob + `', NULL, 'script', 1, '{}', '2024-01-04T09:00:00Z', '2024-01-04T09:00:00Z');
INSERT INTO public.knowledge_files(id, filename, file_type, content, scope, file_size, user_id, document_id, metadata, created_at) VALUES
 ('f1000000-0000-4000-8000-000000000001', 'diner-research.txt', 'txt', 'The diner scene takes place at midnight. The diner serves coffee, pie and gossip.', 'document', 2048, '` + alice + `', 'd1000000-0000-4000-8000-000000000001', '{"pages":1}', '2024-01-01T10:00:00Z'),
 ('f1000000-0000-4000-8000-000000000002', 'heist-notes.pdf', 'pdf', 'A crew plans the robbery of a casino vault. The diner is their meeting place. Every night they sketch the floor plan on napkins, count the guards, time the shift change and argue about who drives the van when the alarm sounds.', 'global', 4096, '` + alice + `', NULL, '{"pages":12}', '2024-01-02T10:00:00Z'),
 ('f2000000-0000-4000-8000-000000000001', 'bob-secret.txt', 'txt', 'Bob keeps the diner recipe for pie here.', 'global', 100, '` + bob + `', NULL, '{}', '2024-01-03T10:00:00Z');
INSERT INTO public.arc_sessions(id, exploration_method, conversation_history, context_files, session_metadata, user_id, last_activity, created_at) VALUES
 ('a1000000-0000-4000-8000-000000000001', 'story_brainstorm', '[{"role":"user","content":"What if the diner is a front?"}]', '{f1000000-0000-4000-8000-000000000001,f1000000-0000-4000-8000-000000000002}', '{"model":"m1"}', '` + alice + `', '2024-01-06T09:00:00Z', '2024-01-06T08:00:00Z');
`

func TestSupabaseJS(t *testing.T) {
	node := nodeSetup(t)
	files, err := filepath.Glob(filepath.Join(suiteDir, "suite", "*.test.mjs"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no suite files in %s/suite (%v)", suiteDir, err)
	}
	sort.Strings(files)
	for i := range files {
		files[i] = strings.TrimPrefix(files[i], suiteDir+string(filepath.Separator))
	}
	publishable, secret := opaqueKey("sb_publishable_"), opaqueKey("sb_secret_")
	for _, mode := range []string{"legacy-jwt", "opaque-keys"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			e := start(t, suiteFixtures,
				withEnv("ROCKSTEADY_PUBLISHABLE_KEYS", publishable),
				withEnv("ROCKSTEADY_SECRET_KEYS", secret),
				// explain() needs it, as on Supabase after
				// alter role authenticator set pgrst.db_plan_enabled to true.
				withEnv("PGRST_DB_PLAN_ENABLED", "true"))
			anonKey, serviceKey := e.anonKey, e.service
			if mode == "opaque-keys" {
				anonKey, serviceKey = publishable, secret
			}
			runNode(t, node, files, []string{
				"SUPABASE_URL=" + e.base,
				"SUPABASE_ANON_KEY=" + anonKey,
				"SUPABASE_SERVICE_ROLE_KEY=" + serviceKey,
				"SUPABASE_KEY_MODE=" + mode,
				"ALICE_ID=" + alice,
				"ALICE_TOKEN=" + e.userToken(alice),
				"BOB_ID=" + bob,
				"BOB_TOKEN=" + e.userToken(bob),
				"EXPIRED_TOKEN=" + devkeys.UserToken(testSecret, alice, alice+"@example.com", time.Now().Add(-2*time.Hour), time.Hour),
				"FOREIGN_TOKEN=" + devkeys.UserToken(devkeys.NewSecret(), alice, alice+"@example.com", time.Now(), time.Hour),
			})
		})
	}
}

// nodeSetup finds Node 20+ and makes sure the suite's packages are installed, running
// `npm ci` when node_modules is missing or older than package-lock.json.
func nodeSetup(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("the supabase-js suite needs Node.js 20 or later and npm on PATH " +
			"(Debian/Ubuntu: https://github.com/nodesource/distributions, or https://nodejs.org/en/download)")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		t.Fatalf("node --version: %v", err)
	}
	version := strings.TrimSpace(string(out))
	major, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(version, "v"), ".", 2)[0])
	if major < 20 {
		t.Fatalf("the supabase-js suite needs Node.js 20 or later; %s is %s", node, version)
	}
	if nodeModulesCurrent() {
		return node
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("%s/node_modules is missing and npm is not on PATH: install npm (it comes with Node.js) or run `npm ci` in %s", suiteDir, suiteDir)
	}
	t.Logf("installing the supabase-js suite's packages: npm ci in %s", suiteDir)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = suiteDir
	if err := streamTo(t, cmd); err != nil {
		t.Fatalf("npm ci in %s failed (%v): the suite's packages come from the npm registry", suiteDir, err)
	}
	return node
}

// nodeModulesCurrent tells whether npm's record of the installed tree is at least as new as
// the lock file (npm ci writes node_modules/.package-lock.json last).
func nodeModulesCurrent() bool {
	installed, err := os.Stat(filepath.Join(suiteDir, "node_modules", ".package-lock.json"))
	if err != nil {
		return false
	}
	lock, err := os.Stat(filepath.Join(suiteDir, "package-lock.json"))
	return err == nil && !installed.ModTime().Before(lock.ModTime())
}

// runNode runs the suite files with `node --test`, one file at a time, and fails the test
// when node exits non-zero.
func runNode(t *testing.T, node string, files, env []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"--test", "--test-reporter=spec", "--test-concurrency=1"}, files...)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = suiteDir
	cmd.Env = append(os.Environ(), env...)
	cmd.Env = append(cmd.Env, "NO_COLOR=1", "FORCE_COLOR=0")
	began := time.Now()
	if err := streamTo(t, cmd); err != nil {
		t.Fatalf("node --test failed after %s: %v (the failing tests are above)", time.Since(began).Round(time.Millisecond), err)
	}
	t.Logf("supabase-js suite passed in %s", time.Since(began).Round(time.Millisecond))
}

// streamTo runs cmd, passing each line it prints to t.Log as it comes.
func streamTo(t *testing.T, cmd *exec.Cmd) error {
	t.Helper()
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			t.Log(sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	wg.Wait()
	return err
}

// opaqueKey makes a key in the shape Supabase's self-host generator gives: the prefix, 22
// random base64url characters, "_" and an 8-character checksum.
func opaqueKey(prefix string) string {
	b := make([]byte, 17)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	body := prefix + base64.RawURLEncoding.EncodeToString(b)[:22]
	sum := sha256.Sum256([]byte(fmt.Sprintf("supabase-self-hosted|%s", body)))
	return body + "_" + base64.RawURLEncoding.EncodeToString(sum[:])[:8]
}

// TestReadmeShowsTheSuitesFirstTest keeps the README's supabase-js example and the suite's
// first test the same code: every line of the README's snippet from createClient on must
// appear, in order, in the body of the first test of the first suite file.
func TestReadmeShowsTheSuitesFirstTest(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, found := strings.Cut(string(readme), "```js\n")
	block, _, closed := strings.Cut(block, "```")
	_, snippet, fromClient := strings.Cut(block, "const supabase = createClient(")
	if !found || !closed || !fromClient {
		t.Fatal("README.md has no ```js block with `const supabase = createClient(`")
	}
	files, _ := filepath.Glob(filepath.Join(suiteDir, "suite", "*.test.mjs"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no suite files")
	}
	src, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	_, first, ok := strings.Cut(string(src), "\ntest(")
	if !ok {
		t.Fatalf("%s has no test", files[0])
	}
	first, _, _ = strings.Cut(first, "\ntest(")
	var body []string
	for _, l := range strings.Split(first, "\n") {
		body = append(body, strings.TrimSpace(l))
	}
	at := 0
	for _, want := range strings.Split("const supabase = createClient("+snippet, "\n") {
		want = strings.TrimSpace(want)
		if want == "" {
			continue
		}
		for at < len(body) && body[at] != want {
			at++
		}
		if at == len(body) {
			t.Fatalf("README.md's supabase-js line %q is not (in order) in the first test of %s", want, files[0])
		}
		at++
	}
}
