package source

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/aiguard/aiguard/detect"
)

// FuzzDiffParser feeds arbitrary bytes as `git log -p` output, whose file
// names, messages and content an attacker writes: parsing must end in
// fragments or an error, never a panic, and every fragment must carry a
// path, a file line for each of its lines and no more than the size limit.
// (Hunk headers come from git, not the attacker, so malformed ones are only
// required not to crash the parser.)
func FuzzDiffParser(f *testing.F) {
	header := headerMarker + "0123456789abcdef0123456789abcdef01234567\x00\x00Dev\x00dev@corp.test\x002026-03-01T10:00:00Z\x00Dev\x00dev@corp.test\x00subject\n\nbody\x00\n"
	for _, s := range []string{
		"",
		header + "diff --git a/x b/x\nnew file mode 100644\nindex 0000000..e69de29\n--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n",
		header + "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n\\ No newline at end of file\n",
		header + "diff --git \"a/new\\nline\" \"b/new\\nline\"\n+++ \"b/new\\nline\"\n@@ -0,0 +1 @@\n+x\n",
		header + "diff --cc m\n@@@ -1,1 -1,1 +1,2 @@@\n++resolved\n",
		header + "Binary files /dev/null and b/img.png differ\n",
		headerMarker + "truncated\x00header",
		"@@ -0,0 +99999999999999999999 @@\n+x\n",
		"+++ b/\n@@ -1 +-5 @@\n+x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p := &diffParser{opts: diffOptions{stage: detect.StageHistory, maxSize: 1 << 16}, skip: func(detect.Skip) {}}
		p.emit = func(frag *detect.Fragment) error {
			n := strings.Count(frag.Text, "\n") + 1
			if frag.Path != MessagePath && len(frag.AddedLines()) != n {
				t.Errorf("%s: %d line numbers for %d lines", frag.Path, len(frag.AddedLines()), n)
			}
			if frag.Path == "" {
				t.Errorf("fragment without a path")
			}
			if len(frag.Text) > 1<<16 {
				t.Errorf("fragment of %d bytes passed the %d-byte limit", len(frag.Text), 1<<16)
			}
			return nil
		}
		_ = p.parse(bufio.NewReader(bytes.NewReader(data)))
	})
}
