package secrets

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// The held-out corpus is written independently of the rules: files of the
// kinds real repositories hold, shaped the way people and AI assistants
// write them, each line labelled by what a reviewer would call it. Its
// generator does not consult the detector (values are not redrawn to dodge
// the placeholder filter), so a rule tuned to it would show as a regression
// on the older corpus and the other way round.
//
// Labels: a positive span holds one credential (several lines for a PEM
// block); a finding anywhere in it counts once. A negative span holds a
// value that looks like a credential but is not one (placeholder, variable,
// documented example, public key, hash). Lines in a neutral span (an
// identifier that sits next to a secret, such as a key's id) count neither
// way. Every other line is negative too.

type span struct {
	start, end int
	kind       string
}

type corpusFile struct {
	path    string
	lines   []string
	pos     []span
	neg     []span
	neutral []span
}

func (f *corpusFile) add(text string) (start, end int) {
	start = len(f.lines) + 1
	f.lines = append(f.lines, strings.Split(text, "\n")...)
	return start, len(f.lines)
}

// Builders of a file: plain lines, secrets, decoys.
func (f *corpusFile) l(lines ...string) {
	for _, s := range lines {
		f.add(s)
	}
}

func (f *corpusFile) sec(kind, text string) {
	s, e := f.add(text)
	f.pos = append(f.pos, span{s, e, kind})
}

func (f *corpusFile) dec(kind, text string) {
	s, e := f.add(text)
	f.neg = append(f.neg, span{s, e, kind})
}

func (f *corpusFile) neu(text string) {
	s, e := f.add(text)
	f.neutral = append(f.neutral, span{s, e, ""})
}

func (f *corpusFile) text() string { return strings.Join(f.lines, "\n") + "\n" }

// hg generates values; it never looks at what the detector thinks of them.
type hg struct{ r *rand.Rand }

const (
	hUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	hLower = "abcdefghijklmnopqrstuvwxyz"
	hDig   = "0123456789"
	hHex   = "0123456789abcdef"
	hAlnum = hUpper + hLower + hDig
	hURL   = hAlnum + "-_"
	hB64   = hAlnum + "+/"
)

func (g *hg) c(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[g.r.Intn(len(set))]
	}
	return string(b)
}

func (g *hg) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }
func (g *hg) n(lo, hi int) int         { return lo + g.r.Intn(hi-lo+1) }

func (g *hg) uuid() string {
	return g.c(hHex, 8) + "-" + g.c(hHex, 4) + "-4" + g.c(hHex, 3) + "-" + g.pick("8", "9", "a", "b") + g.c(hHex, 3) + "-" + g.c(hHex, 12)
}

// Passwords as people choose them (words, digits, punctuation) and as
// password managers generate them.
var pwWords = []string{"Falcon", "Maple", "Orbit", "Copper", "Nimbus", "Harbor", "Quartz", "Violet", "Summit", "Juniper",
	"Pelican", "Granite", "Saffron", "Tundra", "Cobalt", "Lantern", "Meadow", "Zephyr", "Walrus", "Basil"}

func (g *hg) pw() string {
	switch g.r.Intn(3) {
	case 0:
		return g.pick(pwWords...) + g.pick("#", "!", "@", "$", "%", "&", "*") + g.c(hDig, g.n(2, 4)) + g.pick(pwWords...)
	case 1:
		return g.c(hAlnum+"!@#%^&*-_+=", g.n(14, 24))
	}
	return g.c(hLower, 3) + g.pick("!", "@", "%", "^", "*") + g.c(hAlnum, g.n(8, 12)) + g.pick("!", "?", ".", "$")
}

// safePw is a password that needs no quoting in INI, properties and URLs.
func (g *hg) safePw() string {
	return g.c(hUpper, 1) + g.c(hLower+hDig, g.n(7, 10)) + g.pick("!", "_", "-", "~", "*") + g.c(hAlnum, g.n(3, 6))
}

// Provider credentials in their issued formats.
func (g *hg) awsID() string     { return g.pick("AKIA", "ASIA") + g.c(hUpper+"234567", 16) }
func (g *hg) awsSecret() string { return g.c(hB64, 40) }
func (g *hg) ghp() string       { return "ghp_" + g.c(hAlnum, 36) }
func (g *hg) ghFine() string    { return "github_pat_" + g.c(hAlnum, 22) + "_" + g.c(hAlnum, 59) }
func (g *hg) glpat() string     { return "glpat-" + g.c(hURL, 20) }
func (g *hg) slackBot() string {
	return "xoxb-" + g.c(hDig, 12) + "-" + g.c(hDig, 13) + "-" + g.c(hAlnum, 24)
}
func (g *hg) slackHook() string {
	return "https://hooks.slack.com/services/T" + g.c(hUpper+hDig, 10) + "/B" + g.c(hUpper+hDig, 10) + "/" + g.c(hAlnum, 24)
}
func (g *hg) stripeLive() string { return g.pick("sk", "rk") + "_live_51" + g.c(hAlnum, 97) }
func (g *hg) stripePub() string  { return "pk_live_51" + g.c(hAlnum, 97) }
func (g *hg) sendgrid() string   { return "SG." + g.c(hURL, 22) + "." + g.c(hURL, 43) }
func (g *hg) openai() string {
	if g.r.Intn(4) == 0 {
		return "sk-" + g.c(hAlnum, 20) + "T3BlbkFJ" + g.c(hAlnum, 20)
	}
	return "sk-" + g.pick("proj", "proj", "svcacct") + "-" + g.c(hURL, 74) + "T3BlbkFJ" + g.c(hURL, 74)
}
func (g *hg) anthropic() string {
	return "sk-ant-" + g.pick("api03", "api03", "admin01") + "-" + g.c(hURL, 93) + "AA"
}
func (g *hg) google() string    { return "AIza" + g.c(hURL, 35) }
func (g *hg) groq() string      { return "gsk_" + g.c(hAlnum, 52) }
func (g *hg) hf() string        { return "hf_" + g.c(hUpper+hLower, 34) }
func (g *hg) replicate() string { return "r8_" + g.c(hAlnum, 37) }
func (g *hg) xai() string       { return "xai-" + g.c(hAlnum, 80) }
func (g *hg) pplx() string      { return "pplx-" + g.c(hAlnum, 48) }
func (g *hg) openrouter() string {
	return "sk-or-v1-" + g.c(hHex, 64)
}
func (g *hg) deepseek() string { return "sk-" + g.c(hHex, 32) }
func (g *hg) npm() string      { return "npm_" + g.c(hAlnum, 36) }
func (g *hg) pypi() string {
	return "pypi-AgEIcHlwaS5vcmc" + g.c(hURL, g.n(120, 160))
}
func (g *hg) dockerhub() string { return "dckr_pat_" + g.c(hURL, 27) }
func (g *hg) twilioKey() string { return "SK" + g.c(hHex, 32) }
func (g *hg) mailgun() string   { return "key-" + g.c(hHex, 32) }
func (g *hg) telegram() string  { return g.c(hDig, 10) + ":AA" + g.c(hURL, 33) }
func (g *hg) discordHook() string {
	return "https://discord.com/api/webhooks/" + g.c(hDig, 19) + "/" + g.c(hURL, 68)
}
func (g *hg) teamsHook() string {
	return "https://prod-" + g.c(hDig, 2) + ".westeurope.logic.azure.com:443/workflows/" + g.c(hHex, 32) +
		"/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + g.c(hURL, 43)
}
func (g *hg) jwt() string {
	enc := base64.RawURLEncoding.EncodeToString
	head := enc([]byte(`{"alg":"HS256","typ":"JWT"}`))
	body := enc([]byte(fmt.Sprintf(`{"sub":"%s","name":"svc-%s","iat":%d,"exp":%d}`, g.uuid(), g.c(hLower, 6), 1700000000+g.r.Intn(9999999), 1800000000+g.r.Intn(9999999))))
	return head + "." + body + "." + g.c(hURL, 43)
}
func (g *hg) hexKey(n int) string { return g.c(hHex, n) }

// pemBody is base64 wrapped at 64 columns, like a real key file.
func (g *hg) pemBody(lines int) []string {
	var out []string
	for i := 0; i < lines; i++ {
		out = append(out, g.c(hB64, 64))
	}
	return append(out, g.c(hB64, g.n(10, 60))+g.pick("", "=", "=="))
}

func (g *hg) pem(label string, lines int) string {
	return "-----BEGIN " + label + "-----\n" + strings.Join(g.pemBody(lines), "\n") + "\n-----END " + label + "-----"
}

func (g *hg) b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// aiKey is one AI provider credential with the settings names and SDK calls
// that go with it.
type aiKey struct {
	env   string
	value func(*hg) string
}

func aiKeys() []aiKey {
	return []aiKey{
		{"OPENAI_API_KEY", (*hg).openai},
		{"ANTHROPIC_API_KEY", (*hg).anthropic},
		{"GEMINI_API_KEY", (*hg).google},
		{"GROQ_API_KEY", (*hg).groq},
		{"HF_TOKEN", (*hg).hf},
		{"REPLICATE_API_TOKEN", (*hg).replicate},
		{"XAI_API_KEY", (*hg).xai},
		{"PERPLEXITY_API_KEY", (*hg).pplx},
		{"OPENROUTER_API_KEY", (*hg).openrouter},
		{"DEEPSEEK_API_KEY", (*hg).deepseek},
		{"MISTRAL_API_KEY", func(g *hg) string { return g.c(hAlnum, 32) }},
		{"COHERE_API_KEY", func(g *hg) string { return g.c(hAlnum, 40) }},
		{"AZURE_OPENAI_API_KEY", func(g *hg) string { return g.hexKey(32) }},
		{"TOGETHER_API_KEY", func(g *hg) string { return g.hexKey(64) }},
		{"PINECONE_API_KEY", func(g *hg) string { return "pcsk_" + g.c(hAlnum, 6) + "_" + g.c(hAlnum, 63) }},
		{"LANGSMITH_API_KEY", func(g *hg) string { return "lsv2_pt_" + g.hexKey(32) + "_" + g.hexKey(10) }},
	}
}

// Decoys people write where a key goes.
func (g *hg) placeholder(env string) string {
	low := strings.ToLower(env)
	return g.pick("<"+low+">", "your-"+strings.ReplaceAll(low, "_", "-")+"-here", "YOUR_"+env, "sk-...", "sk-xxxxxxxxxxxxxxxxxxxxxxxx",
		"<YOUR_API_KEY>", "REPLACE_ME", "changeme", "", "TODO", "xxx", "${"+env+"}", "insert-key-here")
}

