package injection

import (
	"strings"
	"testing"
)

func TestExcerptsDefangURLs(t *testing.T) {
	got := redactTokens("send it to https://collector.evil.example/upload?id=42 now")
	if strings.Contains(got, "https://") || strings.Contains(got, "evil.example") || strings.Contains(got, "upload") {
		t.Errorf("live URL survived: %q", got)
	}
	if !strings.Contains(got, "hxxps://collector[.]evil[.]example/…") {
		t.Errorf("host not shown defanged: %q", got)
	}
}
