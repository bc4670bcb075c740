package secrets

import (
	"strings"
	"testing"
)

type ruleCase struct {
	rule       string
	path       string
	pos, neg   string
	wantSecret string // "" skips the exact-secret check
}

// ruleCases gives each aiguard rule a text it must fire on and a near miss
// it must not fire on.
func ruleCases(g *gen) []ruleCase {
	pw := g.password()
	hf := "hf_" + g.s(alnum, 34)
	return []ruleCase{
		{"openai-api-key", "app.py", `client = OpenAI(api_key="sk-proj-` + g.s(urlset, 64) + `")`, `model = "sk-proj-` + g.s(alnum, 12) + `"`, ""},
		{"openai-legacy-api-key", "app.env", "OPENAI_API_KEY=sk-" + g.s(alnum, 48), "MODEL_ID=sk-" + g.s(alnum, 48), ""},
		{"anthropic-api-key", "agent.ts", `const key = "sk-ant-api03-` + g.s(urlset, 95) + `";`, `const key = "sk-ant-api03-` + g.s(alnum, 20) + `";`, ""},
		{"huggingface-access-token", "train.py", `login(token="` + hf + `")`, `login(token="hf_` + g.s(alnum, 12) + `")`, hf},
		{"groq-api-key", "bot.py", `GROQ_API_KEY = "gsk_` + g.s(alnum, 52) + `"`, `prefix = "gsk_` + g.s(alnum, 20) + `"`, ""},
		{"replicate-api-token", ".env", "REPLICATE_API_TOKEN=r8_" + g.s(alnum, 37), "REPLICATE_MODEL=r8_" + g.s(alnum, 12), ""},
		{"xai-api-key", "grok.js", `const apiKey = "xai-` + g.s(alnum, 80) + `";`, `const model = "xai-grok-beta-` + g.s(lower, 8) + `";`, ""},
		{"openrouter-api-key", "router.py", `key = "sk-or-v1-` + g.s(hexset, 64) + `"`, `key = "sk-or-v1-` + g.s(hexset, 20) + `"`, ""},
		{"deepseek-api-key", "settings.toml", `deepseek_api_key = "sk-` + g.s(hexset, 32) + `"`, `deepseek_model = "deepseek-chat"`, ""},
		{"mistral-api-key", "llm.py", `MISTRAL_API_KEY = "` + g.s(alnum, 32) + `"`, `MISTRAL_MODEL = "mistral-large-latest"`, ""},
		{"together-api-key", "together.py", `api_key="tgp_v1_` + g.s(urlset, 43) + `"`, `TOGETHER_MODEL = "meta-llama/Llama-3-70b"`, ""},
		{"fireworks-api-key", "fw.py", `FIREWORKS_API_KEY = "fw_` + g.s(alnum, 24) + `"`, `fw_update_channel = "stable"`, ""},
		{"langsmith-api-key", "trace.py", `os.environ["LANGSMITH_API_KEY"] = "lsv2_pt_` + g.s(hexset, 32) + "_" + g.s(hexset, 10) + `"`, `LANGSMITH_API_KEY=lsv2_pt_...`, ""},
		{"langfuse-secret-key", ".env", "LANGFUSE_SECRET_KEY=sk-lf-" + g.uuid(), "LANGFUSE_PUBLIC_KEY=pk-lf-" + g.uuid(), ""},
		{"pinecone-api-key", "index.py", `pc = Pinecone(api_key="pcsk_` + g.s(alnum, 5) + "_" + g.s(alnum, 63) + `")`, `pc = Pinecone(api_key="pcsk_` + g.s(alnum, 10) + `")`, ""},
		{"elevenlabs-api-key", "voice.py", `client = ElevenLabs(api_key="sk_` + g.s(hexset, 48) + `")`, `client = ElevenLabs(api_key="sk_` + g.s(hexset, 20) + `")`, ""},
		{"tavily-api-key", "search.py", `TavilyClient(api_key="tvly-dev-` + g.s(alnum, 32) + `")`, `TavilyClient(api_key="tvly-` + g.s(alnum, 10) + `")`, ""},
		{"firecrawl-api-key", "crawl.py", `FirecrawlApp(api_key="fc-` + g.s(hexset, 32) + `")`, `FirecrawlApp(api_key="fc-` + g.s(hexset, 12) + `")`, ""},
		{"cerebras-api-key", "cb.py", `key = "csk-` + g.s(lower+digits, 48) + `"`, `key = "csk-` + g.s(lower+digits, 16) + `"`, ""},
		{"nvidia-api-key", "nim.py", `key = "nvapi-` + g.s(urlset, 64) + `"`, `key = "nvapi-` + g.s(urlset, 16) + `"`, ""},
		{"supabase-secret-key", ".env", "SUPABASE_ACCESS_TOKEN=sbp_" + g.s(hexset, 40), "SUPABASE_URL=https://" + g.s(lower, 20) + ".supabase.co", ""},
		{"wandb-api-key", ".env", "WANDB_API_KEY=" + g.s(hexset, 40), "WANDB_PROJECT=" + g.s(lower, 12), ""},
		{"voyage-api-key", "embed.py", `VOYAGE_API_KEY = "pa-` + g.s(urlset, 43) + `"`, `VOYAGE_MODEL = "voyage-3-large"`, ""},
		{"stability-api-key", "img.py", `STABILITY_KEY = "sk-` + g.s(alnum, 48) + `"`, `STABILITY_ENGINE = "stable-diffusion-xl"`, ""},
		{"deepgram-api-key", "stt.py", `DEEPGRAM_API_KEY = "` + g.s(hexset, 40) + `"`, `DEEPGRAM_MODEL = "nova-2"`, ""},
		{"assemblyai-api-key", "stt.js", `const ASSEMBLYAI_API_KEY = "` + g.s(hexset, 32) + `";`, `const ASSEMBLYAI_URL = "https://api.assemblyai.com";`, ""},
		{"azure-openai-api-key", "appsettings.env", "AZURE_OPENAI_API_KEY=" + g.s(hexset, 32), "AZURE_OPENAI_ENDPOINT=https://" + g.s(lower, 10) + ".openai.azure.com", ""},
		{"aws-secret-access-key", "creds.ini", "aws_secret_access_key = " + g.s(b64set, 40), "aws_region = eu-west-1", ""},
		{"aitool-config-generic-secret", ".continue/config.json", `{"models": [{"provider": "custom", "apiKey": "` + g.s(alnum, 40) + `"}]}`, `{"models": [{"provider": "custom", "apiKey": "${env:CUSTOM_KEY}"}]}`, ""},
		{"telegram-bot-api-token", "notify.sh", "curl https://api.telegram.org/bot" + g.s(digits, 10) + ":AA" + g.s(urlset, 33) + "/sendMessage", "curl https://api.telegram.org/bot" + g.s(digits, 10) + ":AB" + g.s(urlset, 12) + "/sendMessage", ""},
		{"discord-webhook-url", "hooks.yml", "url: https://discord.com/api/webhooks/" + g.s(digits, 18) + "/" + g.s(urlset, 68), "url: https://discord.com/api/webhooks/{id}/{token}", ""},
		{"discord-bot-token", "bot.py", "import discord\nclient.run(\"M" + g.s(urlset, 25) + "." + g.s(urlset, 6) + "." + g.s(urlset, 38) + "\")", "import discord\nclient.run(os.environ[\"DISCORD_TOKEN\"])", ""},
		{"microsoft-teams-workflow-webhook", "alert.ps1", `$u = "https://prod-` + g.s(digits, 2) + `.westeurope.logic.azure.com:443/workflows/` + g.s(hexset, 32) + `/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=` + g.s(urlset, 43) + `"`, `$u = "https://prod-00.westeurope.logic.azure.com:443/workflows/"`, ""},
		{"npm-registry-generic-auth-token", ".npmrc", "//npm.pkg.internal.corp/:_authToken=" + g.s(alnum, 36), "//npm.pkg.internal.corp/:_authToken=${NPM_TOKEN}", ""},
		{"pypirc-generic-password", ".pypirc", "[pypi]\nusername = deploy\npassword = " + pw, "[pypi]\nusername = __token__\npassword = <your token>", pw},
		{"docker-config-auth", "config.json", `{"auths": {"registry.internal": {"auth": "` + b64("ci:"+pw) + `"}}}`, `{"auths": {"registry.internal": {"auth": "` + b64("no colon here at all") + `"}}}`, ""},
		{"dockerhub-access-token", "ci.yml", "DOCKERHUB_TOKEN: dckr_pat_" + g.s(urlset, 27), "DOCKERHUB_USER: dckr_user", ""},
		{"nuget-api-key", "publish.sh", "dotnet nuget push pkg.nupkg --api-key oy2" + g.s(lower+digits, 43), "dotnet nuget push pkg.nupkg --api-key $NUGET_KEY", ""},
		{"gitea-access-token", ".env", "GITEA_TOKEN=" + g.s(hexset, 40), "GITEA_URL=https://gitea.internal", ""},
		{"putty-private-key", "deploy.ppk", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\nComment: deploy", ""},
		{"database-uri-password", "settings.py", `DATABASE_URL = "postgresql+psycopg2://app:` + pw + `@db.internal:5432/app"`, `DATABASE_URL = "postgresql://postgres:postgres@localhost:5432/app"`, pw},
		{"url-generic-basic-auth", "ci.sh", "git clone https://deploy:" + pw + "@git.corp.internal/team/repo.git", "curl http://localhost:8080/health", pw},
		{"database-uri-query-password", "app.properties", "db.url=jdbc:postgresql://db.internal:5432/app?user=app&password=" + pw, "db.url=jdbc:postgresql://db.internal:5432/app?user=app&password=${DB_PASSWORD}", pw},
		{"adonet-connection-string-password", "Program.cs", `var cs = "Server=tcp:sql.internal,1433;Database=app;User ID=app;Password=` + pw + `;Encrypt=true";`, `var cs = "Server=tcp:sql.internal,1433;Database=app;Integrated Security=true";`, pw},
		{"password-config-assignment", ".env", "DB_PASSWORD=" + pw, "DB_PASSWORD_FILE=/run/secrets/db_password", pw},
		{"password-config-assignment", "Makefile", "REGISTRY_PASSWORD ?= " + pw, "REGISTRY_PASSWORD ?= $(shell cat .registry-password)", pw},
		{"password-code-assignment", "db.py", `conn = connect(host="db", password="` + pw + `")`, `conn = connect(host="db", password=os.environ["DB_PASSWORD"])`, pw},
		{"password-xml-value", "web.config", `<add key="SmtpPassword" value="` + pw + `" />`, `<add key="SmtpPassword" value="$(SMTP_PASSWORD)" />`, pw},
		{"http-basic-auth-header", "client.go", `req.Header.Set("Authorization", "Basic ` + b64("svc:"+pw) + `")`, `req.Header.Set("Authorization", "Basic " + enc)`, ""},
		{"twilio-auth-token", "Sms.java", `Twilio.init("AC` + g.s(hexset, 32) + `", "` + g.s(hexset, 32) + `");`, `Twilio.init("AC` + g.s(hexset, 32) + `", System.getenv("TWILIO_AUTH_TOKEN"));`, ""},
		{"mailgun-api-key", "mail.php", `$mg = Mailgun::create('key-` + g.s(hexset, 32) + `');`, `$cacheKey = 'user-key-' . md5($id);`, ""},
		{"netrc-generic-password", ".netrc", "machine api.heroku.com\n  login ops@corp.test\n  password " + g.uuid(), "machine ftp.gnu.org login anonymous password guest", ""},
		{"go-mysql-dsn-password", "db.go", `db, err := sql.Open("mysql", "app:` + pw + `@tcp(db:3306)/shop")`, `dsn := fmt.Sprintf("%s:%s@tcp(%s)/%s", user, pass, host, name)`, pw},
		{"redis-generic-requirepass", "redis.conf", "bind 0.0.0.0\nrequirepass " + pw, "bind 0.0.0.0\n# requirepass foobared", pw},
		{"php-define-generic-secret", "wp-config.php", `define( 'AUTH_SALT', '` + g.s(alnum+"!@#%^&*()-_[]{}~+=,.;:/?|", 64) + `' );`, `define( 'AUTH_SALT', 'put your unique phrase here' );`, ""},
		{"curl-user-generic-password", "deploy.sh", "curl -fsS -u deploy:" + pw + " https://ci.corp.internal/job/build", `curl -fsS -u "$CI_USER:$CI_PASS" https://ci.corp.internal/job/build`, pw},
		{"azure-sas-token", "upload.ps1", `$sas = "?sv=2022-11-02&ss=b&srt=o&sp=rw&se=2026-12-31T00:00:00Z&spr=https&sig=` + g.s(alnum, 44) + `%3D"`, `$sas = "?sv=2022-11-02&ss=b&srt=o&sp=rw&se=2026-12-31T00:00:00Z&spr=https&sig=$env:SAS_SIG"`, ""},
		{"sql-generic-password", "init.sql", "CREATE USER app WITH PASSWORD '" + pw + "';", "CREATE USER app WITH PASSWORD :'app_password';", pw},
		{"powershell-generic-password", "setup.ps1", `$pw = ConvertTo-SecureString "` + pw + `" -AsPlainText -Force`, `$pw = ConvertTo-SecureString $env:ADMIN_PASSWORD -AsPlainText -Force`, pw},
		{"json-keyvalue-generic-secret", "env.postman_environment.json", `{"values": [{"key": "apiKey", "value": "` + g.s(alnum, 40) + `", "enabled": true}]}`, `{"values": [{"key": "apiKey", "value": "{{API_KEY}}", "enabled": true}]}`, ""},
		{"azure-storage-account-key", "appsettings.json", `"Storage": "DefaultEndpointsProtocol=https;AccountName=corp;AccountKey=` + g.s(b64set, 86) + `==;EndpointSuffix=core.windows.net"`, `"Storage": "UseDevelopmentStorage=true"`, ""},
		{"datadog-api-key", ".env", "DD_API_KEY=" + g.s(hexset, 32), "DD_SITE=datadoghq.eu", ""},
		{"crates-io-api-token", ".env", "CARGO_REGISTRY_TOKEN=cio" + g.s(alnum, 32), "CARGO_REGISTRY_TOKEN=cio_" + g.s(lower, 8), ""},
		{"http-bearer-generic-token", "client.py", `headers = {"Authorization": "Bearer ` + g.s(alnum, 1) + g.s(urlset, 39) + `"}`, `headers = {"Authorization": f"Bearer {token}"}`, ""},
	}
}

func TestRulesPositiveAndNegative(t *testing.T) {
	d := defaultDetector(t)
	cfg, err := LoadConfig("")
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, c := range ruleCases(newGen(1)) {
		covered[c.rule] = true
		t.Run(c.rule, func(t *testing.T) {
			pos := scan(t, d, c.path, c.pos)
			if !hasRule(pos, c.rule) {
				t.Errorf("positive case: %s not found; got %v", c.rule, rulesOf(pos))
			}
			for _, f := range pos {
				assertSafe(t, f)
				if f.RuleID == c.rule && c.wantSecret != "" && f.Secret != c.wantSecret {
					t.Errorf("secret is %q, want the generated value", masked(f.Secret))
				}
			}
			if neg := scan(t, d, c.path, c.neg); hasRule(neg, c.rule) {
				t.Errorf("negative case fired %s", c.rule)
			}
		})
	}
	// Every rule of rules.toml needs a case here.
	extra, err := readViper("rules.toml", []byte(extraRules))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range extra.Rules {
		if !covered[r.ID] {
			t.Errorf("rule %s has no test case", r.ID)
		}
		if len(r.Keywords) == 0 {
			t.Errorf("rule %s has no keywords", r.ID)
		}
	}
	if n := len(cfg.Rules); n < 250 {
		t.Errorf("only %d rules loaded", n)
	}
}

// masked keeps test failure output free of generated secrets too.
func masked(s string) string {
	if len(s) < 4 {
		return "****"
	}
	return s[:4] + strings.Repeat("*", 4)
}
