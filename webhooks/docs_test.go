package webhooks_test

import (
	"os"
	"strings"
	"testing"
)

// The verification snippet in docs/api.md is the function these tests check
// every delivery with, word for word.
func TestDocumentedVerificationIsTheTestedOne(t *testing.T) {
	t.Parallel()
	fn := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		i := strings.Index(s, "func verifySignature(")
		if i < 0 {
			t.Fatalf("%s has no verifySignature", path)
		}
		end := strings.Index(s[i:], "\n}\n")
		return s[i : i+end+2]
	}
	if doc, tested := fn("../docs/api.md"), fn("verify_test.go"); doc != tested {
		t.Errorf("docs/api.md's verifySignature differs from the tested one:\n%s\n---\n%s", doc, tested)
	}
}