// awsDocExample is the secret key AWS prints in its documentation.
var awsDocExample = strings.Join([]string{"wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYEXAMPLEKEY"}, "/")

type template func(g *hg, i int) *corpusFile

func heldoutTemplates() []template {
	return []template{tplDotenv, tplEnvExample, tplCompose, tplK8sSecret, tplHelm, tplTerraform, tplWorkflow,
		tplSpringProps, tplSpringYAML, tplDjango, tplConfigJS, tplAppsettings, tplNpmrc, tplPypirc, tplNetrc,
		tplGitCredentials, tplNotebook, tplPython, tplJS, tplGo, tplJava, tplCSharp, tplRuby, tplPHP, tplShell,
		tplReadme, tplFixtures, tplLockfiles, tplMinified, tplKeyFiles, tplServiceAccount, tplJWT, tplAiderConf,
		tplContinue, tplMCP, tplWebhooks, tplProviders, tplXML, tplINI, tplDockerfile, tplGitlabCI, tplHashes}
}

func buildHeldout(seed int64, copies int) []*corpusFile {
	g := &hg{rand.New(rand.NewSource(seed))}
	var out []*corpusFile
	for i := 0; i < copies; i++ {
		for _, t := range append(heldoutTemplates(), freshTemplates()...) {
			out = append(out, t(g, i))
		}
	}
	return out
}

func dir(i int, names ...string) string { return names[i%len(names)] }

func tplDotenv(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "", "apps/web/", "services/api/") + dir(i, ".env", ".env.local", ".env.production")}
	f.l("# Application", "NODE_ENV=production", "PORT=3000", "LOG_LEVEL=info", "APP_URL=https://app.acme-corp.io", "")
	k := aiKeys()[g.r.Intn(len(aiKeys()))]
	f.sec("ai", k.env+"="+k.value(g))
	f.sec("stripe", "STRIPE_SECRET_KEY="+g.stripeLive())
	f.dec("stripe-pk", "NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY="+g.stripePub())
	f.sec("stripe-whsec", "STRIPE_WEBHOOK_SECRET=whsec_"+g.c(hAlnum, 32))
	f.l("", "# Database")
	f.sec("db-url", "DATABASE_URL=postgresql://app_user:"+g.safePw()+"@db-"+g.c(hLower, 6)+".eu-west-1.rds.amazonaws.com:5432/app")
	f.dec("redis-nopass", "REDIS_URL=redis://localhost:6379/0")
	f.sec("aws-id", "AWS_ACCESS_KEY_ID="+g.awsID())
	f.sec("aws-secret", "AWS_SECRET_ACCESS_KEY="+g.awsSecret())
	f.l("AWS_REGION=eu-west-1")
	f.sec("jwt-secret", "JWT_SECRET="+g.hexKey(64))
	f.sec("session", "SESSION_SECRET='"+g.pw()+"'")
	f.dec("sentry-dsn", "SENTRY_DSN=https://"+g.hexKey(32)+"@o"+g.c(hDig, 6)+".ingest.sentry.io/"+g.c(hDig, 7))
	f.dec("ref", "GOOGLE_APPLICATION_CREDENTIALS=./secrets/service-account.json")
	f.dec("expand", "SMTP_PASSWORD=${SMTP_PASSWORD}")
	return f
}

func tplEnvExample(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".env.example", ".env.sample", "config/.env.template")}
	f.l("# Copy to .env and fill in your own values.")
	for _, k := range aiKeys()[:6+i%4] {
		f.dec("placeholder", k.env+"="+g.placeholder(k.env))
	}
	f.dec("placeholder", "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app_dev")
	f.dec("placeholder", "DATABASE_URL=postgresql://user:password@localhost:5432/mydb")
	f.dec("placeholder", "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx")
	f.dec("placeholder", "AWS_ACCESS_KEY_ID=AKIA"+"IOSFODNN7EXAMPLE")
	f.dec("placeholder", "AWS_SECRET_ACCESS_KEY="+awsDocExample)
	f.dec("placeholder", "SECRET_KEY=change-me-in-production")
	f.dec("placeholder", "SLACK_BOT_TOKEN=xoxb-your-bot-token")
	f.dec("placeholder", "ADMIN_PASSWORD=")
	return f
}

func tplCompose(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "docker-compose.yml", "deploy/docker-compose.prod.yml", "compose.yaml")}
	f.l("services:", "  db:", "    image: postgres:16-alpine", "    restart: unless-stopped", "    environment:")
	f.l("      POSTGRES_USER: app", "      POSTGRES_DB: app")
	if i%2 == 0 {
		f.sec("password", "      POSTGRES_PASSWORD: \""+g.pw()+"\"")
	} else {
		f.sec("password", "      POSTGRES_PASSWORD: "+g.safePw())
	}
	f.l("    volumes:", "      - pgdata:/var/lib/postgresql/data", "  mysql:", "    image: mysql:8.4", "    environment:")
	f.dec("variable", "      MYSQL_ROOT_PASSWORD: ${MYSQL_ROOT_PASSWORD}")
	f.sec("password", "      - MYSQL_PASSWORD="+g.safePw())
	f.l("  api:", "    build: .", "    depends_on: [db]", "    environment:")
	f.sec("db-url", "      - DATABASE_URL=postgres://app:"+g.safePw()+"@db:5432/app")
	f.dec("variable", "      - OPENAI_API_KEY=${OPENAI_API_KEY:?set it}")
	f.dec("dev-default", "      - REDIS_URL=redis://redis:6379")
	f.sec("ai", "      - ANTHROPIC_API_KEY="+g.anthropic())
	f.l("  rabbitmq:", "    image: rabbitmq:3-management", "    environment:")
	f.sec("password", "      RABBITMQ_DEFAULT_PASS: '"+g.pw()+"'")
	f.dec("dev-default", "      RABBITMQ_DEFAULT_USER: guest")
	f.l("    healthcheck:", "      test: [\"CMD\", \"pg_isready\", \"-U\", \"app\"]", "volumes:", "  pgdata: {}")
	return f
}

func tplK8sSecret(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "k8s/secret.yaml", "deploy/manifests/db-credentials.yml", "charts/app/templates/secret.yaml")}
	f.l("apiVersion: v1", "kind: Secret", "metadata:", "  name: app-credentials", "  namespace: production", "type: Opaque", "data:")
	f.sec("k8s-b64", "  DB_PASSWORD: "+g.b64(g.pw()))
	f.sec("k8s-b64", "  OPENAI_API_KEY: "+g.b64(g.openai()))
	f.l("---", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: api", "spec:", "  template:", "    spec:", "      containers:",
		"        - name: api", "          image: ghcr.io/acme/api:1.4.2", "          env:", "            - name: DB_PASSWORD", "              valueFrom:",
		"                secretKeyRef:", "                  name: app-credentials")
	f.dec("ref", "                  key: DB_PASSWORD")
	f.l("            - name: API_TOKEN")
	f.sec("inline", "              value: \""+g.ghp()+"\"")
	f.l("---", "apiVersion: v1", "kind: Secret", "metadata:", "  name: tls", "stringData:")
	f.dec("variable", "  password: \"${TLS_PASSWORD}\"")
	f.dec("template", "  token: {{ .Values.apiToken | quote }}")
	return f
}

func tplHelm(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "charts/app/values.yaml", "helm/values-prod.yaml", "deploy/values.yml")}
	f.l("replicaCount: 2", "image:", "  repository: ghcr.io/acme/app", "  tag: \"1.8.0\"", "postgresql:", "  enabled: true", "  auth:", "    username: app")
	f.sec("password", "    password: \""+g.pw()+"\"")
	f.dec("empty", "    postgresPassword: \"\"")
	f.dec("ref", "    existingSecret: app-postgresql")
	f.l("redis:", "  auth:", "    enabled: true")
	f.dec("dev-default", "    password: changeme")
	f.l("ingress:", "  enabled: true", "  hosts:", "    - host: app.example.com")
	f.sec("smtp", "smtp:\n  host: smtp.sendgrid.net\n  user: apikey\n  password: "+g.sendgrid())
	f.dec("template", "apiKey: {{ .Values.global.apiKey }}")
	f.sec("password", "grafana:\n  adminPassword: "+g.safePw())
	return f
}

func tplTerraform(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "infra/terraform.tfvars", "terraform/prod.auto.tfvars", "envs/staging/terraform.tfvars")}
	f.l("region       = \"eu-west-1\"", "environment  = \"production\"", "instance_type = \"t3.medium\"")
	f.sec("password", "db_password  = \""+g.pw()+"\"")
	f.sec("aws-id", "aws_access_key = \""+g.awsID()+"\"")
	f.sec("aws-secret", "aws_secret_key = \""+g.awsSecret()+"\"")
	f.sec("cloudflare", "cloudflare_api_token = \""+g.c(hURL, 40)+"\"")
	f.dec("arn", "kms_key_arn = \"arn:aws:kms:eu-west-1:"+g.c(hDig, 12)+":key/"+g.uuid()+"\"")
	f.dec("id", "vpc_id = \"vpc-"+g.hexKey(17)+"\"")
	return f
}

func tplProviders(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "infra/providers.tf", "terraform/main.tf", "modules/db/main.tf")}
	f.l("terraform {", "  required_providers {", "    aws = { source = \"hashicorp/aws\", version = \"~> 5.0\" }", "  }", "}", "", "provider \"aws\" {", "  region     = var.region")
	if i%2 == 0 {
		f.sec("aws-id", "  access_key = \""+g.awsID()+"\"")
		f.sec("aws-secret", "  secret_key = \""+g.awsSecret()+"\"")
	} else {
		f.dec("variable", "  access_key = var.aws_access_key")
		f.dec("variable", "  secret_key = var.aws_secret_key")
	}
	f.l("}", "", "resource \"aws_db_instance\" \"main\" {", "  engine         = \"postgres\"", "  instance_class = \"db.t3.micro\"", "  username       = \"app\"")
	f.dec("variable", "  password       = var.db_password")
	f.dec("random", "  # password comes from random_password.db.result")
	f.l("}", "", "provider \"github\" {")
	f.sec("github", "  token = \""+g.ghp()+"\"")
	f.l("  owner = \"acme\"", "}", "", "variable \"db_password\" {", "  type      = string", "  sensitive = true", "}")
	f.sec("password", "resource \"aws_rds_cluster\" \"aurora\" {\n  master_username = \"admin\"\n  master_password = \""+g.pw()+"\"\n}")
	// A multi-line resource: the secret is on its own line; narrow the span.
	last := &f.pos[len(f.pos)-1]
	last.start, last.end = last.start+2, last.start+2
	return f
}

