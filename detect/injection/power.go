package injection

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/aiguard/aiguard/detect"
	"github.com/aiguard/aiguard/finding"
)

// powerConfigs are the files that give assistants tools and commands: MCP
// server lists of each editor and Claude Code's project settings (hooks,
// permissions). A directory prefix ends in "/"; others match the base name.
var powerConfigs = []string{
	".mcp.json", "mcp.json", "mcp_config.json", "cline_mcp_settings.json", "claude_desktop_config.json",
	".claude/settings.json", ".claude/settings.local.json", ".gemini/settings.json",
	".zed/settings.json", ".vscode/settings.json", ".cursor/hooks.json",
}

func isPowerConfig(p string) bool {
	p = path.Clean(strings.ReplaceAll(p, "\\", "/"))
	base := path.Base(p)
	for _, c := range powerConfigs {
		if strings.Contains(c, "/") {
			if p == c || strings.HasSuffix(p, "/"+c) {
				return true
			}
		} else if base == c {
			return true
		}
	}
	return false
}

// jsonDoc is a parsed configuration file with the position of every key.
type jsonDoc struct {
	root map[string]any
	// keyEnd maps a key path (segments joined by \x00) to the offset just
	// past the key, which locates it on a line.
	keyEnd     map[string]int
	lineStarts []int
}

func (j *jsonDoc) line(keys ...string) int {
	off, ok := j.keyEnd[strings.Join(keys, "\x00")]
	if !ok {
		return 0
	}
	return sort.SearchInts(j.lineStarts, off)
}

func parseJSONC(text string) (*jsonDoc, bool) {
	clean := stripJSONC(text)
	doc := &jsonDoc{keyEnd: map[string]int{}, lineStarts: []int{0}}
	if err := json.Unmarshal([]byte(clean), &doc.root); err != nil || doc.root == nil {
		return nil, false
	}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			doc.lineStarts = append(doc.lineStarts, i+1)
		}
	}
	dec := json.NewDecoder(strings.NewReader(clean))
	walkKeys(dec, "", doc.keyEnd)
	return doc, true
}

// walkKeys records where each object key ends, and where each array
// element's first token ends, the one thing encoding/json does not report
// when unmarshalling.
func walkKeys(dec *json.Decoder, elem string, out map[string]int) {
	tok, err := dec.Token()
	if err != nil {
		return
	}
	if elem != "" {
		out[elem] = int(dec.InputOffset())
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return
	}
	prefix := ""
	if elem != "" {
		prefix = elem + "\x00"
	}
	switch delim {
	case '{':
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return
			}
			key, _ := k.(string)
			out[prefix+key] = int(dec.InputOffset())
			walkValue(dec, prefix+key, out)
		}
	case '[':
		for i := 0; dec.More(); i++ {
			walkKeys(dec, fmt.Sprintf("%s%d", prefix, i), out)
		}
	}
	_, _ = dec.Token() // the closing delimiter
}

// walkValue walks the value of key p, whose own position is already known.
func walkValue(dec *json.Decoder, p string, out map[string]int) {
	keep, had := out[p]
	walkKeys(dec, p, out)
	if had {
		out[p] = keep
	}
}

