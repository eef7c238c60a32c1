package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	envlib "github.com/caarlos0/env/v11"
)

// parsers read the setting types whose errors must say more than the
// library's (or less: a key's value is a secret even when malformed). Each
// error says what is wrong without the variable's name, which readErrors
// puts in front.
var parsers = map[reflect.Type]envlib.ParserFunc{
	reflect.TypeFor[bool](): func(v string) (any, error) {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("must be true or false, not %q", v)
		}
		return b, nil
	},
	reflect.TypeFor[int](): func(v string) (any, error) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("must be a whole number, not %q", v)
		}
		return n, nil
	},
	reflect.TypeFor[time.Duration](): func(v string) (any, error) {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("must be a positive duration such as 30s, not %q", v)
		}
		return d, nil
	},
	reflect.TypeFor[[]byte](): func(v string) (any, error) { return decodeKey(v) },
	reflect.TypeFor[map[string][]byte](): func(v string) (any, error) {
		return parseOldKeys(v)
	},
}

// fieldMessages replace the error of a type the library parses itself.
var fieldMessages = map[string]string{
	"LogLevel": "must be debug, info, warn or error",
}

// readErrors turns the library's errors into the console's: "config:
// NAME what is wrong". It marks each variable that failed, so that the
// checks between settings do not report it again.
func readErrors(err error, failed map[string]bool) []error {
	var agg envlib.AggregateError
	if !errors.As(err, &agg) {
		return []error{fmt.Errorf("config: %w", err)}
	}
	var out []error
	for _, e := range agg.Errors {
		var pe envlib.ParseError
		if !errors.As(e, &pe) {
			out = append(out, fmt.Errorf("config: %w", e))
			continue
		}
		name := pe.Name
		if f, ok := reflect.TypeFor[Config]().FieldByName(pe.Name); ok {
			name, _, _ = strings.Cut(f.Tag.Get("env"), ",")
		}
		failed[name] = true
		msg := pe.Err.Error()
		if m, ok := fieldMessages[pe.Name]; ok {
			msg = m
		}
		out = append(out, fmt.Errorf("config: %s %s", name, msg))
	}
	return out
}

// keyIDPattern is what a master key id may look like. Ids are stored beside
// every ciphertext and written in CONSOLE_MASTER_KEYS_OLD as "id:key", so
// they may hold neither ':' nor ','.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)

// parseOldKeys reads CONSOLE_MASTER_KEYS_OLD: "id:base64,id:base64". Its
// errors name entries by position and id, never by value. That no old key
// has the current key's id is a check (check.go).
func parseOldKeys(v string) (map[string][]byte, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	out := map[string][]byte{}
	var errs []string
	for i, entry := range strings.Split(v, ",") {
		id, key, ok := strings.Cut(strings.TrimSpace(entry), ":")
		entryName := fmt.Sprintf("entry %d (%s)", i+1, id)
		switch b, err := decodeKey(key); {
		case !ok || !keyIDPattern.MatchString(id):
			errs = append(errs, fmt.Sprintf("entry %d must read ID:BASE64KEY, with an id of letters, digits, dots, dashes or underscores", i+1))
		case out[id] != nil:
			errs = append(errs, fmt.Sprintf("names the key id %q twice", id))
		case err != nil:
			errs = append(errs, entryName+" "+err.Error())
		case b == nil:
			errs = append(errs, entryName+" has no key")
		case len(b) != keySize:
			errs = append(errs, fmt.Sprintf("%s must decode to exactly %d bytes, got %d", entryName, keySize, len(b)))
		default:
			out[id] = b
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "; "))
	}
	return out, nil
}

// decodeKey decodes a base64 key; its size is a check. The error never
// repeats the value: it is a secret even when malformed.
func decodeKey(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		return nil, errors.New("is not valid base64")
	}
	return b, nil
}
