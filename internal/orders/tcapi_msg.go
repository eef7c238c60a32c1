package orders

import (
	"maps"

	"dealdesk/internal/fault"
	"dealdesk/internal/tcapi"
)

// tcapiMsg is a tcapi field error as a refusal's message: its key in
// tcapi's catalog (which the console registers under tcapi.CatalogPrefix)
// and its arguments, so a form words it in the reader's language. The
// API's English rides along as "text", what the message reads as where
// no catalog is registered (the JSON API, the logs) and for a problem
// tcapi worded without a key.
func tcapiMsg(f tcapi.FieldError) fault.Msg {
	if f.Key == "" {
		return fault.Text("tcapi."+f.Code, f.Message)
	}
	args := maps.Clone(f.Args)
	if args == nil {
		args = map[string]string{}
	}
	args["text"] = f.Message
	return fault.Msg{Key: tcapi.CatalogPrefix + f.Key, Args: args}
}