// stripJSONC blanks out the comments and trailing commas that VS Code and
// Claude Code accept in their JSON, keeping every offset in place.
func stripJSONC(s string) string {
	b := []byte(s)
	inStr, esc := false, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inStr:
			if esc {
				esc = false
			} else if c == '\\' {
				esc = true
			} else if c == '"' {
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '/' && i+1 < len(b) && b[i+1] == '/':
			for ; i < len(b) && b[i] != '\n'; i++ {
				b[i] = ' '
			}
		case c == '/' && i+1 < len(b) && b[i+1] == '*':
			for ; i < len(b) && !(b[i] == '*' && i+1 < len(b) && b[i+1] == '/'); i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
			if i+1 < len(b) {
				b[i], b[i+1] = ' ', ' '
				i++
			}
		case c == ',':
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n' || b[j] == '\r') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// maxConfigSize bounds the settings files parsed: real ones are a few kB,
// and the parser keeps every key's position in memory.
const maxConfigSize = 1 << 20

// scanPower reports MCP servers, hook commands and permission settings the
// fragment adds.
func (d *Detector) scanPower(frag *detect.Fragment) []finding.Finding {
	text, err := frag.Whole()
	if err != nil || len(text) > maxConfigSize {
		return nil
	}
	doc, ok := parseJSONC(text)
	if !ok {
		return nil
	}
	var out []finding.Finding
	for _, keys := range [][]string{{"mcpServers"}, {"servers"}, {"context_servers"}, {"mcp", "servers"}} {
		servers, _ := lookup(doc.root, keys...).(map[string]any)
		for _, name := range sortedKeys(servers) {
			srv, _ := servers[name].(map[string]any)
			if srv == nil || d.allowServers[name] {
				continue
			}
			base := append(append([]string{}, keys...), name)
			line := firstAdded(frag, doc, base, "command", "args", "url", "serverUrl", "httpUrl")
			if line == 0 {
				continue
			}
			out = append(out, d.serverFinding(frag, line, name, srv))
		}
	}
	hooks, _ := doc.root["hooks"].(map[string]any)
	for _, event := range sortedKeys(hooks) {
		groups, _ := hooks[event].([]any)
		for gi, g := range groups {
			gm, _ := g.(map[string]any)
			matcher, _ := gm["matcher"].(string)
			hs, _ := gm["hooks"].([]any)
			at := []string{"hooks", event, fmt.Sprint(gi), "hooks"}
			if _, direct := gm["command"]; direct {
				// Cursor lists commands directly under the event.
				hs, at = []any{gm}, []string{"hooks", event}
			}
			for hi, h := range hs {
				hm, _ := h.(map[string]any)
				cmd, _ := hm["command"].(string)
				name := event
				if matcher != "" {
					name += "[" + matcher + "]"
				}
				if cmd == "" || d.allowServers[name] {
					continue
				}
				idx := hi
				if len(at) == 2 {
					idx = gi
				}
				line := firstAdded(frag, doc, append(append([]string{}, at...), fmt.Sprint(idx)), "command")
				if line == 0 {
					continue
				}
				f := newFinding(frag, "injection/agent-hook", "New hook command for an AI assistant", ClassAgentPower, line, 0, "hook:"+name+":"+cmd)
				shown := showCommand(cmd, nil)
				f.Message = fmt.Sprintf("Assistant hook %s runs a command automatically%s: %s", name, riskNote(cmd, nil), shown)
				f.Redacted = shown
				d.decorate(&f)
				out = append(out, f)
			}
		}
	}
	out = append(out, d.settingFindings(frag, doc)...)
	return out
}

// settingFindings reports Claude Code settings that remove the user from
// the loop: other commands it runs, permission bypass and blanket shell
// permission.
func (d *Detector) settingFindings(frag *detect.Fragment, doc *jsonDoc) []finding.Finding {
	var out []finding.Finding
	add := func(line int, name, msg, key string) {
		if line == 0 || !frag.IsAdded(line) || d.allowServers[name] {
			return
		}
		f := newFinding(frag, "injection/agent-permission", "Setting that widens what AI assistants may do", ClassAgentPower, line, 0, key)
		f.Message = msg
		f.Redacted = name
		d.decorate(&f)
		out = append(out, f)
	}
	for _, k := range []string{"statusLine", "apiKeyHelper", "awsAuthRefresh", "awsCredentialExport", "otelHeadersHelper"} {
		cmd, _ := doc.root[k].(string)
		if m, ok := doc.root[k].(map[string]any); ok {
			cmd, _ = m["command"].(string)
		}
		if cmd != "" {
			shown := showCommand(cmd, nil)
			add(doc.line(k), k, fmt.Sprintf("Claude Code setting %s runs a command automatically%s: %s", k, riskNote(cmd, nil), shown), "setting:"+k+":"+cmd)
		}
	}
	perms, _ := doc.root["permissions"].(map[string]any)
	if mode, _ := perms["defaultMode"].(string); mode == "bypassPermissions" {
		add(doc.line("permissions", "defaultMode"), "defaultMode", "Claude Code permissions defaultMode is bypassPermissions: the assistant runs every tool without asking", "mode:bypass")
	}
	if on, _ := doc.root["enableAllProjectMcpServers"].(bool); on {
		add(doc.line("enableAllProjectMcpServers"), "enableAllProjectMcpServers", "enableAllProjectMcpServers turns on every MCP server the repository lists without asking the user", "mcp:all")
	}
	allow, _ := perms["allow"].([]any)
	for i, a := range allow {
		s, _ := a.(string)
		if broadShell(s) {
			add(doc.line("permissions", "allow", fmt.Sprint(i)), s, fmt.Sprintf("Claude Code may run %s without asking: shell access beyond a fixed command", safeText(s, 8, 80)), "allow:"+s)
		}
	}
	return out
}

// broadShell reports a permission rule that allows any shell command, or
// one that downloads or deletes.
func broadShell(rule string) bool {
	r := strings.ReplaceAll(strings.ToLower(rule), " ", "")
	switch r {
	case "bash", "bash(*)", "bash(:*)", "bash(**)":
		return true
	}
	inner, ok := strings.CutPrefix(r, "bash(")
	if !ok {
		return false
	}
	for _, w := range []string{"curl", "wget", "bash", "sh:", "sh-c", "rm:", "rm-rf", "sudo", "eval", "npx", "ssh"} {
		if strings.HasPrefix(inner, w) || strings.Contains(inner, "|"+w) || strings.Contains(inner, "&&"+w) {
			return true
		}
	}
	return false
}

func (d *Detector) decorate(f *finding.Finding) {
	f.Tags = []string{cwePrompt, "CWE-250"}
	f.Fix = "Review the command and who added it before any assistant loads this configuration; pin packages to exact versions from trusted publishers or remove the entry."
}

func (d *Detector) serverFinding(frag *detect.Fragment, line int, name string, srv map[string]any) finding.Finding {
	cmd, _ := srv["command"].(string)
	var args []string
	if as, ok := srv["args"].([]any); ok {
		for _, a := range as {
			args = append(args, fmt.Sprint(a))
		}
	}
	url := ""
	for _, k := range []string{"url", "serverUrl", "httpUrl"} {
		if u, _ := srv[k].(string); u != "" {
			url = u
		}
	}
	shown := showCommand(cmd, args)
	note := riskNote(cmd, args)
	if cmd == "" && url != "" {
		shown = redactTokens(url)
		note = " (a remote server: tools and prompts come from " + hostOf(url) + ")"
		if d.trustedURL(url) {
			note = " (a remote server)"
		}
	}
	if env, ok := srv["env"].(map[string]any); ok && len(env) > 0 {
		shown += " (env: " + strings.Join(sortedKeys(env), ", ") + ")"
	}
	f := newFinding(frag, "injection/mcp-server", "New MCP server for AI assistants", ClassAgentPower, line, 0, "mcp:"+name+":"+cmd+" "+strings.Join(args, " ")+url)
	f.Message = fmt.Sprintf("MCP server %q gives AI assistants new tools%s: %s", safeText(name, 4, 60), note, shown)
	f.Redacted = shown
	if note == "" || note == " (a remote server)" {
		f.Confidence = finding.Medium
	}
	d.decorate(&f)
	return f
}

var shells = map[string]bool{"sh": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "fish": true, "cmd": true, "cmd.exe": true, "powershell": true, "powershell.exe": true, "pwsh": true}

// riskNote says why a command deserves attention beyond being new: it runs
// a shell, downloads code, or runs a package fetched at start-up.
func riskNote(cmd string, args []string) string {
	all := append(strings.Fields(cmd), args...)
	if len(all) == 0 {
		return ""
	}
	joined := strings.ToLower(strings.Join(all, " "))
	prog := strings.ToLower(path.Base(strings.ReplaceAll(all[0], "\\", "/")))
	switch {
	case strings.Contains(joined, "curl ") || strings.Contains(joined, "wget ") || strings.Contains(joined, "invoke-webrequest") || strings.Contains(joined, "iwr "):
		return " (downloads code or data from the network)"
	case shells[prog] || strings.Contains(joined, " -c ") || strings.HasPrefix(joined, "sh -c") || strings.Contains(joined, "bash -c"):
		return " (runs a shell command)"
	case strings.Contains(joined, "git+http") || strings.Contains(joined, "https://") || strings.Contains(joined, "http://"):
		return " (runs code fetched from a URL)"
	case prog == "npx" || prog == "bunx" || prog == "uvx" || prog == "pipx" || prog == "dlx" || strings.Contains(joined, " dlx "):
		pkg := firstPackage(all[1:])
		if trustedPackage(pkg) {
			return ""
		}
		return fmt.Sprintf(" (downloads and runs the package %s at start-up)", safeText(pkg, 1, 80))
	case prog == "docker" || prog == "podman":
		return " (runs a container image)"
	}
	return ""
}

func firstPackage(args []string) string {
	for _, a := range args {
		if a == "run" || a == "dlx" || strings.HasPrefix(a, "-") {
			continue
		}
		return a
	}
	return "?"
}

// trustedPackage lists publishers of reference MCP servers; other packages
// are reported as fetched code.
func trustedPackage(pkg string) bool {
	for _, p := range []string{"@modelcontextprotocol/", "@playwright/mcp", "@upstash/context7-mcp", "@github/", "@azure/", "@sentry/", "@cloudflare/", "@stripe/", "mcp-server-fetch", "mcp-server-git", "mcp-server-time", "mcp-server-sqlite"} {
		if strings.HasPrefix(strings.ToLower(pkg), p) {
			return true
		}
	}
	return false
}

// showCommand formats a command for a message, with values that look like
// credentials redacted and at most 200 bytes.
func showCommand(cmd string, args []string) string {
	parts := append(strings.Fields(cmd), args...)
	for i, p := range parts {
		if k, v, ok := strings.Cut(p, "="); ok && v != "" && sensitiveName(k) {
			parts[i] = k + "=" + finding.Redact(v)
			continue
		}
		if i > 0 && sensitiveName(parts[i-1]) && !strings.HasPrefix(p, "-") {
			parts[i] = finding.Redact(p)
			continue
		}
		parts[i] = redactTokens(p)
	}
	return safeText(strings.Join(parts, " "), 40, 200)
}

func sensitiveName(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"token", "secret", "password", "passwd", "apikey", "api-key", "api_key", "auth", "credential", "private"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

func hostOf(u string) string {
	rest := u
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	return safeText(rest, 1, 80)
}

// firstAdded returns the first line, among the entry's key and the given
// fields, that the fragment adds, or 0 when the entry is unchanged.
func firstAdded(frag *detect.Fragment, doc *jsonDoc, base []string, fields ...string) int {
	lines := []int{doc.line(base...)}
	for _, f := range fields {
		lines = append(lines, doc.line(append(append([]string{}, base...), f)...))
	}
	for _, l := range lines {
		if l > 0 && frag.IsAdded(l) {
			return l
		}
	}
	return 0
}

func lookup(m map[string]any, keys ...string) any {
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
