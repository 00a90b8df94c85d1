package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files from what the code renders now:
// go test ./render -update. Review the diff: it is the change in wording.
var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name.golden.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test ./render -update rewrites it):\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

// messageText is a message as a golden file holds it: the notification
// text, then the blocks as indented JSON.
func messageText(t *testing.T, text string, blocks any) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("text: " + text + "\n")
	if blocks != nil {
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(blocks); err != nil {
			t.Fatal(err)
		}
	}
	// Nested blocks come out HTML-escaped whatever the encoder says; the
	// same JSON, made readable.
	return []byte(jsonUnescaper.Replace(b.String()))
}

var jsonUnescaper = strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">")
