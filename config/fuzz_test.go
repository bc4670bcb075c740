package config

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes as .aiguard.yml, which a pull request can
// change: the result is a valid configuration or an error that names the
// file, never a panic, and an accepted configuration is usable.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "fail-on: P3\n", "fail-on: [\n", "allowlist:\n  paths: ['(']\n", "a: &a [*a]\n",
		"severity:\n  - {category: CL, class: generic, severity: P3}\n", "detectors:\n  code: {enabled: false}\n",
		"max-file-size: -1\n", "file-timeout: 1ns\n", "incidents:\n  prefix: \"$(id)\"\n", "\xff\xfe\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(".aiguard.yml", data)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), ".aiguard.yml") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		if _, err := c.FailOnSeverity(); err != nil {
			t.Errorf("accepted a configuration whose fail-on is invalid: %v", err)
		}
		if c.MaxFileSize < 0 || c.FileTimeout <= 0 {
			t.Errorf("accepted max-file-size %d, file-timeout %v", c.MaxFileSize, c.FileTimeout)
		}
		_ = c.Policy()
		_ = c.Allowlist.PathAllowed("a/b.go")
	})
}