func tplWorkflow(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".github/workflows/ci.yml", ".github/workflows/deploy.yaml", ".github/workflows/release.yml")}
	f.l("name: deploy", "on:", "  push:", "    branches: [main]", "jobs:", "  deploy:", "    runs-on: ubuntu-latest", "    env:")
	f.dec("gha-secret", "      AWS_ACCESS_KEY_ID: ${{ secrets.AWS_ACCESS_KEY_ID }}")
	f.dec("gha-secret", "      AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}")
	f.dec("gha-secret", "      OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}")
	f.dec("gha-secret", "      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}")
	f.l("    steps:", "      - uses: actions/checkout@"+g.hexKey(40)+" # v4", "      - uses: docker/login-action@v3", "        with:", "          username: acme")
	f.dec("gha-secret", "          password: ${{ secrets.DOCKERHUB_TOKEN }}")
	f.l("      - name: notify")
	f.dec("gha-secret", "        run: curl -H \"Authorization: Bearer ${{ secrets.DEPLOY_TOKEN }}\" https://deploy.acme.io/hooks")
	f.dec("gha-secret", "        run: echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > ~/.npmrc")
	if i%2 == 1 {
		f.l("      - name: slack")
		f.sec("slack-hook", "        run: curl -X POST -d '{\"text\":\"deployed\"}' "+g.slackHook())
	}
	f.l("      - name: db")
	f.dec("gha-var", "        env:\n          PGPASSWORD: ${{ env.PGPASSWORD }}")
	f.sec("password", "      - run: psql \"postgresql://ci:"+g.safePw()+"@localhost:5432/test\" -c 'select 1'")
	return f
}

func tplSpringProps(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "src/main/resources/application.properties", "src/main/resources/application-prod.properties", "backend/src/main/resources/application.properties")}
	f.l("server.port=8080", "spring.application.name=orders")
	f.dec("url", "spring.datasource.url=jdbc:postgresql://localhost:5432/orders")
	f.l("spring.datasource.username=orders")
	f.sec("password", "spring.datasource.password="+g.pw())
	f.dec("variable", "spring.mail.password=${MAIL_PASSWORD}")
	f.sec("password", "spring.rabbitmq.password="+g.safePw())
	f.sec("jwt", "app.jwt.secret="+g.c(hB64, 64))
	f.dec("setting", "spring.security.user.password-encoder=bcrypt")
	f.dec("setting", "management.endpoints.web.exposure.include=health,info")
	f.sec("jdbc", "spring.datasource.replica.url=jdbc:mysql://replica.internal:3306/orders?user=orders&password="+g.safePw()+"&useSSL=true")
	f.sec("aws-secret", "cloud.aws.credentials.secret-key="+g.awsSecret())
	return f
}

func tplSpringYAML(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "src/main/resources/application.yml", "config/application-prod.yaml", "service/src/main/resources/application.yaml")}
	f.l("spring:", "  datasource:", "    url: jdbc:postgresql://db:5432/shop", "    username: shop")
	f.sec("password", "    password: '"+g.pw()+"'")
	f.l("  data:", "    redis:", "      host: cache")
	f.dec("variable", "      password: ${REDIS_PASSWORD:}")
	f.l("  security:", "    oauth2:", "      client:", "        registration:", "          github:", "            client-id: Iv1."+g.hexKey(16))
	f.sec("oauth-secret", "            client-secret: "+g.hexKey(40))
	f.l("  mail:", "    host: smtp.gmail.com")
	f.sec("password", "    password: \""+g.c(hLower, 4)+" "+g.c(hLower, 4)+" "+g.c(hLower, 4)+" "+g.c(hLower, 4)+"\"")
	f.dec("setting", "    properties.mail.smtp.auth: true")
	f.l("jwt:")
	f.dec("variable", "  secret: ${JWT_SECRET}")
	f.l("  expiration: 86400")
	return f
}

func tplDjango(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "mysite/settings.py", "backend/config/settings/production.py", "app/settings.py")}
	f.l("from pathlib import Path", "import os", "", "BASE_DIR = Path(__file__).resolve().parent.parent", "")
	f.sec("django-key", "SECRET_KEY = '"+g.c(hLower+hDig+"!@#%^&*(-_=+)", 50)+"'")
	f.dec("env", "# SECRET_KEY = os.environ['DJANGO_SECRET_KEY']")
	f.l("DEBUG = False", "ALLOWED_HOSTS = ['api.acme.io']", "", "DATABASES = {", "    'default': {", "        'ENGINE': 'django.db.backends.postgresql',",
		"        'NAME': 'acme',", "        'USER': 'acme',")
	f.sec("password", "        'PASSWORD': '"+g.pw()+"',")
	f.l("        'HOST': 'db.internal',", "        'PORT': '5432',", "    }", "}", "", "AUTH_PASSWORD_VALIDATORS = [")
	f.dec("name", "    {'NAME': 'django.contrib.auth.password_validation.UserAttributeSimilarityValidator'},")
	f.dec("name", "    {'NAME': 'django.contrib.auth.password_validation.MinimumLengthValidator'},")
	f.l("]", "", "EMAIL_HOST = 'smtp.mailgun.org'", "EMAIL_HOST_USER = 'postmaster@mg.acme.io'")
	f.sec("password", "EMAIL_HOST_PASSWORD = '"+g.hexKey(32)+"-"+g.hexKey(8)+"-"+g.hexKey(8)+"'")
	f.dec("env", "AWS_SECRET_ACCESS_KEY = os.environ.get('AWS_SECRET_ACCESS_KEY')")
	f.dec("env", "STRIPE_SECRET_KEY = env('STRIPE_SECRET_KEY', default='')")
	f.sec("aws-id", "AWS_ACCESS_KEY_ID = '"+g.awsID()+"'")
	f.dec("name", "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']")
	f.dec("name", "SESSION_COOKIE_NAME = 'sessionid'")
	return f
}

func tplConfigJS(g *hg, i int) *corpusFile {
	ext := dir(i, "js", "ts", "mjs")
	f := &corpusFile{path: dir(i, "src/config.", "server/config/index.", "lib/config.") + ext}
	f.l("// Central configuration", "export const config = {", "  port: Number(process.env.PORT ?? 3000),")
	f.dec("env", "  openaiApiKey: process.env.OPENAI_API_KEY,")
	f.sec("ai", "  anthropicKey: '"+g.anthropic()+"',")
	f.l("  stripe: {")
	f.sec("stripe", "    secretKey: '"+g.stripeLive()+"',")
	f.dec("stripe-pk", "    publishableKey: '"+g.stripePub()+"',")
	f.dec("setting", "    apiVersion: '2024-06-20',")
	f.l("  },", "  db: {", "    host: 'db.internal',", "    user: 'api',")
	f.sec("password", "    password: '"+g.pw()+"',")
	f.l("  },")
	f.sec("ai", "  geminiKey: \""+g.google()+"\",")
	f.dec("env", "  jwtSecret: import.meta.env.VITE_JWT_SECRET,")
	f.dec("recaptcha-site", "  recaptchaSiteKey: '6L"+g.c(hURL, 38)+"',")
	f.l("};")
	return f
}

func tplAppsettings(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "appsettings.json", "src/Api/appsettings.Production.json", "WebApp/appsettings.Development.json")}
	f.l("{", "  \"Logging\": { \"LogLevel\": { \"Default\": \"Information\" } },", "  \"AllowedHosts\": \"*\",", "  \"ConnectionStrings\": {")
	f.sec("adonet", "    \"DefaultConnection\": \"Server=tcp:acme-sql.database.windows.net,1433;Initial Catalog=acme;User ID=acmeadmin;Password="+g.pw()+";Encrypt=True;\",")
	f.dec("adonet-trusted", "    \"Local\": \"Server=(localdb)\\\\mssqllocaldb;Database=acme;Trusted_Connection=True;MultipleActiveResultSets=true\",")
	f.sec("azure-storage", "    \"Storage\": \"DefaultEndpointsProtocol=https;AccountName=acmestore;AccountKey="+g.c(hB64, 86)+"==;EndpointSuffix=core.windows.net\"")
	f.l("  },", "  \"SendGrid\": {")
	f.sec("sendgrid", "    \"ApiKey\": \""+g.sendgrid()+"\"")
	f.l("  },", "  \"Jwt\": {", "    \"Issuer\": \"https://auth.acme.io\",")
	f.sec("jwt-key", "    \"Key\": \""+g.c(hAlnum, 48)+"\"")
	f.l("  },", "  \"Smtp\": {")
	f.dec("empty", "    \"Password\": \"\"")
	f.l("  },", "  \"AzureAd\": {", "    \"Instance\": \"https://login.microsoftonline.com/\",")
	f.neu("    \"ClientId\": \"" + g.uuid() + "\",")
	f.sec("azure-client-secret", "    \"ClientSecret\": \""+g.c(hAlnum, 3)+"8Q~"+g.c(hURL+"~.", 34)+"\"")
	f.l("  }", "}")
	return f
}

func tplNpmrc(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".npmrc", "packages/ui/.npmrc", "frontend/.npmrc")}
	f.l("registry=https://registry.npmjs.org/", "@acme:registry=https://npm.pkg.github.com")
	f.sec("npm", "//registry.npmjs.org/:_authToken="+g.npm())
	f.dec("variable", "//npm.pkg.github.com/:_authToken=${GITHUB_TOKEN}")
	f.sec("artifactory", "//acme.jfrog.io/artifactory/api/npm/npm/:_auth="+g.b64("deploy:"+g.safePw()))
	f.l("always-auth=true", "save-exact=true")
	return f
}

func tplPypirc(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".pypirc", "ci/.pypirc", "release/.pypirc")}
	f.l("[distutils]", "index-servers =", "    pypi", "    private", "", "[pypi]", "username = __token__")
	f.sec("pypi", "password = "+g.pypi())
	f.l("", "[private]", "repository = https://pypi.acme.io/simple/", "username = deploy")
	f.sec("password", "password = "+g.safePw())
	return f
}

func tplNetrc(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".netrc", "docker/.netrc", "ci/netrc")}
	f.sec("netrc", "machine github.com login acme-bot password "+g.ghp())
	f.l("machine api.heroku.com")
	f.l("  login ops@acme.io")
	f.sec("netrc", "  password "+g.uuid())
	f.dec("netrc-anon", "machine ftp.gnu.org login anonymous password guest")
	return f
}

func tplGitCredentials(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".git-credentials", "home/.git-credentials", "ci/.git-credentials")}
	f.sec("git-cred", "https://acme-bot:"+g.ghp()+"@github.com")
	f.sec("git-cred", "https://oauth2:"+g.glpat()+"@gitlab.com")
	f.sec("git-cred", "https://deploy:"+g.safePw()+"@git.acme.internal")
	return f
}

