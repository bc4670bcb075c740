package injection

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// rule is one kind of instruction an attacker gives an assistant. Each
// pattern combines an imperative with its target (and, where a phrase alone
// is too common, an object or condition in the same sentence), so that
// ordinary prose such as "ignore whitespace" does not match.
type rule struct {
	id, what string
	re       *regexp.Regexp
	// also must match in the same sentence (condition, object, scope).
	also *regexp.Regexp
	// unless silences a match whose sentence also matches it; benign does
	// so only when the sentence names nothing dangerous.
	unless, benign *regexp.Regexp
	// negatable rules are quiet when the clause says not to do the thing
	// ("never disable the tests"); rules whose phrase is itself a negation
	// ("do not tell the user") are not.
	negatable bool
	// command rules match shell-like text, which docs put in backticks, so
	// quoting is not a sign of discussion for them.
	command bool
	// agentOnly rules are too common in ordinary docs (tool flags in READMEs).
	agentOnly bool
	// needsCue is false for phrases aimed at a language model by nature.
	needsCue bool
	// need lists groups of words; the expression only runs on a passage
	// holding a word of every group, which keeps prose cheap to scan.
	need [][]string
}

// maxSpan bounds how far apart the parts of one instruction may be.
const maxSpan = 240

func re(s string) *regexp.Regexp { return regexp.MustCompile(s) }

// Literal forms of sendVerb and secretObject, for the rule gate.
var (
	sendWords   = []string{"send", "post", "upload", "transmit", "forward", "exfiltrat", "leak", "mail", "submit", "beacon", "share", "sync", "pipe", "curl", "wget", "nc ", "ncat", "invoke-webrequest", "iwr", "requests.post", "fetch"}
	objectWords = []string{"credential", "secret", "key", "token", "password", "passwd", "id_rsa", "id_ed25519", "env", "kubeconfig", "cookie", ".npmrc", ".netrc", ".pypirc", "source code", "codebase", "repository contents"}
)

const (
	secretObject = `(?:credentials?|secrets?|api[ _-]?keys?|access[ _-]?keys?|(?:auth|access|session|bearer|api|github|npm|pypi)?[ _-]?tokens?|passwords?|passwd|private[ _-]?keys?|ssh[ _-]?keys?|id_rsa|id_ed25519|\.env\b|env(?:ironment)? var(?:iable)?s|\.aws/credentials|\.npmrc|\.netrc|\.pypirc|\.git-credentials|kubeconfig|cookies|printenv|process\.env|os\.environ|\benv\s*\||source code|codebase|the repository contents)`
	sendVerb     = `(?:send|sending|sends|sent|post|posted|posting|upload|uploaded|uploading|transmit|transmitted|forward|forwarded|emailed|exfiltrate|exfiltrating|leak|email|e-mail|mail|submit|beacon|share|sync|pipe|curl|wget|nc|ncat|invoke-webrequest|iwr|requests\.post|fetch)`
	destination  = `(?:https?://|\bwebhook|\b(?:to|at)\s+(?:this|the following|our|my|an? external|the external)\s+(?:url|endpoint|server|webhook|address|e-?mail|domain|host)|pastebin|ngrok|requestbin|webhook\.site|pipedream|interact\.sh|oast\.|burpcollaborator|[\w.+-]+@[\w-]+\.[\w.]+)`
	benignScope  = `\b(?:tests?|testing|lint(?:er|ing)?|format(?:ting|ter)?|prettier|gofmt|build(?:ing)?|compil(?:e|ing)|type-?check(?:ing)?|read(?:ing)? files|search(?:ing)?|typos?|docs?|documentation|comments)\b`
	dangerScope  = `\b(?:arbitrary|whatever|anything|everything|commands?|shell|terminal|destructive|delet(?:e|ing|ions?)|rm -rf|deploy(?:ing|ments?)?|push(?:ing)?|force[ -]push|merg(?:e|ing)|sudo|production|credentials|secrets|payments?|changes|actions|edits|tool calls?)\b`
)

