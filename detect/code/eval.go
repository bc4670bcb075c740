package code

import (
	"bytes"
	"regexp"
	"strings"

	sitter "github.com/tree-sitter/go-tree-sitter"
)

// kind is what little the detector knows about an expression's value.
type kind int

const (
	constant kind = iota // a literal, or built only from literals
	unknown              // a parameter, call result, attribute...
	dynamic              // text built from literals and non-constant values
)

// value is the result of evaluating an expression: its kind and whether it
// is text (a constant number added to a variable is arithmetic, not a query).
type value struct {
	kind kind
	text bool
}

// maxHops bounds how many variable definitions evaluation follows, which
// keeps evaluation linear and cuts assignment cycles (q = q + x).
const maxHops = 4

var (
	upperName     = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
	stringBuilder = regexp.MustCompile(`^String(Builder|Buffer)$`)
)

// evaluator answers the custom query predicates over one parsed file.
type evaluator struct {
	lang *language
	// src is the parsed text (a window of the file), file the whole file.
	src  []byte
	file *wholeFile
	root *sitter.Node
	defs map[string][]definition
	// outside reports whether a name the window does not assign is
	// assigned elsewhere in the file; nil when the window is the file.
	outside func(name string) bool
	// incomplete is set when evaluation met such a name: the answer may
	// be wrong, and the caller parses the whole file instead.
	incomplete bool
}

func (e *evaluator) text(n *sitter.Node) string { return string(e.src[n.StartByte():n.EndByte()]) }

func (e *evaluator) eval(n *sitter.Node, hops int) value {
	k := n.Kind()
	l := e.lang
	switch {
	case l.strings[k]:
		v := value{kind: constant, text: true}
		for i := uint(0); i < n.NamedChildCount(); i++ {
			c := n.NamedChild(i)
			if l.interps[c.Kind()] && c.NamedChildCount() > 0 {
				if e.eval(c.NamedChild(0), hops).kind != constant {
					v.kind = dynamic
				}
			}
		}
		return v
	case l.consts[k]:
		return value{kind: constant}
	case l.parens[k]:
		if n.NamedChildCount() > 0 {
			return e.eval(n.NamedChild(0), hops)
		}
	case l.binaries[k]:
		return e.evalBinary(n, hops)
	case l.calls[k]:
		return e.evalCall(n, hops)
	case k == "identifier":
		return e.evalIdent(n, hops)
	case k == "object_creation_expression" && e.lang.appendMethod != "":
		// new StringBuilder("SELECT ...") starts as its argument.
		if t := n.ChildByFieldName("type"); t != nil && stringBuilder.MatchString(e.text(t)) {
			return e.evalArgs(n, hops)
		}
	}
	return value{kind: unknown}
}

func (e *evaluator) evalBinary(n *sitter.Node, hops int) value {
	op := n.ChildByFieldName("operator")
	left, right := n.ChildByFieldName("left"), n.ChildByFieldName("right")
	if op == nil || left == nil || right == nil || !e.lang.concat[op.Kind()] {
		return value{kind: unknown}
	}
	a, b := e.eval(left, hops), e.eval(right, hops)
	text := a.text || b.text
	switch {
	case a.kind == constant && b.kind == constant:
		return value{kind: constant, text: text}
	case a.kind == dynamic || b.kind == dynamic:
		return value{kind: dynamic, text: true}
	case text:
		return value{kind: dynamic, text: true}
	}
	return value{kind: unknown}
}

func (e *evaluator) evalCall(n *sitter.Node, hops int) value {
	fn := n.ChildByFieldName("function")
	if fn == nil { // Java: object.name(arguments)
		name := n.ChildByFieldName("name")
		if name == nil {
			return value{kind: unknown}
		}
		fn = name
		if obj := n.ChildByFieldName("object"); obj != nil {
			if e.lang.appendMethod != "" && e.text(name) == "toString" {
				return e.eval(obj, hops)
			}
			if e.lang.format.MatchString(e.text(obj) + "." + e.text(name)) {
				return e.evalArgs(n, hops)
			}
			return value{kind: unknown}
		}
	}
	if e.lang.format.MatchString(e.text(fn)) {
		return e.evalArgs(n, hops)
	}
	return value{kind: unknown}
}

