package secrets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", "token = \"\"", "AKIA\nAKIA", "password: \"p@ss\\\"w0rd\"", `{"key": "\u0041"}`, "-----BEGIN PRIVATE KEY-----\n"} {
		f.Add(s)
	}
	d, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) { testkit.CheckDetector(t, d, "config/app.env", text) })
}

// FuzzLoadConfig feeds a repository's .gitleaks.toml, which a pull request
// author controls: any content must give a config or an error, never a
// panic (gitleaks itself panics on a bad regex).
func FuzzLoadConfig(f *testing.F) {
	for _, s := range []string{"", "[extend]\nuseDefault = true\n", "[[rules]]\nid = \"x\"\nregex = '''a+'''\n", "[[rules]]\nid = \"x\"\nregex = '''(a'''\n", "[allowlist]\npaths = ['''(''']\n", "title = 1\n[[rules]]\nid = 2"} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, toml string) {
		p := filepath.Join(dir, "gitleaks.toml")
		if err := os.WriteFile(p, []byte(toml), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadConfig(p); err != nil && err.Error() == "" {
			t.Errorf("error without a reason")
		}
	})
}
