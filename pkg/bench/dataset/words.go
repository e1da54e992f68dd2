package dataset

import (
	"math/rand/v2"
	"strings"
)

// syllables make pronounceable synthetic words; none of them alone is an English stop word.
var syllables = []string{
	"ka", "lo", "mi", "ne", "su", "ta", "ri", "vo", "ze", "pa", "qui", "dra", "fen", "gol",
	"hu", "jas", "kel", "mor", "nix", "pol", "rud", "sen", "tor", "ulm", "ver", "wix", "yar",
	"zan", "bre", "cro", "dum", "els", "fay", "gri", "hob", "ist", "jun", "kra", "lum", "mav",
}

// Vocabulary is a fixed list of distinct synthetic words; index 0 is the most frequent
// under the Zipf draw.
type Vocabulary []string

// NewVocabulary returns n distinct words derived deterministically from seed.
func NewVocabulary(n int, seed uint64) Vocabulary {
	r := rand.New(rand.NewPCG(seed, 0x766f636162))
	seen := make(map[string]bool, n)
	words := make([]string, 0, n)
	var b strings.Builder
	for len(words) < n {
		b.Reset()
		parts := 2 + r.IntN(3)
		for i := 0; i < parts; i++ {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		w := b.String()
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	return words
}

// Zipf draws vocabulary ranks with P(rank k) ∝ 1/(k+1)^s.
type Zipf struct {
	z *rand.Zipf
}

// NewZipf draws ranks in [0, n) with exponent s (> 1) from r.
func NewZipf(r *rand.Rand, s float64, n int) *Zipf {
	return &Zipf{z: rand.NewZipf(r, s, 1, uint64(n-1))}
}

// Next returns the next rank.
func (z *Zipf) Next() int { return int(z.z.Uint64()) }

// Text appends words to b until it holds at least size bytes.
func (v Vocabulary) Text(b []byte, z *Zipf, r *rand.Rand, size int) []byte {
	start := len(b)
	sentence := 0
	for len(b)-start < size {
		if len(b) > start {
			b = append(b, ' ')
		}
		b = append(b, v[z.Next()]...)
		sentence++
		if sentence > 6 && r.IntN(8) == 0 {
			b = append(b, '.')
			sentence = 0
		}
	}
	return b
}
