package tcsim

import (
	"encoding/json"
	"net/http"
)

// registerAdmin mounts the admin API (see Handler). It has no
// authentication: it is a test fixture, listening where the sandbox does.
func (s *Sim) registerAdmin(mux *http.ServeMux) {
	mux.HandleFunc("GET /__sim/calls", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, append([]Call{}, s.Calls()...))
	})
	mux.HandleFunc("POST /__sim/reset", func(w http.ResponseWriter, r *http.Request) {
		s.Reset()
		writeJSON(w, http.StatusOK, map[string]bool{"Reset": true})
	})
	mux.HandleFunc("GET /__sim/faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, append([]Fault{}, s.Faults()...))
	})
	mux.HandleFunc("POST /__sim/faults", func(w http.ResponseWriter, r *http.Request) {
		var f Fault
		if !readJSON(w, r, &f) {
			return
		}
		id, err := s.AddFault(f)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"Error": err.Error()})
			return
		}
		f.ID = id
		writeJSON(w, http.StatusCreated, f)
	})
	mux.HandleFunc("DELETE /__sim/faults", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		writeJSON(w, http.StatusOK, []Fault{})
	})
	mux.HandleFunc("GET /__sim/balance", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("SecretId")
		writeJSON(w, http.StatusOK, balanceBody{SecretID: id, Balance: s.Balance(id)})
	})
	mux.HandleFunc("POST /__sim/balance", func(w http.ResponseWriter, r *http.Request) {
		var b balanceBody
		if !readJSON(w, r, &b) {
			return
		}
		s.SetBalance(b.SecretID, b.Balance)
		writeJSON(w, http.StatusOK, b)
	})
	mux.HandleFunc("GET /__sim/resources", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Resources(r.URL.Query().Get("SecretId")))
	})
	mux.HandleFunc("POST /__sim/resources", func(w http.ResponseWriter, r *http.Request) {
		var res Resource
		if !readJSON(w, r, &res) {
			return
		}
		if err := s.OwnResource(res); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"Error": err.Error()})
			return
		}
		writeJSON(w, http.StatusCreated, s.Resources(res.SecretID))
	})
	mux.HandleFunc("/__sim/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"Error": "no such sandbox admin endpoint"})
	})
}

type balanceBody struct {
	SecretID string `json:"SecretId"`
	Balance  int64  `json:"Balance"`
}

func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"Error": "tcsim: bad JSON: " + err.Error()})
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
