package main

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/rocksteady/rocksteady/pkg/bench/dataset"
)

const patchPoolSize = 20000

// preparePatch picks the documents the auto-save scenario edits (spread over all users,
// each used in turn so two saves of one document are rarely in flight together) and reads
// their current versions.
func preparePatch(w *world) error {
	r := rand.New(rand.NewPCG(w.d.Spec.Seed, 77))
	type pick struct {
		user int
		id   string
	}
	var all []pick
	for _, u := range w.d.Users {
		for j := 0; j < u.Docs/2; j++ {
			all = append(all, pick{u.Index, dataset.DocID(u.DocStart + j)})
		}
	}
	r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	if len(all) > patchPoolSize {
		all = all[:patchPoolSize]
	}
	ids := make([]string, len(all))
	for i, p := range all {
		ids[i] = p.id
	}
	rows, err := w.db.Query(context.Background(), `SELECT id::text, auto_save_version FROM public.documents WHERE id = ANY($1::uuid[])`, ids)
	if err != nil {
		return err
	}
	versions := map[string]int32{}
	for rows.Next() {
		var id string
		var v int32
		if err := rows.Scan(&id, &v); err != nil {
			return err
		}
		versions[id] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	pool := make([]patchDoc, 0, len(all))
	for _, p := range all {
		if v, ok := versions[p.id]; ok {
			pool = append(pool, patchDoc{user: p.user, id: p.id})
			pool[len(pool)-1].version.Store(v)
		}
	}
	w.mu.Lock()
	w.patchDocs = pool
	w.mu.Unlock()
	return nil
}

// prepareDelete lists documents that may be deleted: the seeded drafts nothing references
// and the documents the insert scenario created.
func prepareDelete(w *world) error {
	rows, err := w.db.Query(context.Background(), `SELECT id::text, user_id::text FROM public.documents
		WHERE title LIKE 'Draft %' OR title LIKE 'Bench insert %' ORDER BY created_at DESC, id LIMIT 200000`)
	if err != nil {
		return err
	}
	var pool []delDoc
	for rows.Next() {
		var id, uid string
		if err := rows.Scan(&id, &uid); err != nil {
			return err
		}
		if u := userIndex(uid); u >= 0 && u < len(w.d.Users) {
			pool = append(pool, delDoc{user: u, id: id})
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	w.delDocs = pool
	w.delNext.Store(0)
	w.mu.Unlock()
	return nil
}

// userIndex inverts dataset.UserID.
func userIndex(id string) int {
	i := strings.LastIndexByte(id, '-')
	n, err := strconv.ParseInt(id[i+1:], 16, 64)
	if err != nil {
		return -1
	}
	return int(n) - 1
}