// ipynb writes a notebook whose cells hold the given source lines and whose
// first code cell prints output; positions of the labelled lines follow.
func tplNotebook(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "notebooks/explore.ipynb", "analysis/rag_eval.ipynb", "Untitled.ipynb")}
	q := func(s string) string { b, _ := json.Marshal(s + "\n"); return string(b) }
	f.l("{", " \"cells\": [", "  {", "   \"cell_type\": \"code\",", "   \"execution_count\": 1,", "   \"metadata\": {},", "   \"outputs\": [],", "   \"source\": [")
	f.l("    " + q("import os") + ",")
	f.l("    " + q("from openai import OpenAI") + ",")
	f.sec("ai-escaped", "    "+q("os.environ[\"OPENAI_API_KEY\"] = \""+g.openai()+"\"")+",")
	f.sec("ai-escaped", "    "+q("client = Anthropic(api_key=\""+g.anthropic()+"\")")+",")
	f.dec("env-escaped", "    "+q("hf_token = os.environ.get(\"HF_TOKEN\")")+",")
	f.dec("getpass", "    "+q("pinecone_key = getpass.getpass(\"Pinecone API key: \")")+",")
	f.sec("db-escaped", "    "+q("engine = create_engine(\"postgresql+psycopg2://analyst:"+g.safePw()+"@warehouse.acme.internal/dw\")")+",")
	f.l("    "+q("print(client.models.list())"), "   ]", "  },", "  {", "   \"cell_type\": \"code\",", "   \"execution_count\": 2,", "   \"metadata\": {},", "   \"outputs\": [", "    {",
		"     \"name\": \"stdout\",", "     \"output_type\": \"stream\",", "     \"text\": [")
	f.sec("ai-output", "      "+q("Using key: "+g.groq()))
	f.l("     ]", "    }", "   ],", "   \"source\": [")
	f.sec("ai-escaped", "    "+q("HF_TOKEN = '"+g.hf()+"'"))
	f.l("   ]", "  }", " ],", " \"metadata\": {\"kernelspec\": {\"name\": \"python3\"}},", " \"nbformat\": 4,", " \"nbformat_minor\": 5", "}")
	return f
}

func tplPython(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "app/llm.py", "scripts/ingest.py", "src/agent/client.py")}
	f.l("import os", "import boto3", "import psycopg2", "import requests", "from openai import OpenAI", "from anthropic import Anthropic", "")
	k := aiKeys()[(i*5+3)%len(aiKeys())]
	f.sec("ai", strings.ToLower(k.env)+" = \""+k.value(g)+"\"")
	f.sec("ai", "client = OpenAI(api_key=\""+g.openai()+"\")")
	f.dec("env", "claude = Anthropic(api_key=os.environ[\"ANTHROPIC_API_KEY\"])")
	f.dec("env", "groq_key = os.getenv(\"GROQ_API_KEY\", \"\")")
	f.l("", "s3 = boto3.client(", "    \"s3\",")
	f.sec("aws-id", "    aws_access_key_id=\""+g.awsID()+"\",")
	f.sec("aws-secret", "    aws_secret_access_key=\""+g.awsSecret()+"\",")
	f.l(")", "", "conn = psycopg2.connect(host=\"db.internal\", dbname=\"etl\", user=\"etl\",")
	f.sec("password", "                        password=\""+g.pw()+"\")")
	f.dec("fstring", "dsn = f\"postgresql://{user}:{password}@{host}:5432/{db}\"")
	f.dec("code", "password = getpass.getpass(\"Password: \")")
	f.dec("code", "token = request.headers.get(\"Authorization\", \"\").removeprefix(\"Bearer \")")
	f.sec("bearer", "resp = requests.get(url, headers={\"Authorization\": \"Bearer "+g.c(hAlnum, 40)+"\"})")
	f.dec("bearer-var", "headers = {\"Authorization\": f\"Bearer {api_key}\"}")
	f.sec("mongo", "MONGO_URI = \"mongodb+srv://etl:"+g.safePw()+"@cluster0."+g.c(hLower+hDig, 5)+".mongodb.net/?retryWrites=true\"")
	f.dec("hash", "EXPECTED_SHA256 = \""+g.hexKey(64)+"\"")
	f.l("", "def main():", "    print(client.models.list())")
	return f
}

func tplJS(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "server/index.js", "src/lib/ai.ts", "api/routes/payments.js")}
	f.l("import OpenAI from 'openai';", "import Stripe from 'stripe';", "import mongoose from 'mongoose';", "")
	f.sec("ai", "const openai = new OpenAI({ apiKey: '"+g.openai()+"' });")
	f.sec("stripe", "const stripe = new Stripe('"+g.stripeLive()+"');")
	f.dec("env", "const stripeWebhook = process.env.STRIPE_WEBHOOK_SECRET;")
	f.sec("mongo", "await mongoose.connect('mongodb+srv://api:"+g.safePw()+"@cluster0."+g.c(hLower+hDig, 5)+".mongodb.net/shop');")
	f.dec("template", "const url = `postgres://${user}:${password}@${host}:5432/${db}`;")
	f.dec("template", "axios.defaults.headers.common['Authorization'] = `Bearer ${token}`;")
	f.sec("bearer", "const res = await fetch(api, { headers: { Authorization: 'Bearer "+g.c(hAlnum, 32)+"' } });")
	f.sec("ai", "const groq = new Groq({ apiKey: \""+g.groq()+"\" });")
	f.dec("code", "const secret = crypto.randomBytes(32).toString('hex');")
	f.dec("code", "const passwordInput = document.querySelector('input[type=password]');")
	f.dec("code", "if (password !== confirmPassword) throw new Error('Passwords do not match');")
	f.sec("slack", "const slack = new WebClient('"+g.slackBot()+"');")
	f.dec("integrity", "const SRI = 'sha384-"+g.c(hB64, 64)+"';")
	f.l("export default { openai, stripe };")
	return f
}

func tplGo(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "cmd/server/main.go", "internal/store/db.go", "pkg/notify/notify.go")}
	f.l("package main", "", "import (", "\t\"database/sql\"", "\t\"fmt\"", "\t\"os\"", ")", "")
	f.sec("go-const", "const githubToken = \""+g.ghFine()+"\"")
	f.sec("db-url", "var dsn = \"postgres://svc:"+g.safePw()+"@pg.internal:5432/orders?sslmode=require\"")
	f.dec("env", "var apiKey = os.Getenv(\"OPENAI_API_KEY\")")
	f.dec("code", "\tcreds := \"aws_access_key_id = \" + awsID + \"\\n\" + \"aws_secret_access_key = \" + awsSecret + \"\\n\"")
	f.dec("code", "\tcfg := \"[default]\\n\" + \"aws_secret_access_key = \"+awsSecret+\"\\n\"")
	f.dec("code", "\t{\"secret file\", \"classified-secret\", \"notes/ops-brief.txt\"},")
	f.dec("code", "\tdsn := fmt.Sprintf(\"host=%s user=%s password=%s dbname=%s\", host, user, password, name)")
	f.dec("code", "\tpassword := os.Getenv(\"DB_PASSWORD\")")
	f.dec("code", "\tcfg.Password = strings.TrimSpace(string(secretBytes))")
	f.sec("go-literal", "\tdb, err := sql.Open(\"mysql\", \"root:"+g.safePw()+"@tcp(127.0.0.1:3306)/shop\")")
	f.sec("ai", "\tclient := anthropic.NewClient(option.WithAPIKey(\""+g.anthropic()+"\"))")
	f.dec("hash", "\tconst wantDigest = \"sha256:"+g.hexKey(64)+"\"")
	f.sec("sendgrid", "\tsg := sendgrid.NewSendClient(\""+g.sendgrid()+"\")")
	f.l("\t_ = db", "\tfmt.Println(err)", "}")
	return f
}

func tplJava(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "src/main/java/com/acme/Db.java", "app/src/main/java/com/acme/Mailer.java", "service/src/main/java/io/acme/Clients.java")}
	f.l("package com.acme;", "", "import java.sql.*;", "", "public class Db {", "    private static final String URL = \"jdbc:postgresql://db:5432/app\";", "    private static final String USER = \"app\";")
	f.sec("password", "    private static final String PASSWORD = \""+g.pw()+"\";")
	f.dec("env", "    private final String apiKey = System.getenv(\"OPENAI_API_KEY\");")
	f.dec("code", "    Connection c = DriverManager.getConnection(URL, USER, PASSWORD);")
	f.sec("aws-secret", "    BasicAWSCredentials creds = new BasicAWSCredentials(\""+g.awsID()+"\", \""+g.awsSecret()+"\");")
	f.sec("jdbc", "    String replica = \"jdbc:sqlserver://sql.acme.internal:1433;databaseName=app;user=app;password="+g.safePw()+";\";")
	f.sec("twilio", "    Twilio.init(\"AC"+g.hexKey(32)+"\", \""+g.hexKey(32)+"\");")
	f.dec("code", "    String secret = vault.read(\"secret/data/app\").getData().get(\"password\");")
	f.dec("annotation", "    @Value(\"${spring.datasource.password}\") private String dbPassword;")
	f.l("}")
	return f
}

func tplCSharp(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "src/Api/Program.cs", "Services/AiService.cs", "Infrastructure/Startup.cs")}
	f.l("using OpenAI;", "using Azure;", "", "var builder = WebApplication.CreateBuilder(args);")
	f.sec("ai", "var client = new OpenAIClient(\""+g.openai()+"\");")
	f.sec("azure-openai", "var azure = new AzureOpenAIClient(new Uri(\"https://acme.openai.azure.com/\"), new AzureKeyCredential(\""+g.hexKey(32)+"\"));")
	f.dec("env", "var key = Environment.GetEnvironmentVariable(\"AZURE_OPENAI_API_KEY\");")
	f.dec("config", "var conn = builder.Configuration.GetConnectionString(\"DefaultConnection\");")
	f.sec("adonet", "const string Conn = \"Data Source=sql01;Initial Catalog=Billing;User Id=billing;Password="+g.pw()+";\";")
	f.dec("code", "var password = Console.ReadLine();")
	f.l("var app = builder.Build();", "app.Run();")
	return f
}

