package dataset

import (
	"math/rand/v2"
	"testing"
)

func TestVocabularyIsDistinctAndDeterministic(t *testing.T) {
	a, b := NewVocabulary(20000, 1), NewVocabulary(20000, 1)
	seen := map[string]bool{}
	for i, w := range a {
		if w != b[i] {
			t.Fatalf("word %d differs between runs: %q vs %q", i, w, b[i])
		}
		if seen[w] {
			t.Fatalf("duplicate word %q", w)
		}
		seen[w] = true
	}
}

func TestZipfFavoursLowRanksButReachesTheTail(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	z := NewZipf(r, 1.07, 20000)
	counts := make([]int, 20000)
	const n = 200000
	for i := 0; i < n; i++ {
		counts[z.Next()]++
	}
	if !(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[1000]) {
		t.Fatalf("rank counts not decreasing: %d %d %d %d", counts[0], counts[1], counts[10], counts[1000])
	}
	tail := 0
	for _, c := range counts[2000:] {
		tail += c
	}
	// With s≈1.07 over 20,000 words a sizeable share of draws falls past rank 2,000.
	if tail < n/20 || tail > n/2 {
		t.Fatalf("%d of %d draws past rank 2000", tail, n)
	}
}

func TestIDsAndSizes(t *testing.T) {
	d := New(Small())
	if d.Users[0].ID != UserID(0) || UserID(0) != "a0000000-0000-4000-8000-000000000001" {
		t.Fatalf("user id %s", d.Users[0].ID)
	}
	if b := uuidBytes(docPrefix, 5); string(uuidFromBytes(b)) != DocID(4) {
		t.Fatalf("binary %x and text %s ids differ", b, DocID(4))
	}
	if !d.Users[0].Heavy || d.Users[2].Heavy || d.Files != 2*2000+48*40 {
		t.Fatalf("sizes: %+v files %d", d.Users[:3], d.Files)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1000; i++ {
		if s := d.fileSize(r); s < 512 || s > 4096 {
			t.Fatalf("file size %d", s)
		}
	}
}

func uuidFromBytes(b [16]byte) string {
	const hex = "0123456789abcdef"
	out := make([]byte, 0, 36)
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out = append(out, '-')
		}
		out = append(out, hex[c>>4], hex[c&15])
	}
	return string(out)
}