// evalArgs evaluates a formatting call: constant if every argument (and a
// string receiver) is constant, otherwise built text.
func (e *evaluator) evalArgs(n *sitter.Node, hops int) value {
	args := n.ChildByFieldName("arguments")
	if args == nil {
		return value{kind: unknown}
	}
	for i := uint(0); i < args.NamedChildCount(); i++ {
		a := args.NamedChild(i)
		if a.Kind() == "keyword_argument" || a.Kind() == "pair" {
			if v := a.ChildByFieldName("value"); v != nil {
				a = v
			}
		}
		if e.eval(a, hops).kind != constant {
			return value{kind: dynamic, text: true}
		}
	}
	return value{kind: constant, text: true}
}

func (e *evaluator) evalIdent(n *sitter.Node, hops int) value {
	name := e.text(n)
	defs := e.definitions(n, name)
	if len(defs) == 0 {
		if upperName.MatchString(name) {
			return value{kind: constant, text: true}
		}
		if e.outside != nil && e.outside(name) {
			e.incomplete = true
		}
		return value{kind: unknown}
	}
	if hops == 0 {
		return value{kind: unknown}
	}
	// The last plain assignment sets the value; augmented assignments after
	// it (q += x) can only make it less constant.
	v := value{kind: unknown}
	for _, d := range defs {
		dv := e.eval(&d.value, hops-1)
		if !d.augmented {
			v = dv
			continue
		}
		if dv.kind != constant || v.kind == dynamic {
			v = value{kind: dynamic, text: true}
		} else if v.kind == constant {
			v.text = v.text || dv.text
		}
	}
	return v
}

// definition is an assignment to a variable.
type definition struct {
	value     sitter.Node
	end       uint    // where the assignment ends
	scope     uintptr // id of the function it is in; 0 at file level
	augmented bool
}

// index returns every assignment in the file by target name, built with one
// query the first time a predicate needs it: walking the tree from Go costs
// a cgo call per node, and a file can hold many sinks.
func (e *evaluator) index() map[string][]definition {
	if e.defs != nil {
		return e.defs
	}
	e.defs = map[string][]definition{}
	q, err := e.lang.assignQuery()
	if err != nil {
		return e.defs
	}
	cursor := sitter.NewQueryCursor()
	defer cursor.Close()
	matches := cursor.Matches(q, e.root, e.src)
	target, _ := q.CaptureIndexForName("a")
	for m := matches.Next(); m != nil; m = matches.Next() {
		for _, c := range m.Captures {
			if c.Index != uint32(target) {
				continue
			}
			n := c.Node
			if e.lang.calls[n.Kind()] {
				e.addAppends(&n)
			} else {
				e.addDefinitions(&n)
			}
		}
	}
	return e.defs
}

func (e *evaluator) addDefinitions(n *sitter.Node) {
	fields := e.lang.assigns[n.Kind()]
	target, val := n.ChildByFieldName(fields[0]), n.ChildByFieldName(fields[1])
	if target == nil || val == nil {
		return
	}
	op := strings.TrimSpace(string(e.src[target.EndByte():val.StartByte()]))
	scope := e.scopeOf(n)
	add := func(name string, v *sitter.Node) {
		e.defs[name] = append(e.defs[name], definition{value: *v, end: n.EndByte(), scope: scope,
			augmented: strings.HasPrefix(op, "+") || strings.HasPrefix(op, "%")})
	}
	if target.Kind() != "expression_list" {
		add(e.text(target), val)
		return
	}
	// Go's multiple assignment pairs targets and values by position.
	for i := uint(0); i < target.NamedChildCount(); i++ {
		v := val
		if val.Kind() == "expression_list" {
			if i >= val.NamedChildCount() {
				return
			}
			v = val.NamedChild(i)
		}
		add(e.text(target.NamedChild(i)), v)
	}
}

