package web

import (
	"net/http"
	"runtime/debug"
)

// errAbortHandler is re-panicked: net/http uses it to abort a response
// on purpose and handles it quietly.
var errAbortHandler any = http.ErrAbortHandler

func stack() string { return string(debug.Stack()) }
