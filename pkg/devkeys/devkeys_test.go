package devkeys

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSignProducesAVerifiableHS256Token(t *testing.T) {
	secret := "reallyreallyreallyreallyverysafe"
	tok := APIKey(secret, "anon", time.Unix(1700000000, 0))
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(parts[0] + "." + parts[1]))
	if base64.RawURLEncoding.EncodeToString(mac.Sum(nil)) != parts[2] {
		t.Fatal("signature does not verify")
	}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	if claims["role"] != "anon" || claims["iss"] != "supabase" || claims["exp"].(float64) != float64(time.Unix(1700000000, 0).AddDate(10, 0, 0).Unix()) {
		t.Fatalf("claims %v", claims)
	}
}
