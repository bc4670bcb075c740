package secrets

import (
	"strings"
	"testing"

	"github.com/aiguard/aiguard/detect"
)

func TestIsPlaceholder(t *testing.T) {
	g := newGen(2)
	random := g.s(alnum, 36)
	cases := []struct {
		name, rule, secret, line string
		want                     bool
	}{
		{"angle placeholder", "generic-api-key", "<your-key>", "", true},
		{"shell variable", "password-config-assignment", "${API_KEY}", "", true},
		{"helm template", "generic-api-key", "{{ .Values.apiKey }}", "", true},
		{"python format", "password-code-assignment", "%(pw)s", "", true},
		{"dollar variable", "password-config-assignment", "$PASSWORD", "", true},
		{"process.env", "generic-api-key", "process.env.OPENAI_KEY", "", true},
		{"os.environ", "password-code-assignment", "os.environ['DB_PASSWORD']", "", true},
		{"xxxx", "github-pat", "ghp_" + strings.Repeat("x", 36), "", true},
		{"stars", "generic-api-key", "****************", "", true},
		{"changeme", "password-config-assignment", "changeme", "", true},
		{"your key here", "generic-api-key", "your_api_key_here", "", true},
		{"replace me", "generic-api-key", "REPLACE_ME", "", true},
		{"dummy", "stripe-access-token", "sk_live_dummy" + g.s(alnum, 10), "", true},
		{"example", "aws-access-token", "AKIA" + "IOSFODNN7" + "EXAMPLE", "", true},
		{"words and number", "generic-api-key", "test_api_key_123", "", true},
		{"fake words", "password-code-assignment", "my-fake-password", "", true},
		{"concatenated words", "password-config-assignment", "mysecretpassword", "", true},
		{"repeated unit", "github-pat", "ghp_" + strings.Repeat("a1B2", 9), "", true},
		{"sequential", "openrouter-api-key", "sk-or-v1-" + strings.Repeat("1234567890abcdef", 4), "", true},
		{"stripe publishable", "generic-api-key", "pk_live_" + g.s(alnum, 24), "", true},
		{"recaptcha site key", "generic-api-key", "6L" + g.s(urlset, 38), `data-sitekey="..."`, true},
		{"sops reference", "password-config-assignment", "ENC[AES256_GCM,data:" + g.s(b64set, 12) + "]", "", true},
		{"vault reference", "password-config-assignment", "vault:secret/data/db#password", "", true},
		{"cloudformation ref", "password-config-assignment", "!Ref DbPassword", "", true},
		{"url port", "url-generic-basic-auth", "8080", "http://localhost:8080@x", true},
		{"user equals password", "database-uri-password", "guest", "amqp://guest:guest@rabbit:5672/", true},
		{"basic auth without colon", "docker-config-auth", b64("justonetoken"), "", true},
		{"code call", "password-code-assignment", "get_password()", "", true},
		{"member access", "password-code-assignment", "settings.DB_PASSWORD", "", true},
		{"path-only rule", "pkcs12-file", "", "", false},
		{"concatenated variable", "password-code-assignment", "+awsSecret+", `"aws_secret_access_key = "+awsSecret+"\n"`, true},
		{"concatenated tail", "npm-registry-generic-auth-token", "+g.npm())", `"//registry.npmjs.org/:_authToken="+g.npm())`, true},
		{"concatenated call", "php-define-generic-secret", `"+g.pw()+"`, `define('AUTH_KEY', '"+g.pw()+"');`, true},
		{"relative file name", "password-code-assignment", "notes/ops-brief.txt", `{"secret txt", "notes/ops-brief.txt"}`, true},
		{"assignment head", "password-code-assignment", "spring.datasource.password=", `"spring.datasource.password="+pw`, true},
		{"format string", "password-code-assignment", "user=%s password=%s", "", true},
		{"curl pair with variable", "curl-auth-user", "admin:$ADMIN_PASSWORD", "curl -u admin:$ADMIN_PASSWORD https://ci", true},
		{"hex digest under a hash name", "generic-api-key", g.s(hexset, 64), "password_sha256: ...", true},
		{"prose in a key slot", "php-define-generic-secret", "put your unique phrase here", "", true},

		{"random key", "github-pat", "ghp_" + random, "", false},
		{"random key containing test", "github-pat", "ghp_" + random[:10] + "test" + random[14:], "", false},
		{"stripe test-mode secret", "stripe-access-token", "sk_test_" + g.s(alnum, 24), "", false},
		{"password with punctuation", "password-config-assignment", strings.Join([]string{"p@ss", "w0rd!"}, ":") + g.s(alnum, 4), "", false},
		{"recaptcha secret key", "generic-api-key", "6L" + g.s(urlset, 38), `RECAPTCHA_SECRET="..."`, false},
		{"basic auth pair", "http-basic-auth-header", b64("svc:" + g.password()), "", false},
		{"database password", "database-uri-password", g.password(), "postgres://app:...@db:5432/app", false},
		{"uppercase random", "generic-api-key", g.s(upper+digits, 32), "", false},
		{"base64 key starting with a slash", "password-code-assignment", "/" + g.s(alnum, 12) + "/" + g.s(b64set, 26), "", false},
		{"salt with template-like punctuation", "php-define-generic-secret", g.s(alnum, 10) + "{{^" + g.s(alnum, 10) + "${" + g.s(alnum, 10) + "%(" + g.s(alnum, 10), "", false},
		{"salt with braces and angle brackets", "php-define-generic-secret", g.s(alnum, 20) + "{}<a>" + g.s(alnum, 20), "", false},
		{"hex key without a digest name", "generic-api-key", g.s(hexset, 64), "api_key: ...", false},
	}
	for _, c := range cases {
		if got := IsPlaceholder(c.rule, c.secret, c.line); got != c.want {
			t.Errorf("%s: IsPlaceholder = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestVariantsUnescapesJSONKeepingLines(t *testing.T) {
	g := newGen(3)
	token := "ghp_" + g.s(alnum, 36)
	nb := "{\n \"cells\": [\n  {\n   \"source\": [\n    \"import os\\n\",\n    \"GITHUB_TOKEN = \\\"" + token + "\\\"\\n\"\n   ]\n  }\n ]\n}\n"
	frag := detect.NewTreeFragment("analysis.ipynb", nb)
	vs := variants(frag)
	if len(vs) != 2 {
		t.Fatalf("got %d variants, want the text and an unescaped copy", len(vs))
	}
	if len(vs[1]) != len(nb) || strings.Count(vs[1], "\n") != strings.Count(nb, "\n") {
		t.Fatal("unescaped copy moved lines or columns")
	}
	if !strings.Contains(vs[1], `"`+token+` "`) {
		t.Error("escaped quotes around the token were not unescaped")
	}
	if got := variants(detect.NewTreeFragment("main.go", "fmt.Println(\"hi\\n\")\n")); len(got) != 1 {
		t.Error("text without escaped quotes should be scanned once")
	}

	fs := scan(t, defaultDetector(t), "analysis.ipynb", nb)
	if !hasRule(fs, "github-pat") {
		t.Fatalf("token in notebook not found: %v", rulesOf(fs))
	}
	for _, f := range fs {
		if f.RuleID == "github-pat" && f.StartLine != 6 {
			t.Errorf("notebook finding on line %d, want 6", f.StartLine)
		}
	}

	pw := g.password()
	js := `{"config": "{\"db\": {\"password\": \"` + pw + `\"}}"}` + "\n"
	if fs := scan(t, defaultDetector(t), "settings.json", js); !hasRule(fs, "password-code-assignment") {
		t.Errorf("password in escaped JSON not found: %v", rulesOf(fs))
	}
}
