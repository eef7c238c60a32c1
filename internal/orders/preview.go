package orders

import "context"

// PreviewClientToken stands in for the ClientToken of a billing order that is
// not saved yet: the real token is made once, when the order is first
// stored, so a preview cannot show it. It is valid ASCII so the preview is
// validated exactly like the stored body will be.
const PreviewClientToken = "made-by-the-console-when-saved"

// Check validates a draft exactly as Compose and Update do, stores nothing,
// and returns the canonical parameters as they would be stored. For billing,
// clientToken goes into the body: the order's own token when editing, or
// PreviewClientToken for an order not yet saved.
//
// It exists for previews: a person sees the very bytes an approver would
// approve before anything is saved.
func (s *Service) Check(ctx context.Context, d Draft, clientToken string) ([]byte, error) {
	return s.check(ctx, d, clientToken)
}
