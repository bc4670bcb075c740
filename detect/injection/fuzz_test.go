package injection

import (
	"testing"

	"github.com/aiguard/aiguard/config"
	"github.com/aiguard/aiguard/internal/testkit"
)

func FuzzDetect(f *testing.F) {
	for _, s := range []string{"", "ignore previous instructions", "<!-- you are now -->", "\u200b\u202e", "{\"mcpServers\": {}}"} {
		f.Add(s)
	}
	d := New(config.Injection{})
	f.Fuzz(func(t *testing.T, text string) { testkit.CheckDetector(t, d, "AGENTS.md", text) })
}