func tplRuby(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "config/initializers/stripe.rb", "lib/tasks/sync.rake", "app/services/notifier.rb")}
	f.sec("stripe", "Stripe.api_key = '"+g.stripeLive()+"'")
	f.dec("env", "Stripe.api_key = ENV['STRIPE_SECRET_KEY']")
	f.dec("env", "OpenAI.configure { |c| c.access_token = ENV.fetch('OPENAI_ACCESS_TOKEN') }")
	f.dec("credentials", "key = Rails.application.credentials.dig(:aws, :secret_access_key)")
	f.sec("ai", "client = OpenAI::Client.new(access_token: '"+g.openai()+"')")
	f.sec("github", "octokit = Octokit::Client.new(access_token: '"+g.ghp()+"')")
	f.sec("redis", "Redis.new(url: 'redis://:"+g.safePw()+"@cache.acme.internal:6379/1')")
	f.dec("code", "user.password = SecureRandom.hex(16)")
	return f
}

func tplPHP(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "wp-config.php", "public/wp-config.php", "config/database.php")}
	f.l("<?php", "define( 'DB_NAME', 'wordpress' );", "define( 'DB_USER', 'wp_admin' );")
	f.sec("password", "define( 'DB_PASSWORD', '"+g.pw()+"' );")
	f.l("define( 'DB_HOST', 'localhost' );")
	f.sec("wp-salt", "define( 'AUTH_KEY',         '"+g.c(hAlnum+"!@#%^&*()-_[]{}<>~+=,.;:/?|", 64)+"' );")
	f.dec("wp-placeholder", "define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );")
	f.dec("env", "'password' => env('DB_PASSWORD', ''),")
	f.dec("env", "$apiKey = getenv('OPENAI_API_KEY');")
	f.sec("ai", "$client = OpenAI::client('"+g.openai()+"');")
	f.sec("mailgun", "$mg = Mailgun::create('"+g.mailgun()+"');")
	return f
}

func tplShell(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "scripts/deploy.sh", "bin/release", "tools/backup.sh")}
	f.l("#!/usr/bin/env bash", "set -euo pipefail", "")
	f.sec("github", "export GITHUB_TOKEN="+g.ghp())
	f.dec("variable", "export OPENAI_API_KEY=\"${OPENAI_API_KEY:?missing}\"")
	f.sec("bearer", "curl -sS -H \"Authorization: Bearer "+g.c(hAlnum+"._-", 48)+"\" https://api.acme.io/v1/deploy")
	f.dec("bearer-var", "curl -sS -H \"Authorization: Bearer $DEPLOY_TOKEN\" https://api.acme.io/v1/deploy")
	f.sec("basic", "curl -u admin:"+g.safePw()+" https://jenkins.acme.internal/job/build/buildWithParameters")
	f.dec("basic-var", "curl -u \"$USER:$PASS\" https://jenkins.acme.internal/api/json")
	f.sec("password", "PGPASSWORD='"+g.pw()+"' pg_dump -h db.internal -U backup app > backup.sql")
	f.sec("docker", "echo "+g.dockerhub()+" | docker login -u acme --password-stdin")
	f.dec("variable", "mysql -u root -p\"$MYSQL_ROOT_PASSWORD\" < schema.sql")
	f.sec("twilio", "export TWILIO_API_KEY="+g.twilioKey())
	f.sec("ai", "curl https://api.anthropic.com/v1/messages -H \"x-api-key: "+g.anthropic()+"\" -H \"anthropic-version: 2023-06-01\"")
	return f
}

func tplReadme(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "README.md", "docs/setup.md", "docs/configuration.md")}
	f.l("# Acme API", "", "## Configuration", "", "Set your keys before running:", "", "```bash")
	f.dec("doc", "export OPENAI_API_KEY=\"sk-...\"")
	f.dec("doc", "export ANTHROPIC_API_KEY=<your-anthropic-key>")
	f.dec("doc", "export AWS_ACCESS_KEY_ID=AKIA"+"IOSFODNN7EXAMPLE")
	f.dec("doc", "export AWS_SECRET_ACCESS_KEY="+awsDocExample)
	f.l("```", "", "For Stripe, use your test key from the dashboard, for example:", "")
	f.dec("doc", "    stripe.api_key = \"sk_"+"test_4eC39HqLyjWDarjtT1zdp7dc\"")
	f.dec("doc", "The connection string looks like `postgres://USER:PASSWORD@HOST:5432/DB`.")
	f.dec("doc", "Set `password: <your password>` in `config.yml`.")
	f.dec("doc", "| `API_TOKEN` | string | Your API token, e.g. `tok_xxxxxxxxxxxxxxxx` |")
	f.dec("doc", "curl -H \"Authorization: Bearer YOUR_TOKEN\" https://api.acme.io/v1/me")
	if i%3 == 2 {
		f.l("", "Quick test (works today):", "")
		f.sec("pasted", "    curl https://api.openai.com/v1/models -H \"Authorization: Bearer "+g.openai()+"\"")
	}
	f.l("", "## Password policy", "", "Passwords must be at least 12 characters.")
	return f
}

func tplFixtures(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "tests/fixtures/users.json", "spec/fixtures/config.yml", "test/test_auth.py")}
	switch i % 3 {
	case 0:
		f.l("[")
		f.dec("fake", "  {\"email\": \"alice@example.com\", \"password\": \"password123\"},")
		f.dec("fake", "  {\"email\": \"bob@example.com\", \"password\": \"test-password\"},")
		f.dec("fake", "  {\"api_key\": \"test_api_key_123\", \"token\": \"fake-token\"},")
		f.dec("hash", "  {\"password_hash\": \"$2b$12$"+g.c(hAlnum+"./", 53)+"\"},")
		f.dec("uuid", "  {\"id\": \""+g.uuid()+"\", \"secret\": \"not-a-real-secret\"}")
		f.l("]")
	case 1:
		f.l("test:")
		f.dec("fake", "  api_key: dummy-api-key")
		f.dec("fake", "  stripe_key: sk_test_fake")
		f.dec("fake", "  password: secret")
		f.dec("fake", "  token: xoxb-test-token")
		f.dec("fake", "  aws_secret_access_key: fakeSecretKeyForTests")
		f.sec("real-in-test", "  openai_api_key: "+g.openai())
	default:
		f.l("import pytest", "", "def test_login(client):")
		f.dec("fake", "    resp = client.post('/login', json={'user': 'alice', 'password': 'hunter2'})")
		f.dec("fake", "    token = 'test-token'")
		f.dec("fake", "    monkeypatch.setenv('OPENAI_API_KEY', 'sk-test')")
		f.dec("fake", "    assert auth(api_key='invalid-key') is None")
		f.dec("fake", "    PASSWORD = 'correct horse battery staple'")
	}
	return f
}

func tplLockfiles(g *hg, i int) *corpusFile {
	switch i % 3 {
	case 0:
		f := &corpusFile{path: "web/package-lock.json"}
		f.l("{", "  \"packages\": {", "    \"node_modules/react\": {", "      \"version\": \"18.3.1\",", "      \"resolved\": \"https://registry.npmjs.org/react/-/react-18.3.1.tgz\",")
		f.dec("integrity", "      \"integrity\": \"sha512-"+g.c(hB64, 86)+"==\"")
		f.l("    }", "  }", "}")
		return f
	case 1:
		f := &corpusFile{path: "pnpm-lock.yml"}
		f.l("lockfileVersion: '9.0'", "packages:", "  /axios@1.7.2:")
		f.dec("integrity", "    resolution: {integrity: sha512-"+g.c(hB64, 86)+"==}")
		f.dec("integrity", "  /openai@4.52.0:\n    resolution: {integrity: sha512-"+g.c(hB64, 86)+"==}")
		return f
	}
	f := &corpusFile{path: "Cargo.lock"}
	f.l("[[package]]", "name = \"serde\"", "version = \"1.0.203\"", "source = \"registry+https://github.com/rust-lang/crates.io-index\"")
	f.dec("checksum", "checksum = \""+g.hexKey(64)+"\"")
	f.l("", "[[package]]", "name = \"tokio\"", "version = \"1.38.0\"")
	f.dec("checksum", "checksum = \""+g.hexKey(64)+"\"")
	return f
}

func tplMinified(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "public/assets/app.min.js", "static/js/main."+g.hexKey(8)+".js", "dist/bundle.js")}
	var b strings.Builder
	for j := 0; j < 40; j++ {
		b.WriteString("var " + g.c(hLower, 1) + g.c(hAlnum, 2) + "=function(" + g.c(hLower, 1) + "){return " + g.c(hLower, 1) + "&&" + g.c(hLower, 1) + ".key===\"" + g.c(hAlnum, 8) + "\"};")
	}
	b.WriteString("var t={apiVersion:\"2024-06-20\",token:e.token,secret:null,nonce:\"" + g.c(hB64, 24) + "\"};")
	b.WriteString("var img=\"data:image/png;base64," + g.c(hB64, 300) + "\";")
	f.dec("minified", b.String())
	f.dec("sourcemap", "//# sourceMappingURL=app.min.js.map")
	return f
}

func tplKeyFiles(g *hg, i int) *corpusFile {
	switch i % 3 {
	case 0:
		f := &corpusFile{path: "deploy/id_rsa"}
		f.sec("pem", g.pem("RSA PRIVATE KEY", 25))
		return f
	case 1:
		f := &corpusFile{path: "certs/server.key"}
		f.sec("pem", g.pem("PRIVATE KEY", 16))
		f.l("")
		f.dec("cert", g.pem("CERTIFICATE", 18))
		return f
	}
	f := &corpusFile{path: "ssh/keys.txt"}
	f.sec("pem", g.pem("OPENSSH PRIVATE KEY", 6))
	f.dec("pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"+g.c(hB64, 43)+" deploy@acme")
	f.dec("pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ"+g.c(hB64, 360)+" ops@acme")
	f.dec("pub", g.pem("PUBLIC KEY", 6))
	f.sec("pem", g.pem("EC PRIVATE KEY", 2))
	return f
}

func tplServiceAccount(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "gcp-service-account.json", "secrets/firebase-adminsdk.json", "config/credentials.json")}
	f.l("{", "  \"type\": \"service_account\",", "  \"project_id\": \"acme-prod-"+g.c(hDig, 6)+"\",")
	f.neu("  \"private_key_id\": \"" + g.hexKey(40) + "\",")
	f.sec("pem-json", "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n"+strings.Join(g.pemBody(25), "\\n")+"\\n-----END PRIVATE KEY-----\\n\",")
	f.l("  \"client_email\": \"svc@acme-prod.iam.gserviceaccount.com\",", "  \"client_id\": \""+g.c(hDig, 21)+"\",", "  \"token_uri\": \"https://oauth2.googleapis.com/token\"", "}")
	return f
}