var rules = []rule{
	{id: "ignore-instructions", need: [][]string{{"ignore", "disregard", "forget", "override", "bypass", "abandon", "follow", "you are now"}}, what: "override its earlier instructions", negatable: true,
		re: re(`\b(?:ignore|disregard|forget|override|bypass|abandon)\s+(?:(?:all|any|every|of|the|your|my|these|those)\s+)*(?:previous|prior|earlier|above|preceding|foregoing|original|initial|system|developer|safety)\s+(?:(?:safety|security|system)\s+)?(?:instructions?|prompts?|directions?|directives?|guidelines|guardrails|system prompt)\b` +
			`|\b(?:ignore|disregard|forget|override)\s+(?:all\s+)?(?:(?:your|the)\s+)?(?:previous|prior|earlier|system|safety|security)\s+(?:rules|constraints|restrictions|policies|programming)\b` +
			`|\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:of\s+)?your\s+(?:instructions|guidelines|rules|system prompt|programming|training)\b` +
			`|\b(?:ignore|disregard)\s+all\s+(?:other\s+)?instructions\b` +
			`|\bforget\s+(?:everything|all)\s+(?:you(?:'ve| have)?\s+(?:been told|learned|were told)|above|before|previously)` +
			`|\b(?:do not|don't|stop)\s+follow(?:ing)?\s+(?:any\s+|the\s+|your\s+)?(?:previous|prior|earlier|original|system)\s+instructions\b` +
			`|\byou are now (?:in )?(?:dan\b|developer mode|jailbroken|unrestricted|an? unrestricted|free of)`)},
	{id: "conceal-from-user", need: [][]string{{"tell", "inform", "notify", "alert", "let ", "hide", "conceal", "keep", "mention", "include", "reference", "report", "disclose", "reveal", "acknowledge", "deny", "silently", "secretly", "covertly", "quietly"}}, what: "hide what it does from the user", needsCue: true,
		re: re(`\b(?:do not|don't|dont|never|without)\s+(?:tell|telling|inform|informing|notify|notifying|alert|alerting)\s+(?:the\s+)?(?:user|developer|human|operator|reviewer|maintainer)s?\b` +
			`|\b(?:do not|don't|never)\s+let\s+(?:the\s+)?(?:user|developer|human|reviewer)s?\s+(?:know|see|notice|find out)\b` +
			`|\b(?:hide|conceal)\s+(?:this|these|it|them|that|the\s+\w+(?:\s+\w+)?)\s+from\s+(?:the\s+)?(?:user|developer|human|operator|reviewer)s?\b` +
			`|\bkeep\s+(?:this|these|it|them)\s+(?:secret|hidden)\s+from\b` +
			`|\b(?:do not|don't|never)\s+(?:mention|reveal|disclose|acknowledge|reference)\s+(?:these|this|the|any of these|your)\s+(?:above\s+|hidden\s+|following\s+|secret\s+)?(?:instructions?|directives|system prompt|prompt)\b` +
			`|\b(?:do not|don't|never)\s+(?:mention|include|reference|report|disclose)\s+(?:this|these|it|them)\s+(?:step\s+|change\s+|action\s+)?in\s+(?:your|the)\s+(?:response|reply|answer|output|summary|commit messages?|pr description|pull request|explanation)` +
			`|\b(?:do not|don't|never)\s+(?:mention|include|reference|report|disclose)\s+(?:(?:the|any|these|those)\s+)?(?:\S+\s+){0,2}?(?:changes?|edits?|modifications?|steps?|actions?|commands?)\s+(?:\S+\s+){0,4}?in\s+(?:your|the|any)\s+(?:responses?|repl(?:y|ies)|answers?|outputs?|summar(?:y|ies)|commit messages?|pr descriptions?|pull requests?|explanations?)\b` +
			`|\bdeny\s+(?:that\s+)?(?:you|any)\s+(?:have|had|made|ran|did|know|changed|added|executed|knowledge)\b` +
			`|\b(?:silently|secretly|covertly|quietly)\s+(?:add|insert|include|run|execute|send|upload|install|inject|append|exfiltrate|copy|download|fetch)\b`)},
	{id: "exfiltrate-data", need: [][]string{sendWords, objectWords}, what: "send data or credentials somewhere", negatable: true, command: true, needsCue: true,
		re:   re(`\b` + sendVerb + `\s+(?:\S+\s+){0,5}?[~/\w.@"'$-]*?` + secretObject + `|` + secretObject + `\S*(?:\s+\S+){0,5}?\s+` + sendVerb + `\b`),
		also: re(destination)},
	{id: "exfiltrate-data", need: [][]string{{"copy", "paste", "dump", "write"}, {"gist", "paste", "webhook", "public"}, objectWords}, what: "send data or credentials somewhere", negatable: true, command: true, needsCue: true,
		re: re(`\b(?:copy|paste|dump|write)\b.{0,80}?` + secretObject + `.{0,60}?\b(?:into|to|in|on)\s+(?:an?\s+|the\s+|this\s+)?(?:new\s+)?(?:public\s+|secret\s+)?(?:gists?|pastebin|paste site|webhooks?|public (?:issues?|repo(?:sitory)?|channel))\b`)},
	{id: "exfiltrate-data", what: "send data or credentials somewhere", negatable: true, command: true, needsCue: true,
		need: [][]string{{"?", "&"}, {"="}},
		re:   re(`https?://[^\s)]+[?&][\w-]+=(?:\{\{?|\$\{?|\[|<|%)\s*[\w.]*(?:key|token|secret|pass|cred|env|session|cookie|conversation|history|chat|prompt|data)`)},
	{id: "fetch-and-run", need: [][]string{{"curl", "wget", "iwr", "invoke-", "irm", "iex", "sh "}}, what: "fetch and run code", negatable: true, command: true, needsCue: true,
		re: re(`\b(?:curl|wget|iwr|invoke-webrequest|irm|invoke-restmethod)\b[^|]*?\|\s*(?:sudo\s+)?(?:-\S+\s+)?(?:(?:ba|z|da|k|fi)?sh|python[23]?|perl|ruby|node|iex|invoke-expression)\b` +
			`|\b(?:ba|z)?sh\s+(?:-c\s+)?["']?\s*(?:<\(|\$\()\s*(?:curl|wget)\b` +
			`|\$\(\s*(?:curl|wget)\s` +
			`|\b(?:iex|invoke-expression)\s*\(?\s*\(?\s*(?:new-object\s+net\.webclient|iwr|irm|invoke-webrequest|invoke-restmethod)`)},
	{id: "fetch-and-run", need: [][]string{{"download", "fetch", "pull", "retrieve", "get"}, {"run", "exec", "source", "eval", "launch"}}, what: "fetch and run code", negatable: true, needsCue: true,
		re:   re(`\b(?:download|fetch|pull|retrieve|get)\b.*?\b(?:and|then)\s+(?:run|execute|exec|source|eval|launch)\b`),
		also: re(`https?://|\b(?:script|binary|payload|executable)\b`)},
	{id: "weaken-security", need: [][]string{{"no-verify", "hookspath", "disable", "turn off", "bypass", "circumvent", "skip", "deactivate", "suppress", "remove", "delete", "comment out", "mute", "without"}}, what: "weaken security checks", negatable: true, needsCue: true,
		re: re(`--no-verify\b|\bcore\.hookspath\s*=?\s*/dev/null` +
			`|\b(?:disable|turn off|bypass|circumvent|skip|deactivate|suppress|remove|delete|comment out|mute)\s+(?:(?:all|any|the|every)\s+)?(?:(?:security|secret|vulnerability|sast|dependency)\s+(?:scanning|scans?|scanners?|checks?|alerts?|warnings?|tools?|rules|hooks?|review|audits?|gates?)|(?:codeql|snyk|semgrep|gitleaks|trufflehog|aiguard|bandit|gosec|dependabot)\b|(?:ssl|tls|certificate|signature)\s+(?:verification|validation|checks?))` +
			`|\bskip\s+(?:the\s+)?(?:code\s+|human\s+|security\s+|peer\s+)?review\b` +
			`|\b(?:merge|push|commit|deploy|approve)\b.*?\bwithout\s+(?:any\s+)?(?:code\s+|human\s+|peer\s+)?(?:review|approval)\b`)},
	{id: "weaken-security", need: [][]string{{"disable", "turn off", "skip", "bypass", "remove", "delete", "comment out", "xfail", "mark "}, {"so ", "if ", "when", "instead of", "rather than", "to make", "without"}}, what: "weaken security checks", negatable: true, needsCue: true,
		re:   re(`\b(?:disable|turn off|skip|bypass|remove|delete|comment out|xfail|mark\s+(?:them\s+|it\s+)?as\s+skipped)\s+(?:(?:all|any|the|failing|broken|every)\s+)*(?:tests?|test cases|specs|assertions|linters?|lint(?:ing)?\s+rules|lint|type\s*checks?|type\s*checking|ci(?:\s+checks)?|checks|pre-commit\s+hooks?|git\s+hooks|hooks|branch protection)\b`),
		also: re(`\bso\s+(?:that\s+)?(?:the\s+)?(?:build|ci|pipeline|checks?|tests?|pr|it)\s+(?:will\s+)?(?:pass|passes|succeeds?|is green|goes green)|\b(?:if|when|whenever)\s+(?:they|it|tests?|the build|ci|checks?|the linter|lint)\s+(?:fails?|errors?|complains?|breaks?|blocks?)|\b(?:instead of|rather than)\s+fixing|\bto make\s+(?:the\s+)?(?:build|ci|tests?|pipeline)\s+(?:pass|green)|\bwithout\s+(?:telling|asking)`)},
	{id: "weaken-security", what: "weaken security checks", negatable: true, needsCue: true,
		need: [][]string{{"disable", "delete", "remove", "skip", "turn off"}, {"all ", "every "}},
		re:   re(`\b(?:disable|delete|remove|skip|turn off)\s+(?:all|every)\s+(?:of\s+)?(?:the\s+)?(?:unit\s+)?(?:tests?|test files|security checks?|linters?|lint rules|checks|scanners?|hooks)\b`)},
	{id: "act-without-asking", need: [][]string{{"without"}}, what: "act without asking the user", negatable: true, needsCue: true,
		re:   re(`\bwithout\s+(?:first\s+)?(?:asking|consulting|confirming|confirmation|approval|permission|prompting|consent|checking with)\b`),
		also: re(dangerScope), unless: carveOut},
	{id: "act-without-asking", need: [][]string{{"ask", "prompt", "check with", "wait for", "always", "automatically", "auto", "user"}}, what: "act without asking the user", needsCue: true,
		re: re(`\b(?:do not|don't|never|no need to)\s+(?:ask|prompt|check with|wait for)\s+(?:the\s+)?(?:user\s+|me\s+|anyone\s+|a human\s+)?(?:for\s+)?(?:permission|confirmation|approval|consent)\b` +
			`|\b(?:always|automatically)\s+(?:accept|approve|confirm|say yes to|allow)\s+(?:(?:all|any|every)\s+)?(?:commands?|tool calls?|tools|changes|edits|actions|requests|permissions?|prompts)\b` +
			`|\b(?:accept|approve|confirm|allow)\s+(?:all|any|every)\s+(?:commands?|tool calls?|tools|changes|edits|actions|requests|permissions?)\s+automatically\b` +
			`|\b(?:the\s+)?user\s+(?:has\s+)?(?:already\s+)?(?:pre-?)?(?:authorized|authorised|approved|consented to|granted permission for)\s+(?:all|any|every|you)\b` +
			`|\bauto-?(?:approve|accept|confirm)\s+(?:(?:all|any|every)\s+)?(?:commands?|tool calls?|tools|changes|edits|actions|requests)\b`),
		benign: re(benignScope), unless: carveOut},
	{id: "insert-malicious-code", what: "insert malicious code", negatable: true, needsCue: true,
		need: [][]string{{"backdoor", "reverse shell", "keylogger", "miner", "malware", "hidden admin", "hidden user", "hidden account"}},
		re:   re(`\b(?:add|insert|include|inject|embed|create|plant|append)\b.*?(?:\bbackdoors?\b|\breverse shell|\bkeylogger|\bcrypto ?miners?\b|\bmalware\b|\bhidden (?:admin|user|account|endpoint)s?\b)`)},
	{id: "act-without-asking", need: [][]string{{"dangerously", "bypasspermissions", "yolo", "full-auto", "approval", "trust-all", "allow-all"}}, what: "act without asking the user", command: true, agentOnly: true,
		re: re(`--dangerously-skip-permissions|\bbypasspermissions\b|--yolo\b|\byolo mode\b|--full-auto\b|--ask-for-approval\s+never|approval_policy\s*=\s*"?never|--trust-all-tools|--allow-all-tools|--dangerously-bypass-approvals`)},
}

