package auth

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jws"
	"github.com/rocksteady/rocksteady/pkg/apierr"
)

// PostgREST's PGRST301 and PGRST303 wording.
const (
	msgEmptyJWT      = "Empty JWT is sent in Authorization header"
	msgKeyError      = "No suitable key or wrong key type"
	msgBadAlgorithm  = "Wrong or unsupported encoding algorithm"
	msgBadCrypto     = "JWT cryptographic operation failed"
	detNoKeyMatched  = "None of the keys was able to decode the JWT"
	detNoSuitableKey = "No suitable key was found to decode the JWT"
	detUnsecured     = "JWT is unsecured but expected 'alg' was not 'none'"

	msgExpired       = "JWT expired"
	msgNotYetValid   = "JWT not yet valid"
	msgIssuedFuture  = "JWT issued at future"
	msgNotInAudience = "JWT not in audience"
	msgParsingClaims = "Parsing claims failed"
	msgAudType       = "The JWT 'aud' claim must be a string or an array of strings"
)

func numberMsg(claim string) string { return "The JWT '" + claim + "' claim must be a number" }

func errBadCrypto() error { return apierr.InvalidJWT(msgBadCrypto, "") }

// b64 decodes one JWS part; padding is tolerated.
func b64(s string) ([]byte, bool) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	return b, err == nil
}

// header is the part of the JOSE header verification looks at.
type header struct {
	Alg *string         `json:"alg"`
	Kid json.RawMessage `json:"kid"`
	Enc json.RawMessage `json:"enc"`
}

// verifySignature checks the token against the key snapshot and returns the payload bytes.
// The order of checks follows PostgREST (jose-jwt): anything that does not parse as a JWS is
// "JWT cryptographic operation failed", alg none is refused before any key is looked at, a
// token no key can be tried on is a key error with "No suitable key…", and a signature no
// candidate accepts is a key error with "None of the keys…".
func verifySignature(ks *keySet, token string) ([]byte, error) {
	h64, rest, _ := strings.Cut(token, ".")
	p64, s64, _ := strings.Cut(rest, ".")
	hb, ok := b64(h64)
	if !ok {
		return nil, errBadCrypto()
	}
	var h header
	if err := json.Unmarshal(hb, &h); err != nil || h.Alg == nil || len(h.Enc) > 0 {
		return nil, errBadCrypto()
	}
	alg := *h.Alg
	payload, ok := b64(p64)
	if !ok {
		return nil, errBadCrypto()
	}
	if alg == "none" {
		return nil, apierr.InvalidJWT(msgBadAlgorithm, detUnsecured)
	}
	if _, _, known := algKind(alg); !known {
		return nil, errBadCrypto()
	}
	sig, ok := b64(s64)
	if !ok {
		return nil, errBadCrypto()
	}
	var kid string
	hasKid := len(h.Kid) > 0 && !bytes.Equal(h.Kid, []byte("null"))
	if hasKid {
		if err := json.Unmarshal(h.Kid, &kid); err != nil {
			return nil, errBadCrypto()
		}
	}
	var buf [4]*verifyKey
	cands := ks.candidates(alg, kid, hasKid, buf[:0])
	if len(cands) == 0 {
		return nil, apierr.InvalidJWT(msgKeyError, detNoSuitableKey)
	}
	verifier, err := jws.NewVerifier(jwa.SignatureAlgorithm(alg))
	if err != nil {
		return nil, errBadCrypto()
	}
	signingInput := []byte(token[:len(h64)+1+len(p64)])
	for _, k := range cands {
		if verifier.Verify(signingInput, sig, k.raw) == nil {
			return payload, nil
		}
	}
	return nil, apierr.InvalidJWT(msgKeyError, detNoKeyMatched)
}

// timeClaim is exp, nbf or iat as PostgREST reads it: a JSON number whose integral value fits
// an int64, and 0 for any other number (so a fractional exp has long expired).
type timeClaim struct {
	set bool
	v   int64
}

func readTimeClaim(raw json.RawMessage, name string) (timeClaim, error) {
	if raw == nil || string(raw) == "null" {
		return timeClaim{}, nil
	}
	s := string(raw)
	if s == "" || !(s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) {
		return timeClaim{}, apierr.InvalidClaims(numberMsg(name))
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		return timeClaim{set: true, v: v}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return timeClaim{set: true, v: 0}, nil // a number, but not a bounded integer
	}
	return timeClaim{set: true, v: int64(f)}, nil
}

// times holds the time claims a cached token is checked against on every use.
type times struct{ exp, nbf, iat timeClaim }

// check applies PostgREST's rules with 30 s of skew, in its order: exp, nbf, iat.
func (t *times) check(now int64) error {
	skew := int64(ClockSkew.Seconds())
	switch {
	case t.exp.set && now-skew > t.exp.v:
		return apierr.InvalidClaims(msgExpired)
	case t.nbf.set && now+skew < t.nbf.v:
		return apierr.InvalidClaims(msgNotYetValid)
	case t.iat.set && now+skew < t.iat.v:
		return apierr.InvalidClaims(msgIssuedFuture)
	}
	return nil
}

// readTimes parses exp, nbf and iat; a non-numeric one is reported in that same order, and
// only after the earlier claims passed their time check (PostgREST reports the first failing
// claim in the order exp, nbf, iat, aud).
func readTimes(obj map[string]json.RawMessage, now int64) (times, error) {
	var t times
	var err error
	if t.exp, err = readTimeClaim(obj["exp"], "exp"); err != nil {
		return t, err
	}
	if err := (&times{exp: t.exp}).check(now); err != nil {
		return t, err
	}
	if t.nbf, err = readTimeClaim(obj["nbf"], "nbf"); err != nil {
		return t, err
	}
	if err := (&times{nbf: t.nbf}).check(now); err != nil {
		return t, err
	}
	if t.iat, err = readTimeClaim(obj["iat"], "iat"); err != nil {
		return t, err
	}
	return t, (&times{iat: t.iat}).check(now)
}

// checkAudience applies jwt-aud: unset accepts anything; a string must equal it; an array
// must contain it unless empty; null or absent is accepted; any other shape is a type error.
func checkAudience(raw json.RawMessage, want string) error {
	if raw == nil || string(raw) == "null" {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return apierr.InvalidClaims(msgAudType)
	}
	switch a := v.(type) {
	case string:
		if want != "" && a != want {
			return apierr.InvalidClaims(msgNotInAudience)
		}
		return nil
	case []any:
		found := len(a) == 0 || want == ""
		for _, e := range a {
			s, ok := e.(string)
			if !ok {
				return apierr.InvalidClaims(msgAudType)
			}
			found = found || s == want
		}
		if !found {
			return apierr.InvalidClaims(msgNotInAudience)
		}
		return nil
	}
	return apierr.InvalidClaims(msgAudType)
}