func tplJWT(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "tests/e2e/api.spec.ts", "src/api/client.ts", "scripts/seed.py")}
	f.sec("jwt", "const ADMIN_TOKEN = '"+g.jwt()+"';")
	f.dec("jwt-doc", "// e.g. eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
	f.dec("jwt-partial", "const header = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';")
	f.sec("jwt", "headers: { Authorization: `Bearer "+g.jwt()+"` },")
	f.dec("code", "const decoded = jwt.verify(token, process.env.JWT_SECRET);")
	return f
}

func tplAiderConf(g *hg, i int) *corpusFile {
	f := &corpusFile{path: ".aider.conf.yml"}
	if i > 0 {
		f.path = dir(i, "", "tools/", "dev/") + ".aider.conf.yml"
	}
	f.l("model: claude-3-5-sonnet-20241022", "auto-commits: false")
	f.sec("ai", "anthropic-api-key: "+g.anthropic())
	f.sec("ai", "openai-api-key: "+g.openai())
	f.l("api-key:")
	f.sec("ai", "  - gemini="+g.google())
	f.dec("placeholder", "  - deepseek=<deepseek-key>")
	f.l("dark-mode: true")
	return f
}

func tplContinue(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".continue/config.json", "home/.continue/config.json", "ws/.continue/config.json")}
	f.l("{", "  \"models\": [", "    {", "      \"title\": \"Claude\",", "      \"provider\": \"anthropic\",", "      \"model\": \"claude-3-5-sonnet-latest\",")
	f.sec("ai", "      \"apiKey\": \""+g.anthropic()+"\"")
	f.l("    },", "    {", "      \"title\": \"Mistral\",", "      \"provider\": \"mistral\",")
	f.sec("ai", "      \"apiKey\": \""+g.c(hAlnum, 32)+"\"")
	f.l("    },", "    {", "      \"title\": \"Local\",", "      \"provider\": \"ollama\",")
	f.dec("placeholder", "      \"apiKey\": \"\"")
	f.l("    }", "  ],", "  \"tabAutocompleteModel\": {", "    \"provider\": \"openai\",")
	f.dec("variable", "    \"apiKey\": \"${{ secrets.OPENAI_API_KEY }}\"")
	f.l("  }", "}")
	return f
}

func tplMCP(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".cursor/mcp.json", "claude_desktop_config.json", ".vscode/mcp.json")}
	if i >= 3 {
		f.path = dir(i, "mcp.json", ".mcp.json", "Library/Application Support/Claude/claude_desktop_config.json")
	}
	f.l("{", "  \"mcpServers\": {", "    \"github\": {", "      \"command\": \"npx\",", "      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],", "      \"env\": {")
	f.sec("github", "        \"GITHUB_PERSONAL_ACCESS_TOKEN\": \""+g.ghp()+"\"")
	f.l("      }", "    },", "    \"brave\": {", "      \"command\": \"npx\",", "      \"env\": {")
	f.sec("brave", "        \"BRAVE_API_KEY\": \"BSA"+g.c(hAlnum+"-_", 28)+"\"")
	f.l("      }", "    },", "    \"postgres\": {", "      \"command\": \"npx\",")
	f.sec("db-url", "      \"args\": [\"-y\", \"@modelcontextprotocol/server-postgres\", \"postgresql://readonly:"+g.safePw()+"@db.acme.internal/prod\"]")
	f.l("    },", "    \"slack\": {", "      \"env\": {")
	f.sec("slack", "        \"SLACK_BOT_TOKEN\": \""+g.slackBot()+"\",")
	f.dec("id", "        \"SLACK_TEAM_ID\": \"T"+g.c(hUpper+hDig, 10)+"\"")
	f.l("      }", "    },", "    \"linear\": {", "      \"env\": {")
	f.dec("variable", "        \"LINEAR_API_KEY\": \"${env:LINEAR_API_KEY}\"")
	f.dec("placeholder", "        \"NOTION_TOKEN\": \"<YOUR_NOTION_TOKEN>\"")
	f.l("      }", "    }", "  }", "}")
	return f
}

func tplWebhooks(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "bot/alerts.py", "monitoring/notify.ps1", "ops/hooks.yaml")}
	f.sec("slack-hook", "SLACK_WEBHOOK = \""+g.slackHook()+"\"")
	f.sec("discord-hook", "DISCORD_WEBHOOK = \""+g.discordHook()+"\"")
	f.sec("telegram", "TELEGRAM_BOT_TOKEN = \""+g.telegram()+"\"")
	f.sec("teams-hook", "TEAMS_WEBHOOK = \""+g.teamsHook()+"\"")
	f.sec("discord-bot", "DISCORD_BOT_TOKEN = \""+g.pick("M", "N", "O")+g.c(hAlnum, 25)+"."+g.c(hURL, 6)+"."+g.c(hURL, 38)+"\"")
	f.dec("placeholder", "# SLACK_WEBHOOK = \"https://hooks.slack.com/services/XXX/YYY/ZZZ\"")
	f.dec("variable", "TELEGRAM_CHAT_ID = os.environ[\"TELEGRAM_CHAT_ID\"]")
	f.dec("url", "DOCS = \"https://api.slack.com/messaging/webhooks\"")
	return f
}

func tplXML(g *hg, i int) *corpusFile {
	switch i % 3 {
	case 0:
		f := &corpusFile{path: ".m2/settings.xml"}
		f.l("<settings>", "  <servers>", "    <server>", "      <id>acme-releases</id>", "      <username>deployer</username>")
		f.sec("password", "      <password>"+g.pw()+"</password>")
		f.l("    </server>", "    <server>", "      <id>github</id>", "      <username>acme-bot</username>")
		f.dec("variable", "      <password>${env.GITHUB_TOKEN}</password>")
		f.l("    </server>", "  </servers>", "</settings>")
		return f
	case 1:
		f := &corpusFile{path: "Web.config"}
		f.l("<configuration>", "  <connectionStrings>")
		f.sec("adonet", "    <add name=\"Main\" connectionString=\"Data Source=sql02;Initial Catalog=Crm;User ID=crm;Password="+g.safePw()+"\" providerName=\"System.Data.SqlClient\" />")
		f.l("  </connectionStrings>", "  <appSettings>")
		f.sec("password", "    <add key=\"SmtpPassword\" value=\""+g.pw()+"\" />")
		f.dec("setting", "    <add key=\"PasswordMinLength\" value=\"12\" />")
		f.l("  </appSettings>", "</configuration>")
		return f
	}
	f := &corpusFile{path: "NuGet.Config"}
	f.l("<configuration>", "  <packageSourceCredentials>", "    <acme>", "      <add key=\"Username\" value=\"build\" />")
	f.sec("password", "      <add key=\"ClearTextPassword\" value=\""+g.c(hAlnum, 52)+"\" />")
	f.l("    </acme>", "  </packageSourceCredentials>", "</configuration>")
	return f
}

func tplINI(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "config.ini", "alembic.ini", "conf/app.cfg")}
	f.l("[database]", "host = db.internal", "port = 5432", "user = app")
	f.sec("password", "password = "+g.pw())
	f.l("", "[alembic]", "script_location = migrations")
	f.sec("db-url", "sqlalchemy.url = mysql+pymysql://app:"+g.safePw()+"@mysql.internal/app")
	f.l("", "[smtp]")
	f.dec("empty", "password =")
	f.dec("setting", "password_min_length = 12")
	f.l("", "[redis]")
	f.sec("password", "requirepass "+g.safePw())
	return f
}

func tplDockerfile(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "Dockerfile", "docker/api.Dockerfile", "build/Dockerfile.prod")}
	f.l("FROM node:20-alpine", "WORKDIR /app", "ARG NPM_TOKEN")
	f.dec("variable", "RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc")
	f.sec("ai", "ENV OPENAI_API_KEY="+g.openai())
	f.sec("hf", "ENV HUGGING_FACE_HUB_TOKEN="+g.hf())
	f.dec("variable", "ENV DATABASE_URL=${DATABASE_URL}")
	f.l("COPY . .", "CMD [\"node\", \"server.js\"]")
	return f
}

func tplGitlabCI(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".gitlab-ci.yml", "ci/.gitlab-ci.yml", ".gitlab/ci/deploy.yml")}
	f.l("stages: [build, deploy]", "variables:", "  DOCKER_DRIVER: overlay2")
	f.sec("gitlab", "  GITLAB_API_TOKEN: \""+g.glpat()+"\"")
	f.dec("variable", "  REGISTRY_PASSWORD: $CI_REGISTRY_PASSWORD")
	f.l("deploy:", "  stage: deploy", "  script:")
	f.dec("variable", "    - docker login -u gitlab-ci-token -p $CI_JOB_TOKEN $CI_REGISTRY")
	f.sec("pypi", "    - twine upload -u __token__ -p "+g.pypi()+" dist/*")
	f.sec("npm", "    - npm config set //registry.npmjs.org/:_authToken "+g.npm())
	return f
}

func tplHashes(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "CHANGELOG.md", "migrations/0042_seed.sql", "data/manifest.yaml")}
	f.dec("sha", "- Fix token refresh ("+g.hexKey(40)+")")
	f.dec("sha", "- Merged pull request #812 from acme/feature/secret-rotation, commit "+g.hexKey(12))
	f.dec("uuid", "INSERT INTO api_keys (id, owner) VALUES ('"+g.uuid()+"', 'svc');")
	f.dec("digest", "image: ghcr.io/acme/api@sha256:"+g.hexKey(64))
	f.dec("hash", "password_sha256: "+g.hexKey(64))
	f.dec("hash", "token_hash = \"$argon2id$v=19$m=65536,t=3,p=4$"+g.c(hB64, 22)+"$"+g.c(hB64, 43)+"\"")
	f.dec("id", "secret_name: prod/"+g.c(hLower, 6)+"/db-credentials")
	f.dec("id", "key_id: "+g.uuid())
	f.dec("cert-fp", "tls_fingerprint: "+strings.ToUpper(g.hexKey(2)+":"+g.hexKey(2)+":"+g.hexKey(2)+":"+g.hexKey(2)+":"+g.hexKey(2)+":"+g.hexKey(2)))
	return f
}

// score counts findings against labels: a positive span found (one or more
// findings in it) is a true positive, a finding on any line outside
// positive and neutral spans is a false positive (once per line).
type scoreCard struct {
	tp, fp, fn int
	missed     map[string]int // kind of missed secrets
	wrong      map[string]int // kind (or "unlabelled") of false lines
	examples   []string
}

func (s *scoreCard) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s *scoreCard) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func newScore() *scoreCard { return &scoreCard{missed: map[string]int{}, wrong: map[string]int{}} }

