package schema

import (
	"math"
	"slices"
	"strings"
	"unicode"
)

// fuzzySet finds the closest of a fixed set of words the way the fuzzyset library that
// PostgREST uses for its hints does:
//
//   - words are compared lower-cased; for gram statistics everything but letters, digits,
//     spaces and commas is removed and the result is enclosed in '-';
//   - candidates are the words sharing a gram with the query, scored by the cosine
//     similarity of their gram-count vectors; the best 50 are re-scored by
//     1 - levenshtein/max(len), and those at or above the threshold are returned best first;
//   - 3-grams are tried first, 2-grams only when 3-grams find nothing; an exact
//     (case-insensitive) match scores 1.
type fuzzySet struct {
	exact map[string]string // lower-cased → original
	items map[int][]fuzzyItem
	index map[string][]gramRef // gram → words containing it
}

type fuzzyItem struct {
	norm  float64
	lower string
}

type gramRef struct {
	item  int
	count int
}

const (
	gramLow  = 2
	gramHigh = 3
	// rescoreTop is how many cosine candidates are re-scored with Levenshtein.
	rescoreTop = 50
	// Thresholds: table and function names need 0.75; parameter sets and relationship
	// targets use the library default.
	strictScore  = 0.75
	lenientScore = 0.33
)

func newFuzzySet(words []string) *fuzzySet {
	fs := &fuzzySet{exact: map[string]string{}, items: map[int][]fuzzyItem{}, index: map[string][]gramRef{}}
	for _, w := range words {
		lower := strings.ToLower(strings.TrimSpace(w))
		if _, dup := fs.exact[lower]; dup {
			continue
		}
		fs.exact[lower] = w
		for size := gramLow; size <= gramHigh; size++ {
			counts := gramCounts(lower, size)
			sum := 0
			for g, n := range counts {
				sum += n * n
				fs.index[g] = append(fs.index[g], gramRef{item: len(fs.items[size]), count: n})
			}
			fs.items[size] = append(fs.items[size], fuzzyItem{norm: math.Sqrt(float64(sum)), lower: lower})
		}
	}
	return fs
}

// best returns the closest word scoring at least min, or "".
func (fs *fuzzySet) best(query string, min float64) string {
	if fs == nil {
		return ""
	}
	lower := strings.ToLower(strings.TrimSpace(query))
	if w, ok := fs.exact[lower]; ok {
		return w
	}
	for size := gramHigh; size >= gramLow; size-- {
		if w := fs.bestWithGrams(lower, size, min); w != "" {
			return w
		}
	}
	return ""
}

type scored struct {
	score float64
	item  int
}

func (fs *fuzzySet) bestWithGrams(lower string, size int, min float64) string {
	dots := map[int]int{}
	var order []int
	sum := 0
	for g, n := range gramCounts(lower, size) {
		sum += n * n
		for _, ref := range fs.index[g] {
			if _, ok := dots[ref.item]; !ok {
				order = append(order, ref.item)
			}
			dots[ref.item] += n * ref.count
		}
	}
	if len(order) == 0 {
		return ""
	}
	slices.Sort(order) // ties keep insertion order, as in the library
	items := fs.items[size]
	norm := math.Sqrt(float64(sum))
	cands := make([]scored, len(order))
	for i, it := range order {
		cands[i] = scored{float64(dots[it]) / (norm * items[it].norm), it}
	}
	slices.SortStableFunc(cands, func(a, b scored) int { return compareScore(b.score, a.score) })
	if len(cands) > rescoreTop {
		cands = cands[:rescoreTop]
	}
	for i := range cands {
		cands[i].score = levenshteinSimilarity(items[cands[i].item].lower, lower)
	}
	slices.SortStableFunc(cands, func(a, b scored) int { return compareScore(b.score, a.score) })
	if cands[0].score < min {
		return ""
	}
	return fs.exact[items[cands[0].item].lower]
}

func compareScore(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// gramCounts counts the size-grams of a word after simplifying it.
func gramCounts(lower string, size int) map[string]int {
	r := []rune{'-'}
	for _, c := range lower {
		if unicode.IsLetter(c) || unicode.IsDigit(c) || c == ',' || c == ' ' {
			r = append(r, c)
		}
	}
	r = append(r, '-')
	counts := map[string]int{}
	for i := 0; i+size <= len(r); i++ {
		counts[string(r[i:i+size])]++
	}
	return counts
}

func levenshteinSimilarity(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	longest := max(len(ra), len(rb))
	if longest == 0 {
		return 1
	}
	return 1 - float64(levenshtein(ra, rb))/float64(longest)
}

func levenshtein(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