var (
	// assistantCue says a passage outside an agent file addresses an AI.
	assistantCue = re(`\b(?:ai|a\.i\.|assistants?|agents?|llms?|language models?|copilot|claude|cursor|gemini|chatgpt|gpt-?\d*|codex|devin|aider|windsurf|cline|jules)\b`)
	// notAgents removes software agents that are not assistants.
	notAgents = strings.NewReplacer("user agent", "", "user-agent", "", "useragent", "", "ssh-agent", "", "gpg-agent", "", "build agent", "", "ci agent", "")
	// discussionCue marks text about prompt injection rather than an attack.
	discussionCue = re(`\b(?:attackers?|adversar(?:y|ies|ial)|malicious|prompt[ -]injections?|injection attacks?|jailbreaks?|for example|e\.g\.|such as|examples? (?:of|like)|phrases? like|payloads?|red[ -]team(?:ing)?|(?:might|may|could|can|will)\s+(?:say|write|include|contain|try|attempt)|beware|watch out|untrusted|suspicious|detects?|detection|detector|classif(?:y|ies|ier))\b|\bi\.e\.|\bwarns?\b`)
	dangerRE      = re(dangerScope)
	// carveOut marks instructions that keep the user in the loop for what
	// matters ("... without confirmation unless it is irreversible").
	carveOut      = re(`\b(?:unless|except|requested|read[ -]only|non-destructive)\b`)
	docDiscussion = re(`prompt[ -]injection|jailbreak|injection attacks?`)
	negation      = re(`\b(?:never|not|don't|dont|do not|must not|mustn't|shouldn't|should not|cannot|can't|avoid|refuse|prohibited|forbidden|no)\b`)
	docQuotes     = strings.NewReplacer(`"""`, "   ", "'''", "   ")
	urlRE         = re(`https?://[^\s"'<>)\]` + "`" + `]+`)
)