// add scores one file given the lines (and rule ids) reported for it.
func (s *scoreCard) add(f *corpusFile, found map[int]string) {
	in := func(spans []span, line int) (span, bool) {
		for _, sp := range spans {
			if line >= sp.start && line <= sp.end {
				return sp, true
			}
		}
		return span{}, false
	}
	hit := map[int]bool{}
	for line, rule := range found {
		if sp, ok := in(f.pos, line); ok {
			hit[sp.start] = true
			continue
		}
		if _, ok := in(f.neutral, line); ok {
			continue
		}
		s.fp++
		kind := "unlabelled"
		if sp, ok := in(f.neg, line); ok {
			kind = sp.kind
		}
		s.wrong[kind+"/"+rule]++
		s.examples = append(s.examples, fmt.Sprintf("FP %s:%d %s (%s)", f.path, line, rule, kind))
	}
	for _, sp := range f.pos {
		if hit[sp.start] {
			s.tp++
		} else {
			s.fn++
			s.missed[sp.kind]++
			s.examples = append(s.examples, fmt.Sprintf("FN %s:%d (%s)", f.path, sp.start, sp.kind))
		}
	}
}

func (s *scoreCard) report(t *testing.T, who string) {
	t.Logf("%s: %d found, %d false, %d missed: precision %.3f recall %.3f", who, s.tp, s.fp, s.fn, s.precision(), s.recall())
	if testing.Verbose() {
		sort.Strings(s.examples)
		for _, e := range s.examples {
			t.Log("  " + e)
		}
	}
	if len(s.missed) > 0 || len(s.wrong) > 0 {
		t.Logf("%s missed by kind %v; false by kind/rule %v", who, s.missed, s.wrong)
	}
}

func countLabels(files []*corpusFile) (pos, neg int) {
	for _, f := range files {
		pos += len(f.pos)
		neg += len(f.neg)
	}
	return
}

// TestHeldoutCorpus scores aiguard on three draws of the corpus, so that a
// rule or filter that works only for some random values shows up.
func TestHeldoutCorpus(t *testing.T) {
	d := defaultDetector(t)
	s := newScore()
	for i, seed := range []int64{2026, 7, 99} {
		files := buildHeldout(seed, 3)
		pos, neg := countLabels(files)
		if pos < 200 || neg < 200 {
			t.Fatalf("corpus has %d positive and %d negative items, want at least 200 of each", pos, neg)
		}
		if i == 0 {
			t.Logf("%d files, %d positive and %d negative labelled items per draw", len(files), pos, neg)
		}
		for _, f := range files {
			found := map[int]string{}
			for _, fd := range scan(t, d, f.path, f.text()) {
				found[fd.StartLine] = fd.RuleID
			}
			s.add(f, found)
		}
	}
	s.report(t, "aiguard")
	if s.precision() < 0.95 || s.recall() < 0.95 {
		t.Errorf("precision %.3f recall %.3f, want both >= 0.95", s.precision(), s.recall())
	}
}

// A second batch of file kinds, written after the first batch's fixes and
// not tuned against: its score is the honest one.
func freshTemplates() []template {
	return []template{tplAnsible, tplServerless, tplCloudFormation, tplJenkins, tplPowerShell, tplAndroid, tplSwift, tplRust,
		tplSQL, tplHTTPFile, tplPostman, tplLog, tplClaudeSettings, tplCodex, tplDockerConfig, tplSops, tplI18n, tplHTML,
		tplMakefile, tplYarnrc, tplGradle, tplElixir, tplSaaS, tplBots}
}

func tplAnsible(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "group_vars/all.yml", "inventories/prod/group_vars/db.yml", "roles/app/defaults/main.yml")}
	f.l("---", "app_user: deploy")
	f.sec("password", "ansible_become_password: \""+g.pw()+"\"")
	f.dec("vault", "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          "+g.hexKey(64)+"\n          "+g.hexKey(64))
	f.dec("template", "api_token: \"{{ lookup('env', 'API_TOKEN') }}\"")
	f.dec("template", "mysql_root_password: \"{{ vault_mysql_root_password }}\"")
	f.sec("password", "rabbitmq_password: "+g.safePw())
	return f
}

func tplServerless(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "serverless.yml", "functions/serverless.yaml", "api/serverless.yml")}
	f.l("service: billing", "provider:", "  name: aws", "  runtime: nodejs20.x", "  environment:")
	f.dec("ssm", "    STRIPE_SECRET_KEY: ${ssm:/billing/prod/stripe-secret-key}")
	f.sec("ai", "    OPENAI_API_KEY: "+g.openai())
	f.dec("variable", "    DB_PASSWORD: ${env:DB_PASSWORD}")
	f.sec("stripe", "    STRIPE_RESTRICTED_KEY: "+g.stripeLive())
	return f
}

func tplCloudFormation(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "cfn/database.yaml", "template.yaml", "infra/stack.yml")}
	f.l("AWSTemplateFormatVersion: '2010-09-09'", "Parameters:", "  DBPassword:", "    Type: String", "    NoEcho: true", "Resources:", "  Database:", "    Type: AWS::RDS::DBInstance", "    Properties:", "      MasterUsername: admin")
	f.dec("ref", "      MasterUserPassword: !Ref DBPassword")
	f.l("  Replica:", "    Type: AWS::RDS::DBInstance", "    Properties:")
	f.sec("password", "      MasterUserPassword: '"+g.pw()+"'")
	f.dec("ref", "      KmsKeyId: !GetAtt Key.Arn")
	f.dec("ref", "      SecretString: '{{resolve:secretsmanager:prod/db:SecretString:password}}'")
	return f
}

func tplJenkins(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "Jenkinsfile", "ci/Jenkinsfile", "jenkins/release.groovy")}
	f.l("pipeline {", "  agent any", "  environment {")
	f.dec("credentials", "    NEXUS_PASSWORD = credentials('nexus-password')")
	f.sec("gitlab", "    GITLAB_TOKEN = '"+g.glpat()+"'")
	f.l("  }", "  stages {", "    stage('publish') {", "      steps {")
	f.dec("credentials", "        withCredentials([string(credentialsId: 'npm-token', variable: 'NPM_TOKEN')]) {")
	f.sec("gitlab-header", "          sh 'curl --header \"PRIVATE-TOKEN: "+g.glpat()+"\" https://gitlab.acme.io/api/v4/projects'")
	f.dec("variable", "          sh 'curl --header \"PRIVATE-TOKEN: $GITLAB_TOKEN\" https://gitlab.acme.io/api/v4/projects'")
	f.l("        }", "      }", "    }", "  }", "}")
	return f
}

func tplPowerShell(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "scripts/setup.ps1", "tools/Deploy.ps1", "build.ps1")}
	f.sec("ai", "$env:OPENAI_API_KEY = \""+g.openai()+"\"")
	f.sec("password", "$password = ConvertTo-SecureString \""+g.pw()+"\" -AsPlainText -Force")
	f.dec("code", "$cred = Get-Credential -UserName admin")
	f.dec("code", "$secure = Read-Host -Prompt 'Password' -AsSecureString")
	f.sec("azure-sas", "$sas = \"?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-12-31T00:00:00Z&st=2026-01-01T00:00:00Z&spr=https&sig="+g.c(hAlnum, 44)+"%3D\"")
	return f
}

func tplAndroid(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "app/build.gradle.kts", "android/app/build.gradle", "mobile/app/build.gradle.kts")}
	f.l("android {", "  defaultConfig {", "    applicationId = \"io.acme.app\"")
	f.sec("ai", "    buildConfigField(\"String\", \"OPENAI_KEY\", \"\\\""+g.openai()+"\\\"\")")
	f.dec("code", "    buildConfigField(\"String\", \"API_URL\", \"\\\"https://api.acme.io\\\"\")")
	f.l("  }", "  signingConfigs {", "    create(\"release\") {", "      storeFile = file(\"release.jks\")")
	f.sec("password", "      storePassword = \""+g.pw()+"\"")
	f.dec("variable", "      keyPassword = System.getenv(\"KEY_PASSWORD\")")
	f.l("    }", "  }", "}")
	return f
}

func tplSwift(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "Sources/App/Config.swift", "iOS/Acme/Secrets.swift", "App/Networking/APIClient.swift")}
	f.l("import Foundation", "", "enum Config {")
	f.sec("ai", "    static let anthropicKey = \""+g.anthropic()+"\"")
	f.sec("stripe", "    static let stripeSecret = \""+g.stripeLive()+"\"")
	f.dec("env", "    static let apiKey = ProcessInfo.processInfo.environment[\"API_KEY\"] ?? \"\"")
	f.dec("stripe-pk", "    static let stripePublishable = \""+g.stripePub()+"\"")
	f.l("}")
	return f
}

func tplRust(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "src/main.rs", "crates/api/src/config.rs", "src/bin/worker.rs")}
	f.l("use std::env;", "")
	f.sec("ai", "const GROQ_API_KEY: &str = \""+g.groq()+"\";")
	f.dec("env", "let key = env::var(\"OPENAI_API_KEY\").expect(\"OPENAI_API_KEY not set\");")
	f.sec("db-url", "let pool = PgPool::connect(\"postgres://worker:"+g.safePw()+"@10.0.3.17:5432/jobs\").await?;")
	f.dec("code", "let password = rpassword::prompt_password(\"Password: \")?;")
	f.sec("hf", "let api = ApiBuilder::new().with_token(Some(\""+g.hf()+"\".to_string())).build()?;")
	return f
}

func tplSQL(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "db/init.sql", "migrations/001_roles.sql", "scripts/create_users.sql")}
	f.l("CREATE DATABASE app;")
	f.sec("password", "CREATE USER app_rw WITH PASSWORD '"+g.pw()+"';")
	f.sec("password", "ALTER USER reporting IDENTIFIED BY \""+g.safePw()+"\";")
	f.dec("variable", "CREATE USER migrator WITH PASSWORD :'migrator_password';")
	f.l("GRANT ALL PRIVILEGES ON DATABASE app TO app_rw;")
	f.dec("hash", "INSERT INTO users (email, password_hash) VALUES ('admin@acme.io', '$2a$10$"+g.c(hAlnum+"./", 53)+"');")
	return f
}

func tplHTTPFile(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "api.http", "requests/users.http", "docs/examples.rest")}
	f.dec("variable", "@token = {{$dotenv API_TOKEN}}")
	f.l("", "GET https://api.acme.io/v1/users")
	f.sec("bearer", "Authorization: Bearer "+g.c(hAlnum, 40))
	f.l("", "###", "", "POST https://api.acme.io/v1/orders")
	f.dec("variable", "X-API-Key: {{apiKey}}")
	f.dec("variable", "Authorization: Bearer {{token}}")
	f.sec("api-key-header", "X-API-Key: "+g.c(hAlnum, 32))
	return f
}

