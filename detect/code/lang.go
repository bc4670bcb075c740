package code

import (
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	sitter "github.com/tree-sitter/go-tree-sitter"
	tsgo "github.com/tree-sitter/tree-sitter-go/bindings/go"
	tsjava "github.com/tree-sitter/tree-sitter-java/bindings/go"
	tsjs "github.com/tree-sitter/tree-sitter-javascript/bindings/go"
	tspy "github.com/tree-sitter/tree-sitter-python/bindings/go"
	tsts "github.com/tree-sitter/tree-sitter-typescript/bindings/go"
)

// language describes how to recognise a language's files and, for languages
// with a grammar, the few node kinds the predicates need to tell constant
// text from built text. Everything rule-specific lives in the rule data.
type language struct {
	name    string
	grammar *sitter.Language

	strings  set // string literal kinds (may hold interpolations)
	interps  set // interpolation kinds inside strings
	consts   set // other literal kinds
	binaries set // binary expression kinds
	concat   set // operators that build text
	parens   set
	calls    set
	// format matches the callee of calls whose result is text formatted
	// from their arguments (fmt.Sprintf, String.format, "...".format).
	format *regexp.Regexp
	// assigns maps assignment kinds to their target and value fields.
	assigns map[string][2]string
	scopes  set // function-like kinds that bound local variables
	// sources matches expressions that read request input.
	sources *regexp.Regexp
	// sanitizers matches expressions whose result is safe whatever their
	// input (basename, secure_filename, numeric conversion).
	sanitizers *regexp.Regexp
	// lineTaint, for languages matched line by line, follows request
	// input through variables.
	lineTaint *lineTaint
	// appendMethod names the method that appends to a string builder,
	// whose toString() is then the built text.
	appendMethod string
	// routeDecorator matches the decorator of a function whose parameters
	// a web framework fills from the request, except those notRouteInput
	// matches (injected dependencies, the request object itself).
	routeDecorator, notRouteInput *regexp.Regexp
	// sourceHints are words one of which sources or taintedParams needs,
	// checked first because most windows have none.
	sourceHints []string
	// taintedParams matches parameter declarations whose value is request
	// input (Spring's @RequestParam and friends).
	taintedParams *regexp.Regexp

	inputCheck

	assignOnce sync.Once
	assignQ    *sitter.Query
	assignErr  error
}

// assignQuery returns a query capturing every assignment kind, compiled
// on first use.
func (l *language) assignQuery() (*sitter.Query, error) {
	l.assignOnce.Do(func() {
		kinds := make([]string, 0, len(l.assigns))
		for k := range l.assigns {
			kinds = append(kinds, "("+k+")")
		}
		sort.Strings(kinds)
		src := "[" + strings.Join(kinds, " ") + "] @a"
		if l.appendMethod != "" {
			// A builder's append(x) adds to its text like q += x.
			src += "\n(expression_statement (" + l.calls.one() + " name: (identifier) @m) @a (#eq? @m \"" + l.appendMethod + "\"))"
		}
		q, err := sitter.NewQuery(l.grammar, src)
		if err != nil {
			l.assignErr = err
			return
		}
		l.assignQ = q
	})
	return l.assignQ, l.assignErr
}

type set map[string]bool

// one returns the only member of a one-member set.
func (s set) one() string {
	for k := range s {
		return k
	}
	return ""
}

func newSet(kinds ...string) set {
	s := make(set, len(kinds))
	for _, k := range kinds {
		s[k] = true
	}
	return s
}