// fileAnchors must appear somewhere in a non-agent file before its comments
// and docs are read: every rule there needs an assistant cue, except the
// override phrases, which all name instructions, prompts or rules.
var fileAnchors = []string{
	"instruction", "prompt", "direction", "directive", "guideline", "guardrail",
	"rules", "programming", "you are now", "assistant", "agent", "llm", "language model",
	"copilot", "claude", "cursor", "gemini", "chatgpt", "gpt", "codex", "devin", "aider",
	"windsurf", "cline", "jules", " ai", "ai ", "ai:", "ai,", "a.i.",
}

// passage is a paragraph, list item or comment block, normalised for
// matching, with the offset of each source line.
type passage struct {
	text   string
	starts []int // offset in text where each line begins
	lines  []int // file line of each
}

func (p *passage) lineAt(off int) int {
	i := sort.SearchInts(p.starts, off+1) - 1
	if i < 0 {
		i = 0
	}
	return p.lines[i]
}

// scanInstructions finds instructions aimed at assistants: anywhere in an
// agent file, and in comments and docs elsewhere when the passage
// addresses an AI. Outside agent files, where almost all text is ordinary
// code or prose, passages without a word some rule needs are dropped as
// they are built; in prose one pass over the words first decides whether
// any passage could be kept (in code only comments are read, which
// passages finds without reading the rest). The file-wide vetoes (no anchor
// word, a text about prompt injection) only run once there is something to
// veto. It stops early, with what it found so far, when ctx is done.
func (d *Detector) scanInstructions(ctx context.Context, frag *detect.Fragment, kind fileKind) ([]finding.Finding, error) {
	if kind == kindProse && scanWords(frag.Text, hasOverride|hasCue) == 0 {
		return nil, nil
	}
	type seenKey struct {
		rule string
		line int
	}
	var out []finding.Finding
	seen := map[seenKey]bool{}
	for _, p := range passages(frag, kind, kind != kindAgent) {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		qk := quietKey{kind, p.text}
		if d.quiet.has(qk) {
			continue
		}
		// quiet stays set while every match has been checked and found
		// unreportable, whatever the passage's lines.
		quiet := true
		cued := kind == kindAgent
		if !cued {
			cued = scanWords(p.text, hasCue) != 0 && assistantCue.MatchString(notAgents.Replace(p.text))
		}
		var sents *sentences
		for ri := range rules {
			r := &rules[ri]
			if kind != kindAgent && (r.agentOnly || r.needsCue && !cued) || !r.gate(p.text) {
				continue
			}
			if sents == nil {
				sents = newSentences(p.text)
			}
			quotes := newQuoteCounter(p.text)
			ms, err := sentenceMatches(ctx, r.re, sents)
			if err != nil {
				return out, err
			}
			for _, m := range ms {
				// A rule reports a line once: later matches on it need
				// no checking.
				key := seenKey{r.id, p.lineAt(m[0])}
				if seen[key] {
					quiet = false
					continue
				}
				if !d.reportable(ri, sents, quotes, m[0], m[1]) {
					continue
				}
				quiet, seen[key] = false, true
				out = append(out, instructionFinding(frag, r, kind, key.line, sents.sentence(m[0], m[1])))
			}
		}
		if quiet {
			d.quiet.add(qk)
		}
	}
	if len(out) > 0 && kind != kindAgent {
		lower := asciiLower(frag.Text)
		if !containsAny(lower, fileAnchors) {
			return nil, nil
		}
		out = dropNearDiscussion(out, frag, lower)
	}
	return out, nil
}

