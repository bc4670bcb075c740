package main_test

import (
	"testing"

	"github.com/aiguard/aiguard/internal/testkit"
)

// The repository must pass its own scanner with its own configuration:
// tests build fake values at run time, and fixtures stay under testdata/.
func TestRepositoryIsCleanUnderItsOwnScanner(t *testing.T) {
	root := testkit.ModuleRoot()
	res := testkit.Run(t, root, nil, "scan", "--dir", ".", "--format", "text", "--fail-on", "P4")
	if res.Code != 0 {
		t.Errorf("aiguard flags its own repository (exit %d):\n%s\n%s", res.Code, res.Stdout, res.Stderr)
	}
}
