package secrets

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/aiguard/aiguard/detect"
)

// IsPlaceholder reports whether a matched secret is a placeholder, template
// variable, reference to a secret store, documented example, obvious test
// value or a key that is public by design, rather than a credential.
//
// It judges the whole value and its structure, never a substring alone: a
// random key that happens to contain "test" is still a credential, while
// "test_api_key_123" (made only of words and a short number) is not.
//
// Decisions on keys that are public by design: Stripe (and Clerk)
// publishable keys pk_live_/pk_test_, Mapbox public tokens pk.*, Langfuse
// public keys pk-lf-, Supabase publishable keys and reCAPTCHA site keys are
// not secrets. Firebase web API keys (AIza… in firebaseConfig) are reported:
// they share their format with Gemini / Google Cloud keys, which are secrets,
// and a line does not show which one it is.
func IsPlaceholder(rule, secret, line string) bool {
	s := strings.Trim(strings.TrimSpace(secret), "\"'`")
	if s == "" {
		// Path-only rules (key store files) match the file, not a value.
		return secret != ""
	}
	if knownExample(s) || publishable(s, line) || templated(s) {
		return true
	}
	switch rule {
	case "docker-config-auth", "http-basic-auth-header":
		return basicAuthPlaceholder(s)
	case "curl-auth-user":
		// gitleaks' rule captures user:password; judge the password.
		if _, pass, ok := strings.Cut(s, ":"); ok && (templated(pass) || notAPassword(strings.Trim(pass, "\"'"))) {
			return true
		}
	case "database-uri-password", "url-generic-basic-auth":
		if urlCredentialPlaceholder(s, line) {
			return true
		}
	}
	if isGeneric(rule) || strings.Contains(rule, "password") {
		if notAPassword(s) || digestOf(s, line) || phrase(s) {
			return true
		}
	}
	return obviousFake(s)
}

// phrase reports prose where a secret goes ("put your unique phrase
// here"): three or more words, one of them a placeholder word. Generated
// passphrases are random words, so they still count.
func phrase(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	if len(words) < 3 {
		return false
	}
	common := false
	for _, w := range words {
		for _, r := range w {
			if r < 'a' || r > 'z' {
				return false
			}
		}
		common = common || vocabulary[w]
	}
	return common
}

// obviousFake is the structural test shared by every rule: marker words,
// values made of words and a short number, repetition and sequences.
func obviousFake(s string) bool {
	low := strings.ToLower(s)
	for _, m := range markers {
		if strings.Contains(low, m) {
			return true
		}
	}
	return angleRE.MatchString(s) || wordy(low) || periodic(s) || sequential(s)
}

// angleRE finds a fill-in slot such as <your-key> or <API_TOKEN>; a lone
// angle bracket is just punctuation, which generated secrets contain.
var angleRE = regexp.MustCompile(`<[A-Za-z][A-Za-z_ .-]{2,}>`)

// markers are substrings no generated credential contains by chance (four or
// more letters, or punctuation that random tokens do not use).
var markers = []string{
	"example", "placeholder", "changeme", "change_me", "change-me", "changeit",
	"replaceme", "replace_me", "replace-me", "replace_with", "replacewith",
	"your_", "your-", "yourapi", "yourkey", "yoursecret", "yourtoken", "yourpass",
	"xxxx", "****", "....", "…", "redacted", "dummy", "insert_", "insert-",
	"_here", "-here", "notreal", "not_real", "not-real", "not-a-real", "fake_", "fake-",
	"_fake", "-fake", "qwerty", "asdfgh", "lorem", "ipsum", "do_not_use", "donotuse",
}

// vocabulary holds the words placeholder values are built from. A value
// that splits entirely into these words (after an optional short provider
// prefix, and with short numbers allowed) is not a generated credential.
var vocabulary = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`test tests testing fake sample samples dummy demo mock mocked
		my your our secret secrets password passwd pass pwd passphrase key keys api apikey token tokens
		here value values string the abc abcd abcdef foo bar baz qux quux xyz change me it this is not
		real none null nil default admin administrator user username users root guest hello world sk pk
		dev devel local localhost prod production staging stage app application client access auth
		id new old temp tmp todo fixme xxx for to use only do no set in env config db database insecure
		unsafe invalid bogus fixture stub letmein welcome postgres mysql redis mongo mongodb rabbitmq
		proj project service account super top private public random some any foobar example sandbox
		bearer jwt webhook url bot live mypassword mysecret mytoken mykey default123 opensesame
		hunter sesame monkey dragon master login pw`) {
		m[w] = true
	}
	return m
}()