// quietCache remembers passages in which no rule reports anything. A
// history adds the same comment blocks again and again (files copied,
// moved, vendored), and running the rules' expressions is most of what a
// passage kept by the word sift costs. What a passage yields depends only
// on its text and the kind of file.
type quietCache struct {
	mu    sync.Mutex
	texts map[quietKey]struct{}
	size  int // bytes of text held
}

type quietKey struct {
	kind fileKind
	text string
}

// maxQuietBytes bounds the cache's memory; it starts afresh when full.
const maxQuietBytes = 8 << 20

func (c *quietCache) has(k quietKey) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.texts[k]
	return ok
}

func (c *quietCache) add(k quietKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.texts == nil || c.size+len(k.text) > maxQuietBytes {
		c.texts, c.size = map[quietKey]struct{}{}, 0
	}
	c.texts[k] = struct{}{}
	c.size += len(k.text)
}

// discussionReach is how many lines from a mention of prompt injection a
// matching sentence is taken as part of that discussion. A mention must not
// silence a whole file: an attacker would simply add one.
const discussionReach = 20

func dropNearDiscussion(out []finding.Finding, frag *detect.Fragment, lower string) []finding.Finding {
	locs := docDiscussion.FindAllStringIndex(lower, 1000)
	if len(locs) == 0 {
		return out
	}
	lines := make([]int, 0, len(locs))
	line, pos := 1, 0
	for _, l := range locs {
		line += strings.Count(lower[pos:l[0]], "\n")
		pos = l[0]
		lines = append(lines, frag.FileLine(line))
	}
	kept := out[:0]
	for _, f := range out {
		near := false
		for _, l := range lines {
			if f.StartLine >= l-discussionReach && f.StartLine <= l+discussionReach {
				near = true
				break
			}
		}
		if !near {
			kept = append(kept, f)
		}
	}
	return kept
}