var (
	langPython = &language{
		name:           "python",
		grammar:        sitter.NewLanguage(tspy.Language()),
		strings:        newSet("string", "concatenated_string"),
		interps:        newSet("interpolation"),
		consts:         newSet("integer", "float", "true", "false", "none"),
		binaries:       newSet("binary_operator"),
		concat:         newSet("+", "%"),
		parens:         newSet("parenthesized_expression"),
		calls:          newSet("call"),
		format:         regexp.MustCompile(`\.format$`),
		assigns:        map[string][2]string{"assignment": {"left", "right"}, "augmented_assignment": {"left", "right"}},
		scopes:         newSet("function_definition", "lambda"),
		sanitizers:     regexp.MustCompile(`\b(secure_filename|basename|safe_join|int|float|uuid\.UUID|quote|escape|conditional_escape|format_html|bleach\.clean)\(`),
		sourceHints:    []string{"request."},
		routeDecorator: regexp.MustCompile(`@\w+\.(route|get|post|put|patch|delete|api_route)\(`),
		notRouteInput:  regexp.MustCompile(`Depends\(|Security\(|^(self|cls|request|req|db|session|response|background_tasks)\b|:\s*(Request|Response|Session|AsyncSession|BackgroundTasks|WebSocket)\b`),
		sources:        regexp.MustCompile(`\brequest\.(args|form|values|GET|POST|json|get_json|data|files|cookies|headers|query_params|path_params|body|FILES|COOKIES|META)\b`),
	}
	jsLike = &language{
		strings:  newSet("string", "template_string"),
		interps:  newSet("template_substitution"),
		consts:   newSet("number", "true", "false", "null", "undefined"),
		binaries: newSet("binary_expression"),
		concat:   newSet("+"),
		parens:   newSet("parenthesized_expression"),
		calls:    newSet("call_expression"),
		format:   regexp.MustCompile(`^(util\.)?format$|\.concat$`),
		assigns: map[string][2]string{"variable_declarator": {"name", "value"}, "assignment_expression": {"left", "right"},
			"augmented_assignment_expression": {"left", "right"}},
		sanitizers:  regexp.MustCompile(`\b(path\.basename|parseInt|Number|encodeURIComponent|escape|sanitize\w*|DOMPurify\.sanitize)\(`),
		scopes:      newSet("function_declaration", "function_expression", "arrow_function", "method_definition", "generator_function_declaration"),
		sourceHints: []string{"req", "ctx.", "location.", "document.", "URLSearchParams", "event.data", "searchParams"},
		sources:     regexp.MustCompile(`\b(req|request|ctx\.request|ctx)\.(query|body|params|cookies|headers|files|url|originalUrl|search)\b|\b(window\.)?location\.(hash|search|href|pathname)\b|\bdocument\.(URL|cookie|referrer)\b|\bURLSearchParams\b|\bevent\.data\b|\bsearchParams\.get\(`),
	}
	langJS  = withName(jsLike, "javascript", sitter.NewLanguage(tsjs.Language()))
	langTS  = withName(jsLike, "typescript", sitter.NewLanguage(tsts.LanguageTypescript()))
	langTSX = withName(jsLike, "tsx", sitter.NewLanguage(tsts.LanguageTSX()))
	langGo  = &language{
		name:     "go",
		grammar:  sitter.NewLanguage(tsgo.Language()),
		strings:  newSet("interpreted_string_literal", "raw_string_literal"),
		interps:  set{},
		consts:   newSet("int_literal", "float_literal", "true", "false", "nil", "rune_literal"),
		binaries: newSet("binary_expression"),
		concat:   newSet("+"),
		parens:   newSet("parenthesized_expression"),
		calls:    newSet("call_expression"),
		format:   regexp.MustCompile(`^fmt\.Sprint(f|ln)?$|^strings\.(Join|Replace|ReplaceAll)$`),
		assigns: map[string][2]string{"short_var_declaration": {"left", "right"}, "assignment_statement": {"left", "right"},
			"var_spec": {"name", "value"}, "const_spec": {"name", "value"}},
		scopes:      newSet("function_declaration", "method_declaration", "func_literal"),
		sanitizers:  regexp.MustCompile(`\b(filepath\.Base|path\.Base|strconv\.Atoi|strconv\.Parse\w+|url\.PathEscape|url\.QueryEscape|html\.EscapeString|template\.HTMLEscapeString)\(`),
		sourceHints: []string{".URL.", "Form", ".PathValue(", ".Body", ".Header.Get(", "Query", "Param", "mux.Vars("},
		sources:     regexp.MustCompile(`\.(URL\.Query\(\)|URL\.Path|URL\.RawQuery|FormValue\(|PostFormValue\(|PathValue\()|\b(r|req|request|httpReq)\.(Form|PostForm|Body|Header\.Get\()|\b(c|ctx)\.(Query|Param|PostForm|FormValue|QueryParam|Params)\(|\bmux\.Vars\(`),
	}
	langJava = &language{
		name:          "java",
		grammar:       sitter.NewLanguage(tsjava.Language()),
		strings:       newSet("string_literal"),
		interps:       set{},
		consts:        newSet("decimal_integer_literal", "hex_integer_literal", "decimal_floating_point_literal", "true", "false", "null_literal", "character_literal"),
		binaries:      newSet("binary_expression"),
		concat:        newSet("+"),
		parens:        newSet("parenthesized_expression"),
		calls:         newSet("method_invocation"),
		appendMethod:  "append",
		format:        regexp.MustCompile(`^String\.(format|join)$|\.(formatted|concat)$`),
		assigns:       map[string][2]string{"variable_declarator": {"name", "value"}, "assignment_expression": {"left", "right"}},
		scopes:        newSet("method_declaration", "constructor_declaration", "lambda_expression"),
		sanitizers:    regexp.MustCompile(`\b(Encode\.for\w+|FilenameUtils\.getName|getFileName|Integer\.parseInt|Long\.parseLong|UUID\.fromString|encodeForHTML|HtmlUtils\.htmlEscape|StringEscapeUtils\.escape\w*)\(`),
		sourceHints:   []string{".get", "@"},
		sources:       regexp.MustCompile(`\.(getParameter|getParameterValues|getHeader|getQueryString|getPathInfo|getRequestURI|getCookies|getInputStream|getReader)\(`),
		taintedParams: regexp.MustCompile(`@(RequestParam|PathVariable|RequestBody|RequestHeader|CookieValue|QueryParam|PathParam|FormParam)\b`),
	}
	// Languages matched by line patterns only.
	langCSharp = &language{name: "csharp"}
	langPHP    = &language{name: "php", lineTaint: &lineTaint{
		assign:    regexp.MustCompile(`^\s*(\$\w+)\s*=([^=].*)$`),
		source:    regexp.MustCompile(`\$_(GET|POST|REQUEST|COOKIE|FILES)\b|\$request->(input|get|query|post)\(`),
		sanitizer: regexp.MustCompile(`\b(basename|intval|floatval|htmlspecialchars|htmlentities|escapeshellarg|escapeshellcmd|filter_var|filter_input|realpath|in_array|json_encode|strip_tags|urlencode|rawurlencode|is_numeric|preg_match)\s*\(|\((int|float|bool)\)`),
		name:      regexp.MustCompile(`\$\w+`),
		stand:     "$_REQUEST['input']",
		passes:    regexp.MustCompile(`^(trim|ltrim|rtrim|strtolower|strtoupper|urldecode|rawurldecode|base64_decode|stripslashes|sprintf|implode|join|substr|str_replace|isset|array_merge)$`),
	}}
	langRuby = &language{name: "ruby", lineTaint: &lineTaint{
		assign:    regexp.MustCompile(`^\s*(@?[a-z_]\w*)\s*=([^=~>].*)$`),
		source:    regexp.MustCompile(`\bparams\[|\bparams\.(require|permit|fetch)\b|\brequest\.(params|body|query_string|headers)\b|\bcookies\[`),
		sanitizer: regexp.MustCompile(`File\.basename|\.to_i\b|\.to_f\b|\bInteger\(|\bsanitize|ERB::Util|CGI\.escape|Shellwords|\.shellescape\b`),
		name:      regexp.MustCompile(`@?\b[a-z_]\w*\b`),
		stand:     "params[:input]",
		passes:    regexp.MustCompile(`^(File\.join|Rails\.root\.join|\w+\.join|URI|URI\.parse|format|sprintf)$`),
	}}
	langShell      = &language{name: "shell"}
	langDockerfile = &language{name: "dockerfile"}
	langKubernetes = &language{name: "kubernetes"}
	langCompose    = &language{name: "compose"}
	langTerraform  = &language{name: "terraform"}
	langHTML       = &language{name: "html"}
)

