package simulator

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Every emoji short code salesbot's words use is drawn by the page: render
// holds all of them (in its Go source and, for codes put together at run
// time, in its golden files).
func TestPageDrawsEverySalesbotEmoji(t *testing.T) {
	js, err := static.ReadFile("static/mrkdwn.js")
	if err != nil {
		t.Fatal(err)
	}
	table := regexp.MustCompile(`(?s)const EMOJI = \{(.*?)\n\};`).FindSubmatch(js)
	if table == nil {
		t.Fatal("static/mrkdwn.js has no EMOJI table")
	}
	drawn := map[string]bool{}
	for _, m := range regexp.MustCompile(`"?([a-z0-9_+-]+)"?: "[^"]+"`).FindAllSubmatch(table[1], -1) {
		drawn[string(m[1])] = true
	}
	files, _ := filepath.Glob(filepath.Join("..", "render", "*.go"))
	goldens, _ := filepath.Glob(filepath.Join("..", "render", "testdata", "*.golden"))
	files = append(files, goldens...)
	if len(files) < 10 {
		t.Fatalf("found %d files of render", len(files))
	}
	code := regexp.MustCompile(`:([a-z][a-z0-9_+]*):`)
	missing := map[string][]string{}
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range code.FindAllSubmatch(b, -1) {
			seen++
			if name := string(m[1]); !drawn[name] {
				missing[name] = append(missing[name], filepath.Base(f))
			}
		}
	}
	if seen == 0 {
		t.Fatal("render uses no short code: the pattern is wrong")
	}
	var names []string
	for n := range missing {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Errorf(":%s: (in %s) is not in the page's EMOJI table: it would show as text", n, strings.Join(missing[n], ", "))
	}
}
