// The aggregator a Go team would otherwise write with the standard library alone: net/http, one
// goroutine per source, a buffered channel as the semaphore, one context deadline over the whole
// fan-out, each body decoded as JSON.
//
//	go build -o go_aggregator bench/clients/go_aggregator.go && ./go_aggregator PORT
//
// It serves POST /v1/aggregate with fanin's request body ({"sources":[{"id","url"}], "deadlineMs",
// "concurrency"}) and fanin's JSON response shape, so bench/run times it and points wrk at it as it
// does at fanin. One deliberate change from net/http's defaults, as for the other peers: the
// transport keeps up to 2,000 idle connections per host (the default keeps 2), because the
// semaphore is the bound the user asked for.
package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"sync"
	"time"
)

type source struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

type definition struct {
	Sources     []source `json:"sources"`
	DeadlineMs  int      `json:"deadlineMs"`
	Concurrency int      `json:"concurrency"`
}

type result struct {
	ID         string      `json:"id"`
	Status     string      `json:"status"`
	HTTPStatus int         `json:"httpStatus,omitempty"`
	LatencyMs  float64     `json:"latencyMs"`
	StartMs    float64     `json:"startMs"`
	Attempts   int         `json:"attempts"`
	Data       interface{} `json:"data"`
	Error      string      `json:"error,omitempty"`
}

var client = &http.Client{Transport: &http.Transport{
	MaxIdleConns:        0,
	MaxIdleConnsPerHost: 2000,
	IdleConnTimeout:     90 * time.Second,
}}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fetch(ctx context.Context, s source, t0 time.Time) result {
	start := time.Now()
	r := result{ID: s.ID, Status: "error", Attempts: 1, StartMs: ms(start.Sub(t0))}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err == nil {
		var resp *http.Response
		resp, err = client.Do(req)
		if err == nil {
			r.HTTPStatus = resp.StatusCode
			err = json.NewDecoder(resp.Body).Decode(&r.Data)
			resp.Body.Close()
			if err == nil && resp.StatusCode < 400 {
				r.Status = "ok"
			}
		}
	}
	if err != nil {
		r.Error = err.Error()
	}
	r.LatencyMs = ms(time.Since(start))
	return r
}

func aggregate(w http.ResponseWriter, req *http.Request) {
	var def definition
	if err := json.NewDecoder(req.Body).Decode(&def); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if def.Concurrency <= 0 {
		def.Concurrency = 64
	}
	if def.DeadlineMs <= 0 {
		def.DeadlineMs = 10000
	}
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(req.Context(), time.Duration(def.DeadlineMs)*time.Millisecond)
	defer cancel()
	sem := make(chan struct{}, def.Concurrency)
	results := make([]result, len(def.Sources))
	var wg sync.WaitGroup
	for i, s := range def.Sources {
		wg.Add(1)
		go func(i int, s source) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
				results[i] = fetch(ctx, s, t0)
				<-sem
			case <-ctx.Done():
				results[i] = result{ID: s.ID, Status: "error", Error: "deadline"}
			}
		}(i, s)
	}
	wg.Wait()
	out := map[string]interface{}{}
	complete := true
	byID := map[string]result{}
	for _, r := range results {
		byID[r.ID] = r
		complete = complete && r.Status == "ok"
	}
	out["complete"] = complete
	out["durationMs"] = ms(time.Since(t0))
	out["results"] = byID
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

func main() {
	port := "9200"
	if len(os.Args) > 1 {
		port = os.Args[1]
	}
	http.HandleFunc("/v1/aggregate", aggregate)
	http.HandleFunc("/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"UP"}`))
	})
	if err := http.ListenAndServe("127.0.0.1:"+port, nil); err != nil {
		panic(err)
	}
}
