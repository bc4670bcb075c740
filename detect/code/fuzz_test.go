package code

import (
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/internal/testkit"
)

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", "import os\nos.system(x)\n", "eval(req.query.a)", "package p\nfunc f(){ exec.Command(\"sh\", \"-c\", s) }", "((((((((", "def f(:\n\t'''"} {
		f.Add(s)
	}
	d, err := New(config.Code{})
	if err != nil {
		f.Fatal(err)
	}
	// The detector picks a grammar from the path; fuzz each language.
	f.Fuzz(func(t *testing.T, text string) {
		testkit.CheckDetector(t, d, text)
	})
}
