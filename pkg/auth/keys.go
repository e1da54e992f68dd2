package auth

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"os"
	"strings"

	"github.com/lestrrat-go/jwx/v2/jwk"
)

// keyKind is the family of a verification key; a JWS alg only ever meets keys of its own
// family, which is what keeps an RSA public key from being used as an HMAC secret.
type keyKind uint8

const (
	kindOct keyKind = iota + 1
	kindRSA
	kindEC
	kindEd25519
)

// verifyKey is one key ready for jws.Verifier: raw is []byte, *rsa.PublicKey,
// *ecdsa.PublicKey or ed25519.PublicKey.
type verifyKey struct {
	kid    string
	hasKid bool
	alg    string // the JWK's "alg", "" when absent
	kind   keyKind
	curve  string // EC curve name (P-256, P-384, P-521)
	raw    any
}

// keySet is an immutable snapshot of every key tried; gen changes whenever the remote JWKS
// content is replaced, so cached tokens verified by an older set are verified again.
type keySet struct {
	keys []verifyKey
	gen  uint64
}

// algKind tells which key family and EC curve a JWS alg needs; ok is false for algorithms
// this server does not verify.
func algKind(alg string) (kind keyKind, curve string, ok bool) {
	switch alg {
	case "HS256", "HS384", "HS512":
		return kindOct, "", true
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		return kindRSA, "", true
	case "ES256":
		return kindEC, "P-256", true
	case "ES384":
		return kindEC, "P-384", true
	case "ES512":
		return kindEC, "P-521", true
	case "EdDSA":
		return kindEd25519, "", true
	}
	return 0, "", false
}

// candidates returns the keys that may verify a token with this header: same family, curve
// and (when the key names one) alg, and, when the token names a kid, that kid.
func (s *keySet) candidates(alg, kid string, hasKid bool, dst []*verifyKey) []*verifyKey {
	kind, curve, ok := algKind(alg)
	if !ok {
		return dst
	}
	for i := range s.keys {
		k := &s.keys[i]
		if k.kind != kind || (curve != "" && k.curve != curve) {
			continue
		}
		if k.alg != "" && k.alg != alg {
			continue
		}
		if hasKid && (!k.hasKid || k.kid != kid) {
			continue
		}
		dst = append(dst, k)
	}
	return dst
}

// loadSecret turns PGRST_JWT_SECRET into keys, applying @file and base64 first.
func loadSecret(secret string, isBase64 bool) ([]verifyKey, error) {
	if secret == "" {
		return nil, nil
	}
	text := secret
	if name, ok := strings.CutPrefix(secret, "@"); ok {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, configErr("jwt-secret", "cannot read the secret file: %v", err)
		}
		text = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	}
	raw := []byte(text)
	if isBase64 {
		decoded, err := decodeBase64Secret(text)
		if err != nil {
			return nil, configErr("jwt-secret", "jwt-secret-is-base64 is set but the secret is not valid base64: %v", err)
		}
		raw = decoded
	}
	if trimmed := bytes.TrimSpace(raw); len(trimmed) > 0 && trimmed[0] == '{' {
		keys, err := parseJWKS(trimmed)
		if err != nil {
			return nil, configErr("jwt-secret", "the secret looks like a JWK/JWKS but cannot be used: %v", err)
		}
		return keys, nil
	}
	if len(text) < minSecretLength {
		return nil, configErr("jwt-secret", "The JWT secret must be at least %d characters long.", minSecretLength)
	}
	return []verifyKey{{kind: kindOct, raw: raw}}, nil
}

// decodeBase64Secret reads PostgREST's base64 secrets: URL-safe characters are mapped to the
// standard alphabet and padding is optional.
func decodeBase64Secret(s string) ([]byte, error) {
	s = strings.NewReplacer("-", "+", "_", "/", ".", "=").Replace(strings.TrimSpace(s))
	if b, err := base64.StdEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// parseJWKS parses a JWK or a JWKS (jwk.Parse accepts both) into verification keys.
func parseJWKS(data []byte) ([]verifyKey, error) {
	set, err := jwk.Parse(data)
	if err != nil {
		return nil, err
	}
	keys, err := setKeys(set)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errNoKeys
	}
	return keys, nil
}

// setKeys converts a jwk.Set, skipping encryption keys and key types JWS cannot use.
func setKeys(set jwk.Set) ([]verifyKey, error) {
	var keys []verifyKey
	for i := 0; i < set.Len(); i++ {
		k, _ := set.Key(i)
		if k.KeyUsage() == "enc" {
			continue
		}
		vk, ok, err := convertKey(k)
		if err != nil {
			return nil, fmt.Errorf("key %d (kid %q): %w", i, k.KeyID(), err)
		}
		if ok {
			keys = append(keys, vk)
		}
	}
	return keys, nil
}

func convertKey(k jwk.Key) (verifyKey, bool, error) {
	raw, err := jwk.PublicRawKeyOf(k)
	if err != nil {
		return verifyKey{}, false, err
	}
	vk := verifyKey{raw: raw}
	if kid, ok := k.Get(jwk.KeyIDKey); ok {
		vk.kid, vk.hasKid = fmt.Sprint(kid), true
	}
	if a := k.Algorithm(); a != nil {
		vk.alg = a.String()
	}
	switch r := raw.(type) {
	case []byte:
		if len(r) == 0 {
			return verifyKey{}, false, fmt.Errorf("empty oct key")
		}
		vk.kind = kindOct
	case *rsa.PublicKey:
		vk.kind = kindRSA
	case *ecdsa.PublicKey:
		vk.kind, vk.curve = kindEC, r.Curve.Params().Name
	case ed25519.PublicKey:
		vk.kind = kindEd25519
	default:
		return verifyKey{}, false, nil // X25519 and other non-signing keys
	}
	return vk, true, nil
}
