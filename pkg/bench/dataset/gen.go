package dataset

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// Spec sizes a dataset.
type Spec struct {
	Name                  string
	Seed                  uint64
	Users                 int
	Heavy                 int // the first Heavy users get HeavyDocs and HeavyFiles
	HeavyDocs, HeavyFiles int
	LightDocs, LightFiles int
	VocabularySize        int
	ZipfS                 float64
	MinFileBytes          int
	MaxFileBytes          int
}

// Small is the CI smoke size.
func Small() Spec {
	return Spec{Name: "small", Seed: 1, Users: 50, Heavy: 2, HeavyDocs: 200, HeavyFiles: 2000,
		LightDocs: 20, LightFiles: 40, VocabularySize: 20000, ZipfS: 1.07, MinFileBytes: 512, MaxFileBytes: 4096}
}

// Full is the size issue 7 asks for: 1,000 users, 50 heavy with 10,000 files and 1,000
// documents each, the rest a few hundred rows each.
func Full() Spec {
	return Spec{Name: "full", Seed: 1, Users: 1000, Heavy: 50, HeavyDocs: 1000, HeavyFiles: 10000,
		LightDocs: 100, LightFiles: 200, VocabularySize: 20000, ZipfS: 1.07, MinFileBytes: 512, MaxFileBytes: 4096}
}

// Fingerprint identifies the rows a Spec produces (a reused database must match it).
func (s Spec) Fingerprint() string { return fmt.Sprintf("v1 %+v", s) }

// Base is the creation time of the first row.
var Base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// User is one auth.users row and where its rows are.
type User struct {
	Index    int
	ID       string
	Email    string
	Heavy    bool
	DocStart int // global index of the user's first document
	Docs     int
	Files    int
}

// Dataset is the in-memory description of what Load writes.
type Dataset struct {
	Spec  Spec
	Vocab Vocabulary
	Users []User
	Docs  int // total documents
	Files int // total knowledge files
}

// New describes the dataset of spec without generating any text yet.
func New(spec Spec) *Dataset {
	d := &Dataset{Spec: spec, Vocab: NewVocabulary(spec.VocabularySize, spec.Seed)}
	for i := 0; i < spec.Users; i++ {
		u := User{Index: i, ID: UserID(i), Email: fmt.Sprintf("writer%04d@bench.example", i),
			Heavy: i < spec.Heavy, DocStart: d.Docs, Docs: spec.LightDocs, Files: spec.LightFiles}
		if u.Heavy {
			u.Docs, u.Files = spec.HeavyDocs, spec.HeavyFiles
		}
		d.Docs += u.Docs
		d.Files += u.Files
		d.Users = append(d.Users, u)
	}
	return d
}

func uuidText(prefix uint32, n int) string {
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", prefix, n)
}

func uuidBytes(prefix uint32, n int) [16]byte {
	var b [16]byte
	binary.BigEndian.PutUint32(b[0:4], prefix)
	b[6], b[8] = 0x40, 0x80
	var tail [8]byte
	binary.BigEndian.PutUint64(tail[:], uint64(n))
	copy(b[10:], tail[2:])
	return b
}

const (
	userPrefix = 0xa0000000
	docPrefix  = 0xd0000000
	filePrefix = 0xf0000000
)

// UserID is the id of user i.
func UserID(i int) string { return uuidText(userPrefix, i+1) }

// DocID is the id of the document with global index g.
func DocID(g int) string { return uuidText(docPrefix, g+1) }

// DocCreated is when document j of user u was created: one every 37 minutes, the users
// offset by seconds so no two rows share a timestamp.
func DocCreated(u, j int) time.Time {
	return Base.Add(time.Duration(j)*37*time.Minute + time.Duration(u)*time.Second)
}

// Deletable says whether document j of a user with n documents is one the files never
// reference (the second half): the delete scenario removes only those.
func Deletable(j, n int) bool { return j >= n/2 }

// userRand is the PRNG of user u's rows (independent of the order users are generated in).
func (d *Dataset) userRand(u int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(d.Spec.Seed, uint64(u)<<8|stream))
}

// fileSize draws a size log-uniformly in [MinFileBytes, MaxFileBytes].
func (d *Dataset) fileSize(r *rand.Rand) int {
	lo, hi := math.Log(float64(d.Spec.MinFileBytes)), math.Log(float64(d.Spec.MaxFileBytes))
	return int(math.Exp(lo + r.Float64()*(hi-lo)))
}

// QueryWords returns search terms a user would type: one or two words of middling
// frequency (Zipf ranks 20–2,000), so matches are neither everywhere nor nowhere.
func (d *Dataset) QueryWords(r *rand.Rand) string {
	w := d.Vocab[20+r.IntN(1980)]
	if r.IntN(2) == 0 {
		w += " " + d.Vocab[20+r.IntN(1980)]
	}
	return w
}
