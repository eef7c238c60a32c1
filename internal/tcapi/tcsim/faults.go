package tcsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// Fault makes the sandbox misbehave on purpose, for calls that pass
// signature checks. The first fault that matches a call applies to it; a
// fault with a Probability matches only the calls its draw picks, so a list
// of them mixes faults at random (the next fault gets the calls the draw
// passed over).
type Fault struct {
	// ID is assigned by AddFault.
	ID int `json:"Id,omitempty"`
	// Action limits the fault to one action; empty matches every action.
	Action string `json:"Action,omitempty"`
	// SecretID limits the fault to calls signed with one SecretId.
	SecretID string `json:"SecretId,omitempty"`
	// Times is how many matching calls the fault applies to before it is
	// used up; 0 means until ClearFaults.
	Times int `json:"Times,omitempty"`
	// Probability, from 0 to 1, is the chance that the fault applies to a
	// call it matches, drawn per call from the sandbox's random source
	// (Options.Seed); 0 means always. A call the draw passes over goes on
	// to the next fault and does not use up one of Times.
	Probability float64 `json:"Probability,omitempty"`

	// Latency delays the answer, after the call has been processed: a
	// client that gives up meanwhile has bought without hearing of it.
	// JSON carries it as a Go duration string: "1.5s".
	Latency time.Duration `json:"-"`
	// ErrorCode answers this error (HTTP 200, documented envelope) instead
	// of processing the call: nothing is bought (unless AfterProcessing).
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
	// HTTPStatus answers with this status (a 5xx, typically) instead of
	// processing the call, with Body or a short text as the body (unless
	// AfterProcessing).
	HTTPStatus int `json:"HTTPStatus,omitempty"`
	// Body answers exactly these bytes (HTTP 200 unless HTTPStatus is set)
	// instead of processing the call.
	Body string `json:"Body,omitempty"`
	// Drop processes the call (it buys) and then closes the connection
	// without answering: the "unknown outcome" case.
	Drop bool `json:"Drop,omitempty"`
	// AfterProcessing, with ErrorCode or HTTPStatus, processes the call
	// first, exactly as without the fault (a purchase buys), and then
	// answers the error or status in place of the call's own answer: a
	// purchase backend that failed after buying.
	AfterProcessing bool `json:"AfterProcessing,omitempty"`
}

type faultAlias Fault

type faultWire struct {
	faultAlias
	Latency string `json:"Latency,omitempty"`
}

// MarshalJSON writes Latency as a duration string.
func (f Fault) MarshalJSON() ([]byte, error) {
	w := faultWire{faultAlias: faultAlias(f)}
	if f.Latency != 0 {
		w.Latency = f.Latency.String()
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads Latency as a duration string.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var w faultWire
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("tcsim: reading a fault: %w", err)
	}
	*f = Fault(w.faultAlias)
	if w.Latency != "" {
		d, err := time.ParseDuration(w.Latency)
		if err != nil {
			return fmt.Errorf("tcsim: Latency must be a duration such as 1.5s: %w", err)
		}
		f.Latency = d
	}
	return nil
}

func (f Fault) check() error {
	answers := 0
	for _, set := range []bool{f.ErrorCode != "", f.HTTPStatus != 0 || f.Body != "", f.Drop} {
		if set {
			answers++
		}
	}
	switch {
	case answers == 0 && f.Latency == 0:
		return errors.New("tcsim: a fault needs Latency, ErrorCode, HTTPStatus, Body or Drop")
	case answers > 1:
		return errors.New("tcsim: a fault gives one answer: ErrorCode, HTTPStatus/Body or Drop")
	case f.HTTPStatus != 0 && (f.HTTPStatus < 100 || f.HTTPStatus > 599):
		return fmt.Errorf("tcsim: HTTPStatus %d is not an HTTP status", f.HTTPStatus)
	case f.Times < 0 || f.Latency < 0:
		return errors.New("tcsim: Times and Latency must not be negative")
	case math.IsNaN(f.Probability) || f.Probability < 0 || f.Probability > 1:
		return fmt.Errorf("tcsim: Probability %v is not between 0 and 1", f.Probability)
	case f.AfterProcessing && f.ErrorCode == "" && f.HTTPStatus == 0:
		// Drop and Latency already act after processing; a Body alone is
		// a made-up answer, not a failure.
		return errors.New("tcsim: AfterProcessing needs ErrorCode or HTTPStatus")
	}
	return nil
}

// AddFault installs f and returns its ID.
func (s *Sim) AddFault(f Fault) (int, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faultSeq++
	f.ID = s.faultSeq
	s.faults = append(s.faults, &faultState{Fault: f, left: f.Times})
	return f.ID, nil
}

// Faults lists the faults still in force.
func (s *Sim) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, len(s.faults))
	for i, f := range s.faults {
		out[i] = f.Fault
		out[i].Times = f.left
	}
	return out
}

// ClearFaults removes every fault.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

type faultState struct {
	Fault
	left int // calls left; 0 with Times 0 means unlimited
}

// takeFault returns the fault for this call, using one of its Times. The
// caller holds s.mu.
func (s *Sim) takeFault(action, secretID string) *Fault {
	for i, f := range s.faults {
		if (f.Action != "" && f.Action != action) || (f.SecretID != "" && f.SecretID != secretID) {
			continue
		}
		if f.Probability > 0 && f.Probability < 1 && s.rand.Float64() >= f.Probability {
			continue
		}
		taken := f.Fault
		if f.Times > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &taken
	}
	return nil
}