func (r *rule) gate(text string) bool {
	for _, group := range r.need {
		if !containsAny(text, group) {
			return false
		}
	}
	return true
}

// sentenceMatches finds the matches of re that lie within one sentence.
// Rules join their parts with lazy gaps, cheap for the regexp engine, so a
// match may run on into the next sentence; the search then resumes at the
// next sentence, where a shorter match may start.
func sentenceMatches(ctx context.Context, re *regexp.Regexp, s *sentences) ([][2]int, error) {
	var out [][2]int
	text := s.text
	for pos, n := 0, 0; pos < len(text); n++ {
		if n%64 == 63 && ctx.Err() != nil {
			return out, ctx.Err()
		}
		m := re.FindStringIndex(text[pos:])
		if m == nil {
			break
		}
		start, end := pos+m[0], pos+m[1]
		if stop := s.nextStop(start); stop < end-1 {
			pos = stop + 1
			continue
		}
		out = append(out, [2]int{start, end})
		pos = max(end, start+1)
	}
	return out, nil
}

// maxNegation bounds how far before a match a negation still governs it.
const maxNegation = 60

// reportable applies rule ri's sentence-level conditions to one match.
func (d *Detector) reportable(ri int, s *sentences, quotes *quoteCounter, start, end int) bool {
	r := &rules[ri]
	if end-start > maxSpan {
		return false
	}
	s0, s1 := s.bounds(start, end)
	key := [3]int{ri, s0, s1}
	ok, known := s.verdicts[key]
	if !known {
		ok = d.sentenceAllows(r, s.text[s0:s1])
		s.verdicts[key] = ok
	}
	if !ok || !r.command && quotes.quoted(start, end) {
		return false
	}
	return !r.negatable || !negation.MatchString(s.text[max(clauseStart(s.text, start), s0):start])
}

// sentenceAllows applies the conditions of rule r that depend only on the
// sentence a match is in.
func (d *Detector) sentenceAllows(r *rule, sent string) bool {
	if r.also != nil && !r.also.MatchString(sent) {
		return false
	}
	if r.unless != nil && r.unless.MatchString(sent) || r.benign != nil && r.benign.MatchString(sent) && !dangerRE.MatchString(sent) {
		return false
	}
	if discussionCue.MatchString(urlRE.ReplaceAllString(sent, " ")) {
		return false
	}
	if r.id == "fetch-and-run" || r.id == "exfiltrate-data" {
		if u := urlRE.FindString(sent); u != "" && (d.trustedURL(u) || r.id == "exfiltrate-data" && apiHost(u)) {
			return false
		}
	}
	return true
}

func instructionFinding(frag *detect.Fragment, r *rule, kind fileKind, line int, sent string) finding.Finding {
	class, where, title := ClassSuspicious, "in a comment or document", "Suspicious instruction to AI assistants"
	if kind == kindAgent {
		class, where, title = ClassPlanted, "in a file AI assistants load automatically", "Instruction planted for AI assistants"
	}
	excerpt := safeText(redactTokens(sent), 16, 160)
	f := newFinding(frag, "injection/"+r.id, title, class, line, 0, fmt.Sprintf("%s:%d:%s", r.id, line, sent))
	f.Message = fmt.Sprintf("Text %s tells an AI assistant to %s: %q", where, r.what, excerpt)
	f.Redacted = excerpt
	f.Tags = []string{cwePrompt}
	if kind != kindAgent {
		f.Confidence = finding.Medium
	}
	f.Fix = "Remove the instruction and find out who added it; stop any AI session that read this file and do not run commands it suggested (Playbook D)."
	return f
}