// wordy reports whether a lower-cased value is built only from placeholder
// words, short numbers and separators.
func wordy(low string) bool {
	parts := strings.FieldsFunc(low, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if len(parts) == 0 {
		return true
	}
	for i, p := range parts {
		core := strings.TrimRight(p, "0123456789")
		if len(p)-len(core) > 6 {
			return false
		}
		if core == "" || segments(core) {
			continue
		}
		// A short leading part is a provider's type prefix (ghp, sk, xai, fw).
		if i == 0 && len(parts) > 1 && len(p) <= 6 {
			continue
		}
		return false
	}
	return true
}

// segments reports whether w splits into vocabulary words.
func segments(w string) bool {
	ok := make([]bool, len(w)+1)
	ok[0] = true
	for i := 1; i <= len(w); i++ {
		for j := 0; j < i && !ok[i]; j++ {
			ok[i] = ok[j] && vocabulary[w[j:i]]
		}
	}
	return ok[len(w)]
}

// periodic reports values that repeat a short unit ("xxxxxxxx",
// "a1B2a1B2a1B2", "abcabcabc"), ignoring a provider prefix.
func periodic(s string) bool {
	core := s
	if i := strings.LastIndexAny(core[:min(len(core), 12)], "_-."); i >= 0 && len(core)-i > 8 {
		core = core[i+1:]
	}
	if len(core) < 6 {
		return false
	}
	for p := 1; p <= 8 && p*2 < len(core); p++ {
		same := true
		for i := p; i < len(core); i++ {
			if core[i] != core[i-p] {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
}

// sequential reports a run of six or more characters counting up or down
// ("123456", "abcdef", "987654"): typed by hand, never generated.
func sequential(s string) bool {
	up, down := 1, 1
	for i := 1; i < len(s); i++ {
		a, b := s[i-1], s[i]
		alnum := isAlnum(a) && isAlnum(b)
		if alnum && b == a+1 {
			up++
		} else {
			up = 1
		}
		if alnum && b+1 == a {
			down++
		} else {
			down = 1
		}
		if up >= 6 || down >= 6 {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// templateRE matches values that are variables, template expressions or
// references to a secret store rather than the secret itself. Expressions
// inside a value must look like ones (${NAME}, {{ x }}, %(name)s): random
// keys with punctuation contain "${" or "{{" by chance.
var templateRE = regexp.MustCompile(`(?i)^(?:\$[A-Za-z_{(]|%[A-Za-z_]+%$|@[A-Za-z_]+@$|__[A-Za-z_]+__$|\[[A-Za-z_ ]+\]$|![A-Za-z]+(?:\s|$)|#\{|` +
	`(?:process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv|system\.getenv|env\(|env\.|env\[|secrets\.|vars\.|config\[|settings\.)|` +
	`(?:vault|op|awssm|gcpsm|azkv|sops|ssm|secretsmanager|sm|ref\+[a-z]+)://|vault:|enc\[|arn:aws:|projects/[^/]+/secrets/|@microsoft\.keyvault)|` +
	`\$\{[\w.:-]+(?:[:?=-][^{}]*)?(?:\}|$)|\$\([\w .-]+(?:\)|$)|\{\{[^{}]*\}\}|^\{\{|\}\}$|\{%[ \t]*\w|%\(\w+\)|%\{\w+\}|<%[=-]?[ \t]*\w|\$[A-Z_][A-Z0-9_]*$`)

func templated(s string) bool { return templateRE.MatchString(s) }

// knownExamples are SHA-256 digests of example keys printed in providers'
// documentation (Stripe, GitHub, Slack, SendGrid, jwt.io). Digests, not the
// values, so this file does not itself look like it leaks them.
var knownExamples = map[string]bool{
	"2cafc0970149a84f3b9e62eaf169f36f59907a3b3e31f7b82e68c69cd27f7326": true, // Stripe docs secret key
	"f2d6ca16515033e5dce14eba840b979d27b5cbae24bb3e5bf484339667f86397": true, // Stripe docs secret key (older)
	"7e8de44ea9ecf6d53415c90f5b249a8591f7abafbf7d65a2c0d855afeca3ec09": true, // Stripe docs secret key (API reference)
	"4695960a4c78863e469628d04a2e77d71066793355b6f27c93ad071965852420": true, // Stripe docs restricted key
	"3543c50b0cb9cea8e55eb1f529b79f043cb250d485fde7b66cabbb5183add7da": true, // GitHub docs personal access token
	"7f75367e7881255134e1375e723d1dea8ad5f6a4fdb79d938df1f1754a830606": true, // jwt.io default token
	"2ddc147f3a3b5a1722b8ed6be3c45c49a7156b17fca5d11410137a6d04def6eb": true, // Slack docs bot token
	"02091175c1ae3023fb1e92ff16e1a5ca44dcd9f449916770f7d4eb192092e273": true, // SendGrid docs API key
}

// knownExample also covers AWS's documented key pair, whose values end in
// EXAMPLE / EXAMPLEKEY (the "example" marker catches them too).
func knownExample(s string) bool {
	sum := sha256.Sum256([]byte(s))
	return knownExamples[hex.EncodeToString(sum[:])]
}

var recaptchaRE = regexp.MustCompile(`^6L[0-9A-Za-z_-]{38}$`)

// publishable reports keys that are meant to be shipped to browsers.
func publishable(s, line string) bool {
	for _, p := range []string{"pk_live_", "pk_test_", "pk-lf-", "sb_publishable_"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	if strings.HasPrefix(s, "pk.ey") {
		return true // Mapbox public token; secret ones start sk.
	}
	if recaptchaRE.MatchString(s) {
		l := strings.ToLower(line)
		return !strings.Contains(l, "secret") && (strings.Contains(l, "site") || strings.Contains(l, "public"))
	}
	return false
}

var literalRE = regexp.MustCompile(`(?i)^(?:true|false|null|nil|none|undefined|yes|no|on|off|empty|required|optional|string|bool|int|\*+|-+|~)$`)
var memberRE = regexp.MustCompile(`^[A-Za-z_]+[0-9]*(?:(?:\.|->|::)[A-Za-z_]+[0-9]*)+$`)
var callRE = regexp.MustCompile(`^[A-Za-z_$][\w.$:]*\(.*\)[;,]?$`)
var pathRE = regexp.MustCompile(`^(?:/|\./|\.\./|~/)[\w.@-]+(?:/[\w.@-]*)*$`)

// randomSegment tells a base64 key that happens to start with "/" from a
// file path: paths are made of names, not long mixed-case-and-digit runs.
func randomSegment(s string) bool {
	for _, seg := range strings.Split(s, "/") {
		if len(seg) >= 10 && strings.ContainsAny(seg, "0123456789") && strings.ToLower(seg) != seg && strings.ToUpper(seg) != seg {
			return true
		}
	}
	return false
}

// concatRE matches what a quoted-string rule captures between two literals
// of a concatenation ("pw = "+pw+"\n" yields +pw+).
var concatRE = regexp.MustCompile("^[\"'`]?[ \t]*\\+.*\\+[ \t]*[\"'`]?$|^\\+[ \t]*[A-Za-z_$][\\w.$]*(?:\\(.*\\))?\\)*[;,]?$")

// relPathRE is a relative file name with a directory and an extension.
var relPathRE = regexp.MustCompile(`^[\w.-]+(?:/[\w.-]+)*/[\w-][\w.-]*\.[A-Za-z]{1,6}$`)

// keyNameRE is the head of an assignment built in code ("db.password=" + pw).
var keyNameRE = regexp.MustCompile(`(?i)^[\w.-]*(?:passw|passphrase|secret|pwd|pass|key|token)[\w.-]*[=:]$`)
var formatRE = regexp.MustCompile(`%[sdvq](?:$|[^A-Za-z0-9])|\{\d?\}`)
var constRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^[A-Z]+$`)

// notAPassword rejects values of password and other context-keyed rules that
// are code, constants, file paths or URLs rather than a secret.
func notAPassword(s string) bool {
	switch {
	case literalRE.MatchString(s), memberRE.MatchString(s), constRE.MatchString(s):
		return true
	case callRE.MatchString(s):
		return true // a call: getPassword(), decrypt(x)
	case concatRE.MatchString(s), formatRE.MatchString(s) && len(s) < 32:
		// The literal's edge in "pw=" + pw + "\n", or a format string; a
		// long generated key may contain "{}" by chance.
		return true
	case (pathRE.MatchString(s) || relPathRE.MatchString(s)) && !randomSegment(s):
		return true
	case keyNameRE.MatchString(s):
		return true
	case strings.Contains(s, "://"):
		return true
	}
	return false
}

var hexRE = regexp.MustCompile(`^(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64}|[a-f0-9]{128}|[A-F0-9]{32}|[A-F0-9]{40}|[A-F0-9]{64}|[A-F0-9]{128})$`)
var digestWordRE = regexp.MustCompile(`(?i)sha-?(?:1|224|256|384|512)|md5|hash|digest|checksum|integrity|commit`)

// digestOf reports a hex value of a digest's length on a line that names a
// digest (password_sha256, checksum, commit): a hash, not the secret.
func digestOf(s, line string) bool {
	return hexRE.MatchString(s) && digestWordRE.MatchString(line)
}

var userinfoRE = regexp.MustCompile(`://([^\s:@/'"]*):([^\s@/'"]*)@`)

// urlCredentialPlaceholder rejects URL passwords that are ports, equal to the
// user name (postgres:postgres) or well-known defaults.
func urlCredentialPlaceholder(pass, line string) bool {
	if len(pass) <= 5 && strings.Trim(pass, "0123456789") == "" {
		return true
	}
	for _, m := range userinfoRE.FindAllStringSubmatch(line, -1) {
		if m[2] == pass && strings.EqualFold(m[1], pass) {
			return true
		}
	}
	return false
}

// basicAuthPlaceholder checks base64 "user:password" values: not credentials
// unless they decode to a pair whose password is not itself a placeholder.
func basicAuthPlaceholder(s string) bool {
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	if err != nil {
		return true
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok || pass == "" || strings.EqualFold(user, pass) {
		return true
	}
	return templated(pass) || obviousFake(pass)
}

// variants returns the texts to scan for a fragment: the text itself and,
// where credentials may be JSON-escaped (JSON strings, .ipynb notebooks,
// escaped source in logs), an unescaped copy. The copy keeps every line and
// every column where it was: each escape sequence becomes a space and the
// character it stands for, and \n \r \t become two spaces, so positions
// found in it are positions in the original. Lines without an escape are
// blanked in the copy: the text itself already
// yields whatever they hold, and scanning them twice was most of the
// second pass's cost.
func variants(frag *detect.Fragment) []string {
	if !strings.Contains(frag.Text, `\"`) {
		return []string{frag.Text}
	}
	return []string{frag.Text, unescape(frag.Text)}
}

func unescape(text string) string {
	b := []byte(text)
	for start := 0; start < len(b); {
		end := bytes.IndexByte(b[start:], '\n')
		if end < 0 {
			end = len(b)
		} else {
			end += start
		}
		if line := b[start:end]; !unescapeLine(line) {
			for i := range line {
				line[i] = ' '
			}
		}
		start = end + 1
	}
	return string(b)
}

// unescapeLine unescapes b in place and reports whether it changed.
func unescapeLine(b []byte) bool {
	changed := false
	for i := 0; i+1 < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		switch b[i+1] {
		case '"', '/', '\\', '\'':
			b[i] = ' '
		case 'n', 'r', 't':
			b[i], b[i+1] = ' ', ' '
		default:
			continue
		}
		changed = true
		i++
	}
	return changed
}
