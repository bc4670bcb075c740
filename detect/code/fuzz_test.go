package code

import (
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/internal/testkit"
)

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", "import os\nos.system(x)\n", "eval(req.query.a)", "package p\nfunc f(){ exec.Command(\"sh\", \"-c\", s) }", "((((((((", "def f(:\n\t'''"} {
		for lang := range uint8(9) {
			f.Add(lang, s)
		}
	}
	d, err := New(config.Code{})
	if err != nil {
		f.Fatal(err)
	}
	// The detector picks a grammar from the path; fuzz each language.
	paths := []string{"app.py", "app.js", "main.go", "App.java", "app.ts", "app.tsx", "deploy.sh", "Dockerfile", "notes.txt"}
	f.Fuzz(func(t *testing.T, lang uint8, text string) {
		testkit.CheckDetector(t, d, "src/"+paths[int(lang)%len(paths)], text)
	})
}
