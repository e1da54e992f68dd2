package devkeys

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"time"
)

// Sign returns an HS256 JWT of claims.
func Sign(secret string, claims map[string]any) string {
	header := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload, _ := json.Marshal(claims)
	signingInput := header + "." + base64.RawURLEncoding.EncodeToString(payload)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(signingInput))
	return signingInput + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// APIKey is a legacy Supabase API key: {"role", "iss":"supabase", "iat", "exp"} valid ten years.
func APIKey(secret, role string, now time.Time) string {
	return Sign(secret, map[string]any{
		"role": role, "iss": "supabase",
		"iat": now.Unix(), "exp": now.AddDate(10, 0, 0).Unix(),
	})
}

// UserToken is an access token shaped like GoTrue's for the user id and email, valid for ttl.
func UserToken(secret, userID, email string, now time.Time, ttl time.Duration) string {
	return Sign(secret, map[string]any{
		"sub": userID, "aud": "authenticated", "role": "authenticated",
		"email": email, "phone": "",
		"iat": now.Unix(), "exp": now.Add(ttl).Unix(),
		"app_metadata":  map[string]any{"provider": "email", "providers": []string{"email"}},
		"user_metadata": map[string]any{"email": email, "email_verified": true, "phone_verified": false, "sub": userID},
		"aal":           "aal1",
		"amr":           []map[string]any{{"method": "password", "timestamp": now.Unix()}},
		"session_id":    NewSecret()[:8] + "-0000-4000-8000-000000000000",
		"is_anonymous":  false,
	})
}

// NewSecret returns 40 random hex characters, long enough for PostgREST's 32-character minimum.
func NewSecret() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