// passages splits a fragment into the units instructions are written in:
// paragraphs and list items for prose and agent files, comment blocks for
// code. Lines that are not contiguous in the file never join. With sift
// set, a passage without a word some rule needs outside agent files (see
// scanWords) is dropped before it is normalised.
func passages(frag *detect.Fragment, kind fileKind, sift bool) []passage {
	var out []passage
	// The lines and bodies of the passage being read; most are sifted out,
	// so the buffers are reused until one is kept.
	var lines []int
	var bodies []string
	var words wordScanner
	flush := func() {
		if len(lines) > 0 && (!sift || words.got != 0) {
			cur := passage{lines: slices.Clone(lines), starts: make([]int, 0, len(bodies))}
			var b strings.Builder
			for i, body := range bodies {
				if i > 0 {
					b.WriteByte(' ')
				}
				cur.starts = append(cur.starts, b.Len())
				b.WriteString(normalise(body))
			}
			cur.text = b.String()
			out = append(out, cur)
		}
		lines, bodies, words = lines[:0], bodies[:0], wordScanner{}
	}
	prev, inDoc := -1, false
	text := frag.Text
	var code *codeLines
	if kind == kindCode {
		code = newCodeLines(text)
	}
	for n := 1; text != "" || n == 1; n++ {
		if code != nil && !inDoc {
			// Lines of code end any passage; n still counts them.
			pos := len(frag.Text) - len(text)
			if skipped := text[:code.skip(pos)-pos]; skipped != "" {
				flush()
				if text = text[len(skipped):]; text == "" {
					break
				}
				n += strings.Count(skipped, "\n")
			}
		}
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		fl := frag.FileLine(n)
		body, ok, newItem := line, true, false
		if kind == kindCode {
			// Docstrings are documentation: read them like comments.
			quotes := strings.Count(line, `"""`) + strings.Count(line, "'''")
			if quotes%2 == 1 || inDoc {
				inDoc = inDoc != (quotes%2 == 1)
				// The delimiters would read as an open quotation,
				// which marks text as discussion rather than an order.
				body = docQuotes.Replace(line)
			} else {
				body, ok = commentText(line)
			}
		} else {
			t := strings.TrimSpace(line)
			ok = t != ""
			newItem = strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, "#") || startsNumbered(t)
		}
		if !ok || fl != prev+1 || newItem {
			flush()
		}
		prev = fl
		if !ok {
			continue
		}
		lines = append(lines, fl)
		bodies = append(bodies, body)
		// One word of either kind keeps the passage.
		if sift && words.got == 0 {
			words.scan(body, hasOverride|hasCue)
		}
	}
	flush()
	return out
}

func startsNumbered(t string) bool {
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	return i > 0 && i < len(t) && (t[i] == '.' || t[i] == ')')
}

// commentText returns the comment part of a line of code, for the comment
// syntaxes of common languages and configuration formats.
func commentText(line string) (string, bool) {
	t := strings.TrimSpace(line)
	for _, p := range []string{"//", "#", "/*", "*", "<!--", "--", ";", "%", "'''", `"""`} {
		if strings.HasPrefix(t, p) {
			return t[len(p):], true
		}
	}
	for _, p := range []string{" //", " # ", "/*", "<!--"} {
		if i := strings.Index(line, p); i >= 0 {
			return line[i+len(p):], true
		}
	}
	return "", false
}

// codeLines steps over the lines of code passages have no use for. Only a
// line commentText accepts or one holding docstring quotes can be part of a
// passage, and each of those holds one of commentMarkers: searching the
// whole text for them is far faster than reading it line by line.
type codeLines struct {
	text string
	// next is the offset of each marker's next occurrence at or after the
	// line last looked at, len(text) for none, -1 before the first search.
	next [len(commentMarkers)]int
}

// commentMarker is a string that may make a line part of a passage; some
// only do so at the start of a line, after the blanks TrimSpace removes.
type commentMarker struct {
	s         string
	lineStart bool
}

// commentMarkers are what commentText looks for anywhere in a line, its
// prefixes, and the docstring quotes.
var commentMarkers = [...]commentMarker{
	{"//", false}, {"/*", false}, {"#", false}, {"<!--", false}, {`"""`, false}, {`'''`, false},
	{"*", true}, {"--", true}, {";", true}, {"%", true},
}

func newCodeLines(text string) *codeLines {
	c := &codeLines{text: text}
	for k := range c.next {
		c.next[k] = -1
	}
	return c
}

// skip returns the offset of the first line from pos on (pos starts a
// line) that may hold a comment or docstring quotes, or len(text).
func (c *codeLines) skip(pos int) int {
	first := len(c.text)
	for k := range c.next {
		if c.next[k] < pos {
			c.next[k] = c.find(commentMarkers[k], pos)
		}
		first = min(first, c.next[k])
	}
	if first == len(c.text) {
		return first
	}
	return pos + strings.LastIndexByte(c.text[pos:first], '\n') + 1
}

