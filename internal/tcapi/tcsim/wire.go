package tcsim

// The sandbox's own request and response types (each in its action's file,
// beside its route) are written from the API documents (the seeds in
// ../testdata/seeds and tencentcloud-api.md), not borrowed from tcapi: the
// sandbox is the second opinion on what the client sends, so a mistake in
// the client's types or rules must not pass both. Every parameter is a
// pointer so that "not sent" and "sent as zero" stay apart, as the service
// tells them apart. This file holds what the actions share.

// Deal statuses (DescribeDealsByCond): 1 unpaid … 4 shipped … 12 paying.
const (
	dealUnpaid  = 1
	dealShipped = 4
	dealPaying  = 12
)

// Error codes the sandbox answers (common and business codes of the documents).
const (
	codeMissingParameter      = "MissingParameter"
	codeInvalidParameter      = "InvalidParameter"
	codeInvalidParameterValue = "InvalidParameterValue"
	codeUnknownParameter      = "UnknownParameter"
	codeUnsupportedRegion     = "UnsupportedRegion"
	codeNumLimitError         = "FailedOperation.NumLimitError"
	codeResourceNotFound      = "ResourceNotFound"
)

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
