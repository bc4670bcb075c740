package injection

import (
	"context"
	"reflect"
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/detect"
)

// TestQuietCacheChangesNothing scans the table and held-out texts twice
// with one detector, whose cache the first round fills, and checks every
// result against a detector that has seen nothing before.
func TestQuietCacheChangesNothing(t *testing.T) {
	type file struct{ path, text string }
	var files []file
	for _, tc := range cases() {
		files = append(files, file{tc.path, tc.text})
	}
	for _, h := range append(heldPositives(), heldNegatives()...) {
		text, _ := h.build()
		files = append(files, file{h.path, text})
	}
	ctx := context.Background()
	shared := New(config.Injection{})
	reported := 0
	for range 2 {
		for _, f := range files {
			for _, path := range []string{f.path, "docs/notes.md", "src/util.py", "AGENTS.md"} {
				frag := detect.NewTreeFragment(path, f.text)
				got, err := shared.Detect(ctx, frag)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := New(config.Injection{}).Detect(ctx, frag)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: with the cache %s, without %s", path, describe(got), describe(want))
				}
				reported += len(got)
			}
		}
	}
	if reported == 0 {
		t.Fatal("no findings: the test proves nothing")
	}
}