// find returns the offset of the first occurrence of m from pos on, or
// len(text).
func (c *codeLines) find(m commentMarker, pos int) int {
	for pos < len(c.text) {
		i := strings.Index(c.text[pos:], m.s)
		if i < 0 {
			break
		}
		if i += pos; !m.lineStart || atLineStart(c.text, i) {
			return i
		}
		pos = i + 1
	}
	return len(c.text)
}

// atLineStart reports whether only the blanks TrimSpace removes, Unicode
// spaces included, come before text[i] on its line.
func atLineStart(text string, i int) bool {
	for i > 0 {
		switch c := text[i-1]; {
		case c == '\n':
			return true
		case c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			i--
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeLastRuneInString(text[:i])
			if !unicode.IsSpace(r) {
				return false
			}
			i -= size
		default:
			return false
		}
	}
	return true
}

// normalise lowercases text and removes what attackers use to break up
// keywords: invisible characters, typographic quotes, repeated blanks.
func normalise(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case isInvisible(r):
			continue
		case r == '\u2018' || r == '\u2019':
			r = '\''
		case r == '\u201c' || r == '\u201d':
			r = '"'
		case r == '\t' || r == ' ' || r == '\u00a0':
			if space {
				continue
			}
			space = true
			b.WriteByte(' ')
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

func asciiLower(s string) string {
	b := make([]byte, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return string(b)
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// clauseStart is where the clause holding off begins, so that a negation
// in an earlier clause ("if it fails, ...") does not count, nor one more
// than maxNegation bytes back.
func clauseStart(text string, off int) int {
	lo := max(0, off-maxNegation)
	if i := strings.LastIndexAny(text[lo:off], ",;:!?"); i >= 0 {
		return lo + i + 1
	}
	return lo
}

// defaultTrustedHosts publish the install scripts projects document with
// "curl ... | sh"; an entry ending in "/" is a URL prefix.
var defaultTrustedHosts = []string{
	"sh.rustup.rs", "astral.sh", "get.docker.com", "bun.sh", "deno.land", "install.python-poetry.org",
	"get.pnpm.io", "pixi.sh", "raw.githubusercontent.com/homebrew/", "raw.githubusercontent.com/nvm-sh/",
	"get.sdkman.io", "install.determinate.systems", "nixos.org", "get.helm.sh", "sdk.cloud.google.com",
	"cli.github.com", "tailscale.com", "fly.io", "starship.rs", "foundry.paradigm.xyz", "claude.ai",
}

// apiHosts receive credentials by design (an API call with a token is not
// exfiltration), as do local servers.
var apiHosts = []string{"github.com", "githubusercontent.com", "gitlab.com", "bitbucket.org", "npmjs.org", "pypi.org", "amazonaws.com", "googleapis.com", "azure.com", "localhost", "127.0.0.1"}

func apiHost(u string) bool {
	h := strings.ToLower(hostOf(u))
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	for _, a := range apiHosts {
		if h == a || strings.HasSuffix(h, "."+a) {
			return true
		}
	}
	return false
}

func (d *Detector) trustedURL(u string) bool {
	rest := strings.ToLower(u)
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	host := rest
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	for h := host; h != ""; {
		if d.trustedHosts[h] {
			return true
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	for e := range d.trustedHosts {
		if strings.HasSuffix(e, "/") && strings.HasPrefix(rest, e) {
			return true
		}
	}
	return false
}

var secretish = re(`(?i)\b(?:gh[pousr]_|github_pat_|sk-|xox[abpr]-|akia|aiza|glpat-)[\w-]+|[A-Za-z0-9_\-+/=]{24,}`)

// defang rewrites a URL the way threat reports do (hxxps://host[.]example/…):
// responders still see which host the instruction sends data to, but the
// issue, summary and annotations carry no live link to an attacker's server,
// and its path and query, which may carry a campaign token, are dropped.
func defang(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	host, path, _ := strings.Cut(rest, "/")
	scheme = strings.Replace(strings.Replace(strings.ToLower(scheme), "http", "hxxp", 1), "ftp", "fxp", 1)
	out := scheme + "://" + strings.ReplaceAll(host, ".", "[.]")
	if path != "" {
		out += "/…"
	}
	return out
}

// redactTokens hides anything in an excerpt that could be a credential
// (provider token prefixes, long random strings) and URL query strings.
func redactTokens(s string) string {
	s = urlRE.ReplaceAllStringFunc(s, defang)
	return secretish.ReplaceAllStringFunc(s, func(t string) string {
		if strings.Contains(t, "/") && !strings.ContainsAny(t, "0123456789") {
			return t
		}
		return finding.Redact(t)
	})
}
