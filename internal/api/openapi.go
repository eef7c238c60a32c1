package api

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dealdesk/internal/orders"
)

// openAPISource is the committed document (OpenAPI 3.1). What the registry
// knows is left out of it: the Product schema's enum is filled in from
// orders.Products (withProducts), so a new product needs no edit here.
//
//go:embed openapi.json
var openAPISource []byte

// OpenAPIDocument describes this API: the committed document with the
// registry's products. It is served as is, and the API's tests validate
// every response they get against it.
var OpenAPIDocument = mustWithProducts(openAPISource)

// mustWithProducts is withProducts for the embedded document, which the
// tests load: a committed document it cannot read stops the program at
// start rather than serving a wrong one.
func mustWithProducts(src []byte) []byte {
	doc, err := withProducts(src)
	if err != nil {
		panic("api: openapi.json: " + err.Error())
	}
	return doc
}

// withProducts fills the Product schema's enum with the registry's
// products, and its description with the action each one sends.
func withProducts(src []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	product, ok := schemas["Product"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("no Product schema")
	}
	enum := make([]string, 0, len(orders.Products))
	sends := make([]string, 0, len(orders.Products))
	for _, p := range orders.Products {
		enum = append(enum, string(p))
		sends = append(sends, fmt.Sprintf("%s sends %s", p, p.Spec().ActionName))
	}
	product["enum"] = enum
	desc, _ := product["description"].(string)
	product["description"] = desc + " " + strings.Join(sends, "; ") + "."
	if create, ok := schemas["CreateOrder"].(map[string]any); ok {
		create["examples"] = createExamples()
	}
	return json.MarshalIndent(doc, "", " ")
}

// createExamples is one CreateOrder body per product, from the registry's
// example requests.
func createExamples() []any {
	out := make([]any, 0, len(orders.Products))
	for _, p := range orders.Products {
		spec := p.Spec()
		ex := map[string]any{
			"product": p, "account_id": 1, "title": spec.Label,
			"justification": "Why it is needed, for the approvers.",
			"params":        json.RawMessage(spec.Example),
		}
		if spec.ExampleRegion != "" {
			ex["region"] = spec.ExampleRegion
		}
		out = append(out, ex)
	}
	return out
}

func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, OpenAPIDocument)
}
