package secrets

import (
	"fmt"
	"strings"
	"testing"
)

// A labelled corpus: files in several formats mixing real-looking
// credentials (generated), decoys (placeholders, variables, documented
// examples, hashes, ids) and ordinary code. Each file's true lines are
// known, so precision and recall are measured per (file, line).

type labelled struct {
	path  string
	text  string
	truth map[int]bool
}

type secretKind struct {
	name  string // setting name the value is assigned to
	value func(g *gen) string
}

func secretKinds() []secretKind {
	return []secretKind{
		{"GITHUB_TOKEN", func(g *gen) string { return "ghp_" + g.s(alnum, 36) }},
		{"AWS_ACCESS_KEY_ID", func(g *gen) string { return g.awsKeyID() }},
		{"AWS_SECRET_ACCESS_KEY", func(g *gen) string { return g.s(b64set, 40) }},
		{"SLACK_BOT_TOKEN", func(g *gen) string {
			return "xoxb-" + g.s(digits, 12) + "-" + g.s(digits, 13) + "-" + g.s(alnum, 24)
		}},
		{"STRIPE_SECRET_KEY", func(g *gen) string { return "sk_live_" + g.s(alnum, 24) }},
		{"OPENAI_API_KEY", func(g *gen) string { return "sk-proj-" + g.s(urlset, 48) + "T3BlbkFJ" + g.s(urlset, 48) }},
		{"ANTHROPIC_API_KEY", func(g *gen) string { return "sk-ant-api03-" + g.s(urlset, 93) + "AA" }},
		{"GROQ_API_KEY", func(g *gen) string { return "gsk_" + g.s(alnum, 52) }},
		{"GEMINI_API_KEY", func(g *gen) string { return "AIza" + g.s(urlset, 35) }},
		{"HF_TOKEN", func(g *gen) string { return "hf_" + g.s(lower+upper, 34) }},
		{"LANGCHAIN_API_KEY", func(g *gen) string { return "lsv2_pt_" + g.s(hexset, 32) + "_" + g.s(hexset, 10) }},
		{"PINECONE_API_KEY", func(g *gen) string { return "pcsk_" + g.s(alnum, 5) + "_" + g.s(alnum, 63) }},
		{"TAVILY_API_KEY", func(g *gen) string { return "tvly-" + g.s(alnum, 32) }},
		{"OPENROUTER_API_KEY", func(g *gen) string { return "sk-or-v1-" + g.s(hexset, 64) }},
		{"MISTRAL_API_KEY", func(g *gen) string { return g.s(alnum, 32) }},
		{"DB_PASSWORD", func(g *gen) string { return g.password() }},
		{"DATABASE_URL", func(g *gen) string { return "postgres://app:" + g.password() + "@db.prod.internal:5432/app" }},
		{"REDIS_URL", func(g *gen) string { return "redis://:" + g.password() + "@cache.internal:6379/0" }},
		{"MONGO_URI", func(g *gen) string {
			return "mongodb+srv://svc:" + g.s(alnum, 16) + "@cluster0." + g.s(lower, 5) + ".mongodb.net/app"
		}},
		{"DISCORD_WEBHOOK", func(g *gen) string {
			return "https://discord.com/api/webhooks/" + g.s(digits, 18) + "/" + g.s(urlset, 68)
		}},
		{"SENDGRID_API_KEY", func(g *gen) string { return "SG." + g.s(urlset, 22) + "." + g.s(urlset, 43) }},
		{"NPM_TOKEN", func(g *gen) string { return "npm_" + g.s(alnum, 36) }},
		{"SECRET_KEY", func(g *gen) string { return g.s(alnum+"!@%^*(-_=+)", 50) }},
	}
}

// decoys are values that must not be reported, in the same settings.
func decoy(g *gen, name string) string {
	switch g.r.Intn(12) {
	case 0:
		return "<your-" + strings.ToLower(strings.ReplaceAll(name, "_", "-")) + ">"
	case 1:
		return "${" + name + "}"
	case 2:
		return "your_" + strings.ToLower(name) + "_here"
	case 3:
		return "changeme"
	case 4:
		return strings.Repeat("x", 32)
	case 5:
		return "REPLACE_ME"
	case 6:
		return "sk-proj-..."
	case 7:
		return "test-" + strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	case 8:
		return "AKIA" + "IOSFODNN7" + "EXAMPLE"
	case 9:
		return "pk_live_" + g.s(alnum, 24)
	case 10:
		return "dummy-value-for-tests"
	}
	return "$" + name
}