func withName(l *language, name string, g *sitter.Language) *language {
	return &language{name: name, grammar: g, strings: l.strings, interps: l.interps, consts: l.consts,
		binaries: l.binaries, concat: l.concat, parens: l.parens, calls: l.calls, format: l.format,
		assigns: l.assigns, scopes: l.scopes, sources: l.sources, sourceHints: l.sourceHints, sanitizers: l.sanitizers}
}

// languageNames are the names rules may use. Rules for typescript also
// run on .tsx files; rules for tsx (JSX syntax) only there.
var languageNames = newSet("python", "javascript", "typescript", "tsx", "go", "java", "csharp", "php", "ruby", "shell",
	"dockerfile", "kubernetes", "compose", "terraform", "html")

var byExt = map[string]*language{
	".py": langPython, ".pyw": langPython,
	".js": langJS, ".mjs": langJS, ".cjs": langJS, ".jsx": langJS,
	".ts": langTS, ".mts": langTS, ".cts": langTS, ".tsx": langTSX,
	".go":   langGo,
	".java": langJava,
	".cs":   langCSharp, ".cshtml": langCSharp, ".razor": langCSharp,
	".php": langPHP, ".phtml": langPHP,
	".rb": langRuby, ".rake": langRuby,
	".sh": langShell, ".bash": langShell, ".zsh": langShell, ".ksh": langShell,
	".tf": langTerraform, ".tfvars": langTerraform, ".hcl": langTerraform,
	".dockerfile": langDockerfile,
	".html":       langHTML, ".htm": langHTML, ".jinja": langHTML, ".jinja2": langHTML, ".j2": langHTML,
	".djhtml": langHTML, ".njk": langHTML, ".hbs": langHTML, ".handlebars": langHTML, ".mustache": langHTML,
	".ejs": langHTML, ".erb": langHTML, ".vue": langHTML, ".svelte": langHTML, ".twig": langHTML,
}

// kubeManifest tells a Kubernetes manifest from any other YAML file: every
// manifest starts its documents with apiVersion at the margin.
var kubeManifest = regexp.MustCompile(`(?m)^apiVersion:\s*\S`)

// languageOf picks the language of a file from its name; YAML needs the
// content too, loaded only if some YAML rule's keyword is present.
func languageOf(p string) *language {
	base := path.Base(p)
	lower := strings.ToLower(base)
	if l, ok := byExt[path.Ext(lower)]; ok {
		return l
	}
	switch {
	case lower == "dockerfile" || strings.HasPrefix(lower, "dockerfile.") || lower == "containerfile":
		return langDockerfile
	case strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml"):
		if strings.HasPrefix(lower, "docker-compose") || strings.HasPrefix(lower, "compose.") {
			return langCompose
		}
		return langKubernetes
	case lower == "gemfile" || lower == "rakefile":
		return langRuby
	}
	return nil
}
