package orders

import "dealdesk/internal/fault"

// The refusals of this package are fault's: a kind and a message key whose
// English is in fault.Catalog. These helpers name the common ones.

func forbidden(key string) error { return fault.New(fault.Refused, key) }

func notFound(key string, cause error) error { return fault.Wrap(fault.NotFound, cause, key) }

func conflict(key string, args ...string) error { return fault.New(fault.Conflict, key, args...) }

func stale(cause error) error { return fault.Wrap(fault.Stale, cause, "order.stale") }