// filler is ordinary code with the identifiers scanners trip over.
func filler(g *gen, lang string) string {
	lines := map[string][]string{
		"py": {"import os", "def handler(event, context):", "    return {\"statusCode\": 200}",
			"token = request.headers.get(\"Authorization\")", "password = getpass.getpass()",
			"api_key = os.environ[\"API_KEY\"]", "commit = \"" + g.s(hexset, 40) + "\"",
			"request_id = \"" + g.uuid() + "\"", "key_name = \"primary\"", "secret_name = \"db-credentials\"",
			"model = \"gpt-4o-mini\"", "if not password:", "    raise ValueError(\"password required\")"},
		"js": {"const express = require('express');", "app.use(cors());", "const token = req.headers.authorization;",
			"export const apiVersion = '2024-06-01';", "const integrity = 'sha256-" + g.s(b64set, 43) + "=';",
			"const passwordField = document.getElementById('password');", "module.exports = { secretName: 'jwt' };"},
		"go": {"package main", "import \"os\"", "func main() {", "\tkey := os.Getenv(\"API_KEY\")", "\t_ = key", "}",
			"var checksum = \"" + g.s(hexset, 64) + "\"", "// Token is refreshed hourly."},
		"yaml": {"version: 2", "services:", "  api:", "    image: app:latest", "    environment:",
			"      - LOG_LEVEL=info", "secretRef: db-credentials", "passwordPolicy: strict"},
	}
	ls := lines[lang]
	return ls[g.r.Intn(len(ls))]
}

func buildCorpus(seed int64, files int) []labelled {
	g := newGen(seed)
	kinds := secretKinds()
	var out []labelled
	for f := 0; f < files; f++ {
		format := []string{"env", "py", "js", "go", "yaml", "properties", "ipynb", "md", "java", "json"}[f%10]
		var body []string
		truth := map[int]bool{}
		add := func(line string, real bool) {
			body = append(body, line)
			if real {
				truth[len(body)] = true
			}
		}
		lang := map[string]string{"env": "yaml", "py": "py", "js": "js", "go": "go", "yaml": "yaml", "properties": "yaml", "ipynb": "py", "md": "py", "java": "js", "json": "js"}[format]
		if format == "ipynb" {
			add("{", false)
			add(" \"cells\": [{\"cell_type\": \"code\", \"source\": [", false)
		}
		for i := 0; i < 30; i++ {
			if g.r.Intn(5) != 0 {
				add(embed(format, "", filler(g, lang)), false)
				continue
			}
			k := kinds[g.r.Intn(len(kinds))]
			real := g.r.Intn(2) == 0
			v := decoy(g, k.name)
			if real {
				v = k.value(g)
			}
			add(embed(format, k.name, v), real)
		}
		if format == "ipynb" {
			add(" ]}]", false)
			add("}", false)
		}
		out = append(out, labelled{path: fmt.Sprintf("repo/f%03d.%s", f, format), text: strings.Join(body, "\n") + "\n", truth: truth})
	}
	return out
}

// embed writes name = value the way each format does; name "" writes a
// filler line as is.
func embed(format, name, value string) string {
	if name == "" {
		if format == "ipynb" {
			return "    \"" + strings.ReplaceAll(value, `"`, `\"`) + "\\n\","
		}
		return value
	}
	camel := strings.ToLower(name[:1]) + strings.ReplaceAll(strings.ToLower(name[1:]), "_", "")
	switch format {
	case "env":
		return name + "=" + value
	case "py":
		return name + " = \"" + value + "\""
	case "js":
		return "const " + camel + " = '" + value + "';"
	case "go":
		return "\t" + camel + " := \"" + value + "\""
	case "yaml":
		return "  " + strings.ToLower(name) + ": \"" + value + "\""
	case "properties":
		return strings.ToLower(strings.ReplaceAll(name, "_", ".")) + "=" + value
	case "ipynb":
		return "    \"" + name + " = \\\"" + value + "\\\"\\n\","
	case "md":
		return "export " + name + "=" + value
	case "java":
		return "    private static final String " + name + " = \"" + value + "\";"
	case "json":
		return "  \"" + camel + "\": \"" + value + "\","
	}
	panic(format)
}

func TestCorpusPrecisionRecall(t *testing.T) {
	d := defaultDetector(t)
	var tp, fp, fn int
	missed := map[string]int{}
	wrong := map[string]int{}
	for _, file := range buildCorpus(42, 200) {
		found := map[int]string{}
		for _, f := range scan(t, d, file.path, file.text) {
			found[f.StartLine] = f.RuleID
		}
		for line, rule := range found {
			if file.truth[line] {
				tp++
			} else {
				fp++
				wrong[rule]++
			}
		}
		for line := range file.truth {
			if _, ok := found[line]; !ok {
				fn++
				missed[file.path[strings.LastIndex(file.path, ".")+1:]]++
			}
		}
	}
	precision := float64(tp) / float64(tp+fp)
	recall := float64(tp) / float64(tp+fn)
	t.Logf("corpus: %d true lines found, %d false, %d missed: precision %.3f recall %.3f", tp, fp, fn, precision, recall)
	if len(missed) > 0 || len(wrong) > 0 {
		t.Logf("missed by format %v; false positives by rule %v", missed, wrong)
	}
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.3f recall %.3f, want both >= 0.95", precision, recall)
	}
}
