//go:build ignore

// Command examples lists the public entry points of sockloop's packages and
// whether a runnable Example covers each, so a gap shows before review does.
//
// Usage, from the repository root:
//
//	go run scripts/examples.go [-missing] [DIR ...]
//
// It reads every .go file of each directory, whatever its build constraints,
// so an entry point that exists on one platform only is listed too. An
// Example counts for the function, type or method its name names
// (ExampleF, ExampleT, ExampleT_M, each with an optional _suffix); one for a
// type does not count for the type's methods, as go doc shows them apart.
// An Example without an "// Output:" comment is compiled by go test but not
// run; those are marked "compiled".
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// defaultDirs are the packages whose API users call; internal packages,
// bench and the example programs have no public API of their own.
var defaultDirs = []string{
	"loop", "conn", "poller", "sockopt", "ancillary",
	"codec", "codec/http1", "codec/resp", "codec/proxyproto",
}

func main() {
	missing := flag.Bool("missing", false, "list only the entry points without an Example")
	flag.Parse()
	dirs := flag.Args()
	if len(dirs) == 0 {
		dirs = defaultDirs
	}
	gaps := 0
	for _, dir := range dirs {
		pkg, err := load(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, e := range pkg.entries {
			ex := pkg.examples[e]
			if ex == "" {
				gaps++
			} else if *missing {
				continue
			}
			fmt.Printf("%s\t%s\t%s\n", dir, e, orNone(ex))
		}
	}
	if *missing {
		fmt.Fprintf(os.Stderr, "%d entry points without an Example\n", gaps)
	}
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type pkgInfo struct {
	entries  []string          // "F", "T", "T.M"
	examples map[string]string // entry -> "run" or "compiled"
}

func load(dir string) (*pkgInfo, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	funcs := map[string]bool{}
	types := map[string]bool{}
	methods := map[string]bool{}
	examples := map[string]string{}
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		test := strings.HasSuffix(name, "_test.go")
		if test {
			collectExamples(f, examples)
			continue
		}
		if strings.HasSuffix(f.Name.Name, "_test") || f.Name.Name == "main" {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if !ast.IsExported(d.Name.Name) {
					continue
				}
				if d.Recv == nil {
					funcs[d.Name.Name] = true
					continue
				}
				if recv := recvName(d.Recv.List[0].Type); ast.IsExported(recv) {
					methods[recv+"."+d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok && ast.IsExported(ts.Name.Name) {
						types[ts.Name.Name] = true
					}
				}
			}
		}
	}
	// A type is an entry point of its own when it has methods; a plain
	// struct or constant type is reached through the calls that use it.
	typed := map[string]bool{}
	for m := range methods {
		typed[strings.SplitN(m, ".", 2)[0]] = true
	}
	p := &pkgInfo{examples: map[string]string{}}
	for f := range funcs {
		p.entries = append(p.entries, f)
	}
	for t := range types {
		if typed[t] {
			p.entries = append(p.entries, t)
		}
	}
	for m := range methods {
		if types[strings.SplitN(m, ".", 2)[0]] {
			p.entries = append(p.entries, m)
		}
	}
	sort.Strings(p.entries)
	for _, e := range p.entries {
		p.examples[e] = examples[e]
	}
	return p, nil
}

// recvName is the receiver's type name without pointer or type parameters.
func recvName(x ast.Expr) string {
	for {
		switch t := x.(type) {
		case *ast.StarExpr:
			x = t.X
		case *ast.IndexExpr:
			x = t.X
		case *ast.IndexListExpr:
			x = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// collectExamples records what each Example of f documents, keeping "run"
// over "compiled" when several cover one entry point.
func collectExamples(f *ast.File, into map[string]string) {
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, "Example") {
			continue
		}
		target := exampleTarget(strings.TrimPrefix(fd.Name.Name, "Example"))
		if target == "" {
			continue
		}
		kind := "compiled"
		if hasOutput(f, fd) {
			kind = "run"
		}
		if into[target] != "run" {
			into[target] = kind
		}
	}
}

// exampleTarget maps "T_M_suffix" to "T.M", "F_suffix" to "F" and "" (the
// package example) to "", following go doc's naming: a suffix starts with a
// lower-case letter.
func exampleTarget(s string) string {
	parts := strings.Split(s, "_")
	var keep []string
	for _, p := range parts {
		if p == "" || !unicode.IsUpper(rune(p[0])) {
			break
		}
		keep = append(keep, p)
	}
	if len(keep) > 2 {
		keep = keep[:2]
	}
	return strings.Join(keep, ".")
}

func hasOutput(f *ast.File, fd *ast.FuncDecl) bool {
	for _, cg := range f.Comments {
		if cg.Pos() < fd.Body.Lbrace || cg.End() > fd.Body.Rbrace {
			continue
		}
		for _, c := range cg.List {
			text := strings.TrimSpace(strings.TrimPrefix(c.Text, "//"))
			if strings.HasPrefix(text, "Output:") || strings.HasPrefix(text, "Unordered output:") {
				return true
			}
		}
	}
	return false
}