// addAppends records sb.append(a).append(b) as augmented assignments of
// a and b to sb.
func (e *evaluator) addAppends(n *sitter.Node) {
	var args []*sitter.Node
	node := n
	for e.lang.calls[node.Kind()] {
		name, list := node.ChildByFieldName("name"), node.ChildByFieldName("arguments")
		if name == nil || e.text(name) != e.lang.appendMethod || list == nil || list.NamedChildCount() == 0 {
			return
		}
		args = append(args, list.NamedChild(0))
		if node = node.ChildByFieldName("object"); node == nil {
			return
		}
	}
	if node.Kind() != "identifier" {
		return
	}
	name, scope := e.text(node), e.scopeOf(n)
	for i := len(args) - 1; i >= 0; i-- {
		e.defs[name] = append(e.defs[name], definition{value: *args[i], end: n.EndByte(), scope: scope, augmented: true})
	}
}

// scopeOf returns the id of the innermost function around n, 0 for none.
func (e *evaluator) scopeOf(n *sitter.Node) uintptr {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if e.lang.scopes[p.Kind()] {
			return p.Id()
		}
	}
	return 0
}

// definitions returns the assignments to name that reach use: in the
// innermost enclosing function that assigns it, those before use from the
// last plain assignment on; failing that, the file-level ones.
func (e *evaluator) definitions(use *sitter.Node, name string) []definition {
	all := e.index()[name]
	if len(all) == 0 {
		return nil
	}
	for p := use.Parent(); p != nil; p = p.Parent() {
		if !e.lang.scopes[p.Kind()] {
			continue
		}
		if defs := reaching(all, p.Id(), use.StartByte()); len(defs) > 0 {
			return defs
		}
	}
	return reaching(all, 0, ^uint(0))
}

func reaching(all []definition, scope uintptr, before uint) []definition {
	var defs []definition
	for _, d := range all {
		if d.scope != scope || d.end > before {
			continue
		}
		if !d.augmented {
			defs = defs[:0]
		}
		defs = append(defs, d)
	}
	return defs
}

// context is the text a #context? predicate sees: the line n starts on and
// the names of the functions around it (a token made in generate_token()).
func (e *evaluator) context(n *sitter.Node) string {
	start := int(n.StartByte())
	for start > 0 && e.src[start-1] != '\n' {
		start--
	}
	end := int(n.EndByte())
	if i := bytes.IndexByte(e.src[end:], '\n'); i >= 0 {
		end += i
	} else {
		end = len(e.src)
	}
	ctx := string(e.src[start:end])
	for p := n.Parent(); p != nil; p = p.Parent() {
		if e.lang.scopes[p.Kind()] {
			if name := p.ChildByFieldName("name"); name != nil {
				ctx += "\n" + e.text(name)
			}
		}
	}
	return ctx
}

// tainted reports whether n reads request input, directly or through local
// variables defined from it.
func (e *evaluator) tainted(n *sitter.Node, hops int) bool {
	if e.lang.sanitizers != nil && e.lang.sanitizers.MatchString(e.text(n)) {
		return false
	}
	if e.lang.sources != nil && e.lang.sources.MatchString(e.text(n)) {
		return true
	}
	if hops == 0 {
		return false
	}
	found := false
	e.identifiers(n, func(id *sitter.Node) bool {
		name := e.text(id)
		for _, d := range e.definitions(id, name) {
			if e.tainted(&d.value, hops-1) {
				found = true
				return false
			}
		}
		if (e.lang.taintedParams != nil || e.lang.routeDecorator != nil) && e.isTaintedParam(id, name) {
			found = true
			return false
		}
		return true
	})
	return found
}

