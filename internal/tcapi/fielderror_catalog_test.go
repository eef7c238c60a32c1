package tcapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every message key the checks name is in Catalog, and every key of the
// catalog is named by a check: the keys are read from the sources, so a
// new c.invalid(path, "key") without its English fails here, not on a
// form that shows the bare key.
func TestFieldMessageKeysAreInTheCatalog(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// The position of the key among each call's arguments.
	keyArg := map[string]int{"invalid": 1, "add": 2, "fieldError": 2, "typeErr": 0}
	used := map[string]bool{"required": true} // checker.missing
	fs := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fs, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var fn string
			switch e := call.Fun.(type) {
			case *ast.Ident:
				fn = e.Name
			case *ast.SelectorExpr:
				fn = e.Sel.Name
			}
			i, ok := keyArg[fn]
			if !ok || len(call.Args) <= i {
				return true
			}
			lit, ok := call.Args[i].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true // a key passed through (checker.add's own callers)
			}
			key, _ := strconv.Unquote(lit.Value)
			if fn == "typeErr" {
				key = "type_" + key
			}
			used[key] = true
			if _, ok := Catalog[key]; !ok {
				t.Errorf("%s: %s(..., %q) has no English in Catalog", fs.Position(lit.Pos()), fn, key)
			}
			return true
		})
	}
	for k := range Catalog {
		if !used[k] {
			t.Errorf("Catalog key %q is named by no check", k)
		}
	}
}

// A FieldError keeps the API's English as Message and carries its key and
// arguments for the forms.
func TestFieldErrorCarriesItsKey(t *testing.T) {
	c := &checker{action: "GenerateDealsAndPayNew"}
	n := int64(0)
	c.between("Goods[0].GoodsNum", &n, 1, 100)
	f := c.errs[0]
	if f.Message != "must be from 1 to 100, not 0" || f.Key != "between" ||
		f.Args["min"] != "1" || f.Args["max"] != "100" || f.Args["got"] != "0" {
		t.Errorf("%+v", f)
	}
}