func tplPostman(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "postman/collection.json", "Acme.postman_collection.json", "tests/api/postman_environment.json")}
	f.l("{", "  \"item\": [{", "    \"name\": \"List users\",", "    \"request\": {", "      \"header\": [")
	f.sec("jwt", "        {\"key\": \"Authorization\", \"value\": \"Bearer "+g.jwt()+"\"},")
	f.dec("variable", "        {\"key\": \"x-api-key\", \"value\": \"{{apiKey}}\"}")
	f.l("      ]", "    }", "  }],", "  \"variable\": [")
	f.sec("api-key", "    {\"key\": \"apiKey\", \"value\": \""+g.c(hAlnum, 40)+"\"}")
	f.l("  ]", "}")
	return f
}

func tplLog(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "logs/app.log", "debug.log", "tmp/server.log")}
	f.dec("log", "2026-03-01T10:00:01Z INFO  request_id="+g.uuid()+" GET /health 200 2ms")
	f.sec("bearer", "2026-03-01T10:00:02Z DEBUG headers={'Authorization': 'Bearer "+g.openai()+"', 'Content-Type': 'application/json'}")
	f.dec("log", "2026-03-01T10:00:03Z INFO  token refreshed (expires_in=3600)")
	f.sec("db-url", "2026-03-01T10:00:04Z ERROR could not connect to mysql://root:"+g.safePw()+"@10.1.2.3:3306/app: timeout")
	f.dec("log", "2026-03-01T10:00:05Z WARN  password for user 'svc' expires in 3 days")
	return f
}

func tplClaudeSettings(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".claude/settings.json", ".claude/settings.local.json", ".gemini/settings.json")}
	f.l("{", "  \"permissions\": { \"allow\": [\"Bash(npm run test:*)\"] },")
	f.dec("path", "  \"apiKeyHelper\": \"~/bin/get-anthropic-key.sh\",")
	f.l("  \"env\": {")
	f.sec("ai", "    \"ANTHROPIC_API_KEY\": \""+g.anthropic()+"\",")
	f.sec("ai", "    \"GEMINI_API_KEY\": \""+g.google()+"\",")
	f.dec("setting", "    \"CLAUDE_CODE_MAX_OUTPUT_TOKENS\": \"8192\"")
	f.l("  }", "}")
	return f
}

func tplCodex(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".codex/config.toml", "home/.codex/config.toml", "dev/.codex/config.toml")}
	f.l("model = \"o4-mini\"", "", "[model_providers.azure]", "name = \"Azure\"", "base_url = \"https://acme.openai.azure.com/openai\"")
	f.dec("name", "env_key = \"AZURE_OPENAI_API_KEY\"")
	f.l("", "[mcp_servers.github]", "command = \"npx\"")
	f.sec("github", "env = { \"GITHUB_TOKEN\" = \""+g.ghFine()+"\" }")
	f.sec("ai", "[mcp_servers.search]\nenv = { \"TAVILY_API_KEY\" = \"tvly-"+g.c(hAlnum, 32)+"\" }")
	last := &f.pos[len(f.pos)-1]
	last.start = last.end
	return f
}

func tplDockerConfig(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".docker/config.json", "ci/docker-config.json", "home/.docker/config.json")}
	f.l("{", "  \"auths\": {", "    \"ghcr.io\": {")
	f.sec("docker-auth", "      \"auth\": \""+g.b64("acme-bot:"+g.ghp())+"\"")
	f.l("    },", "    \"registry.acme.io\": {")
	f.sec("docker-auth", "      \"auth\": \""+g.b64("deploy:"+g.safePw())+"\"")
	f.l("    }", "  },")
	f.dec("setting", "  \"credsStore\": \"desktop\"")
	f.l("}")
	return f
}

func tplSops(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "secrets/prod.enc.yaml", "deploy/secrets.sops.yaml", "config/secrets.enc.yml")}
	f.dec("sops", "db_password: ENC[AES256_GCM,data:"+g.c(hB64, 24)+",iv:"+g.c(hB64, 43)+"=,tag:"+g.c(hB64, 22)+"==,type:str]")
	f.dec("sops", "api_key: ENC[AES256_GCM,data:"+g.c(hB64, 60)+",iv:"+g.c(hB64, 43)+"=,tag:"+g.c(hB64, 22)+"==,type:str]")
	f.l("sops:", "    kms:", "        - arn: arn:aws:kms:eu-west-1:"+g.c(hDig, 12)+":key/"+g.uuid())
	f.dec("sops", "    mac: ENC[AES256_GCM,data:"+g.c(hB64, 86)+"=,iv:"+g.c(hB64, 43)+"=,tag:"+g.c(hB64, 22)+"==,type:str]")
	f.l("    version: 3.9.0")
	return f
}

func tplI18n(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "locales/en.json", "src/i18n/en-GB.json", "public/locales/en/common.json")}
	f.l("{")
	f.dec("prose", "  \"password_too_short\": \"Password must be at least 12 characters long\",")
	f.dec("prose", "  \"api_key_label\": \"Your API key\",")
	f.dec("prose", "  \"secret_hint\": \"Keep this secret safe and never share it\",")
	f.dec("prose", "  \"token_expired\": \"Your session token has expired, please sign in again\"")
	f.l("}")
	return f
}

func tplHTML(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "public/index.html", "templates/chat.html", "demo/index.html")}
	f.l("<!doctype html>", "<html>", "<body>")
	f.dec("form", "  <input type=\"password\" name=\"password\" value=\"\" autocomplete=\"current-password\">")
	f.dec("recaptcha-site", "  <div class=\"g-recaptcha\" data-sitekey=\"6L"+g.c(hURL, 38)+"\"></div>")
	f.l("  <script>")
	f.sec("ai", "    const OPENAI_KEY = \""+g.openai()+"\";")
	f.dec("stripe-pk", "    const stripe = Stripe('"+g.stripePub()+"');")
	f.l("  </script>", "</body>", "</html>")
	return f
}

func tplMakefile(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "Makefile", "build/Makefile", "docker/Makefile")}
	f.l("IMAGE ?= ghcr.io/acme/app")
	f.sec("password", "DOCKER_PASSWORD ?= "+g.safePw())
	f.dec("variable", "TOKEN := $(shell cat .token)")
	f.l("", "login:")
	f.dec("variable", "\techo $(DOCKER_PASSWORD) | docker login -u acme --password-stdin")
	return f
}

func tplYarnrc(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, ".yarnrc.yml", "web/.yarnrc.yml", "packages/.yarnrc.yml")}
	f.l("nodeLinker: node-modules", "npmScopes:", "  acme:", "    npmRegistryServer: \"https://npm.pkg.github.com\"")
	f.sec("github", "    npmAuthToken: "+g.ghp())
	f.dec("variable", "npmAuthToken: \"${NPM_TOKEN}\"")
	return f
}

func tplGradle(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "gradle.properties", "lib/gradle.properties", "home/.gradle/gradle.properties")}
	f.l("org.gradle.jvmargs=-Xmx2g", "ossrhUsername=acme")
	f.sec("password", "ossrhPassword="+g.pw())
	f.dec("id", "signing.keyId="+strings.ToUpper(g.hexKey(8)))
	f.sec("password", "signing.password="+g.safePw())
	f.dec("path", "signing.secretKeyRingFile=/home/ci/.gnupg/secring.gpg")
	return f
}

func tplElixir(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "config/prod.secret.exs", "config/runtime.exs", "apps/web/config/prod.exs")}
	f.l("import Config", "", "config :acme, AcmeWeb.Endpoint,")
	f.sec("secret", "  secret_key_base: \""+g.c(hB64, 64)+"\"")
	f.l("", "config :acme, Acme.Repo,", "  username: \"acme\",")
	f.dec("env", "  password: System.get_env(\"DB_PASSWORD\"),")
	f.sec("password", "  password: \""+g.pw()+"\",")
	return f
}

// tplSaaS holds tokens of services with issued prefixes or fixed formats.
func tplSaaS(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "deploy/.env.ci", "ops/tokens.env", ".env.deploy")}
	f.sec("heroku", "HEROKU_API_KEY="+g.uuid())
	f.sec("datadog", "DD_API_KEY="+g.hexKey(32))
	claims := fmt.Sprintf(`{"iat":%d.%d,"url":"https://sentry.io","region_url":"https://de.sentry.io","org":"acme-%s"}`, 1700000000+g.r.Intn(9999999), g.r.Intn(999999), g.c(hLower, 5))
	f.sec("sentry", "SENTRY_AUTH_TOKEN=sntrys_"+strings.TrimRight(g.b64(claims), "=")+"_"+g.c(hB64, 43))
	f.sec("cloudflare", "CLOUDFLARE_API_TOKEN="+g.c(hURL, 40))
	f.sec("shopify", "SHOPIFY_ACCESS_TOKEN=shpat_"+g.hexKey(32))
	f.sec("linear", "LINEAR_API_KEY=lin_api_"+g.c(hAlnum, 40))
	f.sec("notion", "NOTION_TOKEN=ntn_"+g.c(hDig, 11)+g.c(hAlnum, 35))
	f.sec("vercel", "VERCEL_TOKEN="+g.c(hAlnum, 24))
	f.sec("crates", "CARGO_REGISTRY_TOKEN=cio"+g.c(hAlnum, 32))
	f.sec("slack-signing", "export SLACK_SIGNING_SECRET=\""+g.hexKey(32)+"\"")
	f.dec("id", "DD_SITE=datadoghq.eu")
	f.dec("id", "SENTRY_ORG=acme")
	f.dec("id", "VERCEL_PROJECT_ID=prj_"+g.c(hAlnum, 28))
	return f
}

func tplBots(g *hg, i int) *corpusFile {
	f := &corpusFile{path: dir(i, "bot/index.js", "discord-bot/main.py", "telegram/bot.py")}
	f.sec("discord-bot", "client.login('"+g.pick("M", "N", "O")+g.c(hAlnum, 25)+"."+g.c(hURL, 6)+"."+g.c(hURL, 38)+"');")
	f.sec("telegram", "app = Application.builder().token(\""+g.telegram()+"\").build()")
	f.dec("env", "bot.run(os.getenv('DISCORD_TOKEN'))")
	f.sec("slack-app", "app = App(token=\""+g.slackBot()+"\", signing_secret=os.environ[\"SLACK_SIGNING_SECRET\"])")
	f.sec("slack-xapp", "handler = SocketModeHandler(app, \"xapp-1-A"+g.c(hUpper+hDig, 10)+"-"+g.c(hDig, 13)+"-"+g.hexKey(64)+"\")")
	return f
}