// mayBeTainted reports whether a window reads request input at all, which
// most do not: it saves tracing variables through them.
func (t *windowText) mayBeTainted() bool {
	l := t.lang
	if l.routeDecorator != nil && bytes.IndexByte(t.src, '@') >= 0 && t.matches(l.routeDecorator) {
		return true
	}
	hinted := false
	for _, h := range l.sourceHints {
		if bytes.Contains(t.src, []byte(h)) {
			hinted = true
			break
		}
	}
	return hinted && (l.sources != nil && t.matches(l.sources)) || (l.taintedParams != nil && t.matches(l.taintedParams))
}

// identifiers calls fn for n and every identifier below it until fn
// returns false.
func (e *evaluator) identifiers(n *sitter.Node, fn func(*sitter.Node) bool) {
	c := n.Walk()
	defer c.Close()
	for {
		node := c.Node()
		if node.Kind() == "identifier" && !fn(node) {
			return
		}
		if !e.computed(c, node) && c.GotoFirstChild() {
			continue
		}
		for !c.GotoNextSibling() {
			if !c.GotoParent() {
				return
			}
		}
	}
}

// computes matches the callees whose result is not the input they are given
// but something computed from it: a command's output, a query's rows, a
// length, a hash, a parsed number.
var computes = regexp.MustCompile(`(?i)(^|\.)(exec\w*|command(context)?|run|call|check_call|check_output|popen|system|spawn\w*|output|combinedoutput|query\w*|execute\w*|scan|fetch\w*|len|count|size|hash\w*|digest|sum\d*|hexdigest|encrypt|decrypt|verify|compare\w*|evaluate|calculate\w*|compute\w*|atoi|parseint|parsefloat)$`)

// computed reports whether node, where cursor c stands, is the argument
// list of a call that computes something from its arguments: request
// input does not flow through it.
func (e *evaluator) computed(c *sitter.TreeCursor, node *sitter.Node) bool {
	if c.FieldName() != "arguments" {
		return false
	}
	call := node.Parent()
	if call == nil || !e.lang.calls[call.Kind()] {
		return false
	}
	callee := call.ChildByFieldName("function")
	if callee == nil {
		callee = call.ChildByFieldName("name")
	}
	return callee != nil && computes.MatchString(e.text(callee))
}

// isTaintedParam reports whether name is a parameter of the enclosing
// function that holds request input: annotated as such (Spring's
// @RequestParam), or a parameter of a route handler (FastAPI and Flask
// pass path and query parameters as arguments).
func (e *evaluator) isTaintedParam(use *sitter.Node, name string) bool {
	for p := use.Parent(); p != nil; p = p.Parent() {
		if !e.lang.scopes[p.Kind()] {
			continue
		}
		params := p.ChildByFieldName("parameters")
		if params == nil {
			return false
		}
		for i := uint(0); i < params.NamedChildCount(); i++ {
			param := params.NamedChild(i)
			if pn := paramName(param); pn == nil || e.text(pn) != name {
				continue
			}
			text := e.text(param)
			if e.lang.taintedParams != nil && e.lang.taintedParams.MatchString(text) {
				return true
			}
			return e.lang.routeDecorator != nil && !e.lang.notRouteInput.MatchString(text) && e.isRoute(p)
		}
		return false
	}
	return false
}

// paramName returns the identifier a parameter declares.
func paramName(param *sitter.Node) *sitter.Node {
	if param.Kind() == "identifier" {
		return param
	}
	if n := param.ChildByFieldName("name"); n != nil {
		return n
	}
	if param.NamedChildCount() > 0 && param.NamedChild(0).Kind() == "identifier" {
		return param.NamedChild(0)
	}
	return nil
}

// isRoute reports whether function fn is decorated as a web route.
func (e *evaluator) isRoute(fn *sitter.Node) bool {
	d := fn.Parent()
	if d == nil || d.Kind() != "decorated_definition" {
		return false
	}
	for i := uint(0); i < d.NamedChildCount(); i++ {
		if c := d.NamedChild(i); c.Kind() == "decorator" && e.lang.routeDecorator.MatchString(e.text(c)) {
			return true
		}
	}
	return false
}
